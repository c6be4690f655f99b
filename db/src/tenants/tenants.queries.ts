import type { Executor } from '../executor.js'
import type { NewTenant, TenantRow, TenantUpdate } from './tenants.table.js'

/** Creates a tenant (platform-level: a tenant is not inside a tenant). */
export async function createTenant(db: Executor, tenant: NewTenant): Promise<TenantRow> {
  return db.insertInto('tenants').values(tenant).returningAll().executeTakeFirstOrThrow()
}

/** The tenant with this id, or undefined. */
export async function findTenantById(db: Executor, tenantId: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst()
}

/** The tenant that owns a subdomain (the portal's entry point), or undefined. */
export async function findTenantBySubdomain(db: Executor, subdomain: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('subdomain', '=', subdomain.toLowerCase()).executeTakeFirst()
}

/** The tenant whose callback URL carries this token, or undefined. */
export async function findTenantByCallbackToken(db: Executor, token: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('callback_token', '=', token).executeTakeFirst()
}

/** Every tenant, for platform operators. */
export async function listTenantsAcrossPlatform(db: Executor): Promise<TenantRow[]> {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute()
}

/** Updates a tenant; returns the new row or undefined when absent. */
export async function updateTenant(db: Executor, tenantId: string, changes: TenantUpdate): Promise<TenantRow | undefined> {
  return db.updateTable('tenants').set(changes).where('id', '=', tenantId).returningAll().executeTakeFirst()
}

/** A page of tenants for platform operators, filtered by billing status and a name/subdomain search. */
export async function searchTenantsAcrossPlatform(
  db: Executor, options: { status?: 'ACTIVE' | 'BLOCKED'; search?: string; limit: number; offset: number },
): Promise<{ rows: TenantRow[]; total: number }> {
  let q = db.selectFrom('tenants')
  if (options.status) q = q.where('saas_billing_status', '=', options.status)
  if (options.search) {
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('subdomain', 'ilike', like)]))
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at').orderBy('id').limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}
