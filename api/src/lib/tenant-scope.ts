/**
 * Runs work as one tenant: a transaction with `SET LOCAL ROLE mnetifi_app` and `mnetifi.tenant_id` set, so
 * Postgres row-level security (migration 2026_11_26_200200) hides every other tenant's rows even from a
 * query that forgets its tenant_id filter. Both settings are transaction-local and vanish at COMMIT/ROLLBACK,
 * so a pooled connection never carries a tenant into the next request.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '@mnetifi/db'

/** The NOLOGIN role RLS policies apply to. */
export const TENANT_ROLE = 'mnetifi_app'

/** Runs `work` in a transaction scoped to `tenantId` (RLS enforced) and returns its result. */
export async function withTenantScope<T>(
  db: Kysely<Database>, tenantId: string, work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('mnetifi.tenant_id', ${tenantId}, true)`.execute(trx)
    await sql.raw(`SET LOCAL ROLE ${TENANT_ROLE}`).execute(trx)
    return work(trx)
  })
}
