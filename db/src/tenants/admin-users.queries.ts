import type { Executor } from '../executor.js'
import type { AdminUserRow, NewAdminUser } from './admin-users.table.js'

/** Creates an admin login (the caller hashes the password with argon2 first). */
export async function createAdminUser(db: Executor, admin: NewAdminUser): Promise<AdminUserRow> {
  return db.insertInto('admin_users').values({ ...admin, email: admin.email.toLowerCase() }).returningAll().executeTakeFirstOrThrow()
}

/**
 * The admin with this e-mail in any tenant — login is the one place that must look across tenants, since the
 * e-mail is what tells us the tenant.
 */
export async function findAdminUserByEmailAcrossTenants(db: Executor, email: string): Promise<AdminUserRow | undefined> {
  return db.selectFrom('admin_users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

/** Admins of one tenant. */
export async function listAdminUsers(db: Executor, tenantId: string): Promise<AdminUserRow[]> {
  return db.selectFrom('admin_users').selectAll().where('tenant_id', '=', tenantId).orderBy('email').execute()
}
