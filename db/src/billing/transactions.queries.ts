/**
 * Transactions (payments). Settlement always goes through a locked row: {@link lockTransactionById} /
 * {@link lockTransactionByCheckoutId} inside a database transaction, then {@link markTransactionCredited}, whose
 * `WHERE credited_at IS NULL` makes the credit happen once however many callers race (callback, poll, a second
 * worker, recovery). `mpesa_receipt` and `checkout_request_id` are UNIQUE across tenants.
 */
import { sql, type Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Executor } from '../executor.js'
import type { NewTransaction, ProviderLogEntry, TransactionRow, TransactionUpdate } from './transactions.table.js'

/** Creates a transaction (PENDING unless stated). `provider_log` starts with the given entries. */
export async function createTransaction(
  db: Executor, tx: Omit<NewTransaction, 'provider_log'>, log: readonly ProviderLogEntry[] = [],
): Promise<TransactionRow> {
  return db.insertInto('transactions').values({ ...tx, provider_log: JSON.stringify(log) }).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's transaction by id, or undefined. */
export async function findTransactionById(db: Executor, tenantId: string, id: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
}

/** A tenant's transaction by Daraja CheckoutRequestID, or undefined. */
export async function findTransactionByCheckoutId(db: Executor, tenantId: string, checkoutRequestId: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll()
    .where('tenant_id', '=', tenantId).where('checkout_request_id', '=', checkoutRequestId).executeTakeFirst()
}

/**
 * The transaction holding an M-Pesa receipt, whatever its tenant: a receipt is globally unique, and the recovery
 * flow must refuse one that another tenant already holds.
 */
export async function findTransactionByReceiptAcrossTenants(db: Executor, receipt: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', receipt).executeTakeFirst()
}

/** Locks a tenant's transaction for the rest of the database transaction. */
export async function lockTransactionById(trx: Transaction<Database>, tenantId: string, id: string): Promise<TransactionRow | undefined> {
  return trx.selectFrom('transactions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Locks a tenant's transaction by CheckoutRequestID for the rest of the database transaction. */
export async function lockTransactionByCheckoutId(
  trx: Transaction<Database>, tenantId: string, checkoutRequestId: string,
): Promise<TransactionRow | undefined> {
  return trx.selectFrom('transactions').selectAll()
    .where('tenant_id', '=', tenantId).where('checkout_request_id', '=', checkoutRequestId).forUpdate().executeTakeFirst()
}

/** Updates a tenant's transaction (bumps updated_at); undefined when absent. */
export async function updateTransaction(db: Executor, tenantId: string, id: string, changes: TransactionUpdate): Promise<TransactionRow | undefined> {
  return db.updateTable('transactions').set({ ...changes, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst()
}

/** Appends entries to a transaction's provider_log without reading it (concurrent appends both survive). */
export async function appendProviderLog(db: Executor, tenantId: string, id: string, entries: readonly ProviderLogEntry[]): Promise<void> {
  if (entries.length === 0) return
  await db.updateTable('transactions')
    .set({ provider_log: sql`provider_log || ${JSON.stringify(entries)}::jsonb`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', id).execute()
}

/**
 * The exactly-once marker: sets credited_at (and the given changes) only when it is still NULL.
 * Returns the updated row, or undefined when the transaction had already been credited.
 */
export async function markTransactionCredited(
  trx: Transaction<Database>, tenantId: string, id: string, creditedAt: Date, changes: TransactionUpdate,
): Promise<TransactionRow | undefined> {
  return trx.updateTable('transactions').set({ ...changes, credited_at: creditedAt, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('credited_at', 'is', null)
    .returningAll().executeTakeFirst()
}

/** A tenant's transactions for a phone since a time, newest first (the "I paid but I'm not online" look-up). */
export async function listTransactionsByPhoneSince(db: Executor, tenantId: string, phone: string, since: Date): Promise<TransactionRow[]> {
  return db.selectFrom('transactions').selectAll().where('tenant_id', '=', tenantId).where('user_phone', '=', phone)
    .where('created_at', '>=', since).orderBy('created_at', 'desc').execute()
}

/** PENDING STK transactions of a phone that may match a payment made at `around` (± `windowMs`). */
export async function listPendingStkForPhone(
  db: Executor, tenantId: string, phone: string, amount: number, around: Date, windowMs: number,
): Promise<TransactionRow[]> {
  return db.selectFrom('transactions').selectAll().where('tenant_id', '=', tenantId).where('user_phone', '=', phone)
    .where('kind', '=', 'STK_PUSH').where('status', 'in', ['PENDING', 'FAILED']).where('credited_at', 'is', null)
    .where('mpesa_receipt', 'is', null).where('amount', '=', amount)
    .where('created_at', '>=', new Date(around.getTime() - windowMs)).where('created_at', '<=', new Date(around.getTime() + windowMs))
    .orderBy('created_at', 'desc').execute()
}
