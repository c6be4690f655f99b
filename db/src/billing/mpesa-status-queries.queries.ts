/** Daraja Transaction Status requests and their asynchronous answers (see the table file). */
import { sql, type Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Executor } from '../executor.js'
import type { MpesaStatusQueryRow, MpesaStatusQueryUpdate, NewMpesaStatusQuery } from './mpesa-status-queries.table.js'

/** Records a Transaction Status request before it is sent. */
export async function createMpesaStatusQuery(db: Executor, row: Omit<NewMpesaStatusQuery, 'result'>): Promise<MpesaStatusQueryRow> {
  return db.insertInto('mpesa_status_queries').values(row).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's status query by id, or undefined. */
export async function findMpesaStatusQueryById(db: Executor, tenantId: string, id: string): Promise<MpesaStatusQueryRow | undefined> {
  return db.selectFrom('mpesa_status_queries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
}

/** The PENDING request for a receipt in a tenant, if one is in flight (so a second tap does not send another). */
export async function findPendingMpesaStatusQueryByReceipt(db: Executor, tenantId: string, receipt: string): Promise<MpesaStatusQueryRow | undefined> {
  return db.selectFrom('mpesa_status_queries').selectAll().where('tenant_id', '=', tenantId).where('receipt', '=', receipt)
    .where('status', '=', 'PENDING').orderBy('created_at', 'desc').executeTakeFirst()
}

/** Locks a tenant's status query by OriginatorConversationID (how Daraja's result is joined back). */
export async function lockMpesaStatusQueryByConversation(
  trx: Transaction<Database>, tenantId: string, originatorConversationId: string,
): Promise<MpesaStatusQueryRow | undefined> {
  return trx.selectFrom('mpesa_status_queries').selectAll().where('tenant_id', '=', tenantId)
    .where('originator_conversation_id', '=', originatorConversationId).forUpdate().executeTakeFirst()
}

/** Updates a tenant's status query; `result` is stored as JSON. */
export async function updateMpesaStatusQuery(
  db: Executor, tenantId: string, id: string, changes: Omit<MpesaStatusQueryUpdate, 'result'> & { result?: unknown },
): Promise<MpesaStatusQueryRow | undefined> {
  const { result, ...rest } = changes
  return db.updateTable('mpesa_status_queries')
    .set({ ...rest, ...(result === undefined ? {} : { result: sql`${JSON.stringify(result)}::jsonb` as never }) })
    .where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst()
}
