/** Reads of FreeRADIUS `radacct` that the API needs (the accounting writer lives in radiusd). */
import type { Executor } from '../executor.js'
import type { RadacctRow } from './radacct.table.js'

/** A tenant user's sessions that have not stopped (the ones a CoA or Disconnect must reach), newest first. */
export async function listOpenSessionsForUser(db: Executor, tenantId: string, username: string): Promise<RadacctRow[]> {
  return db.selectFrom('radacct').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username)
    .where('acctstoptime', 'is', null).orderBy('acctstarttime', 'desc').execute()
}

/** A user's sessions, open, closed and archived, newest first (their history on the admin's user page). */
export async function listSessionHistoryForUser(
  db: Executor, tenantId: string, username: string, page: { limit: number; offset: number },
): Promise<{ rows: RadacctRow[]; total: number }> {
  const q = db.selectFrom('radacct_history').where('tenant_id', '=', tenantId).where('username', '=', username)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('acctstarttime', (ob) => ob.desc().nullsLast()).orderBy('radacctid', 'desc').limit(page.limit).offset(page.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}
