import type { Executor } from '../executor.js'
import type { AdminUserRow, AdminUserUpdate, NewAdminUser } from './admin-users.table.js'

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

/** A tenant's admin by id, or undefined. */
export async function findAdminUserById(db: Executor, tenantId: string, adminId: string): Promise<AdminUserRow | undefined> {
  return db.selectFrom('admin_users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', adminId).executeTakeFirst()
}

/** Updates a tenant's admin; undefined when it is not the tenant's. */
export async function updateAdminUser(db: Executor, tenantId: string, adminId: string, changes: AdminUserUpdate): Promise<AdminUserRow | undefined> {
  return db.updateTable('admin_users').set(changes).where('tenant_id', '=', tenantId).where('id', '=', adminId).returningAll().executeTakeFirst()
}
