/** Reads of FreeRADIUS `radacct` that the API needs (the accounting writer lives in radiusd). */
import type { Executor } from '../executor.js'
import type { RadacctRow } from './radacct.table.js'

/** A tenant user's sessions that have not stopped (the ones a CoA or Disconnect must reach), newest first. */
export async function listOpenSessionsForUser(db: Executor, tenantId: string, username: string): Promise<RadacctRow[]> {
  return db.selectFrom('radacct').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username)
    .where('acctstoptime', 'is', null).orderBy('acctstarttime', 'desc').execute()
}
