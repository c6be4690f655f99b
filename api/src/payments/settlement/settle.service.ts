/**
 * Settling an STK push from any evidence (callback, poll, recovery) in one database transaction under a row
 * lock, then — after commit — scheduling the CoA that gives a live session the new plan.
 */
import { sql } from 'kysely'
import {
  appendProviderLog, lockTransactionById, updateTransaction, type ProviderLogEntry, type TransactionRow,
} from '@mnetifi/db'
import { nowOf, type PaymentsContext } from '../context.js'
import type { ParsedStkCallback } from '../daraja/schemas.js'
import { notifyPaymentFailed } from '../../notifications/payment-events.js'
import { creditTransaction } from './credit.js'
import { decideStkSettlement, type StkEvidence } from './decide.js'

/** What a settlement did. */
export interface SettleResult {
  readonly transaction: TransactionRow
  /** Whether this call credited the plan (at most one call ever does per transaction). */
  readonly credited: boolean
  readonly reason: string
}

/**
 * Settles transaction `transactionId` of `tenantId` with `evidence`; safe to call any number of times.
 * `log` (the provider exchanges behind the evidence) is appended to provider_log in the same transaction.
 */
export async function settleStkTransaction(
  ctx: PaymentsContext, input: { tenantId: string; transactionId: string; evidence: StkEvidence; log?: readonly ProviderLogEntry[] },
): Promise<SettleResult> {
  const { tenantId, transactionId, evidence } = input
  const result = await ctx.db.transaction().execute(async (trx) => {
    const tx = await lockTransactionById(trx, tenantId, transactionId)
    if (!tx) throw new Error(`transaction ${transactionId} of tenant ${tenantId} does not exist`)
    const now = nowOf(ctx)
    const receipt = evidence.callback?.receipt
    const holder = receipt
      ? await trx.selectFrom('transactions').select('id').where('mpesa_receipt', '=', receipt).where('id', '!=', tx.id).executeTakeFirst()
      : undefined
    const decision = decideStkSettlement(tx, evidence, now, holder?.id)
    let row = tx
    if (Object.keys(decision.update).length > 0) row = (await updateTransaction(trx, tenantId, tx.id, decision.update))!
    // The customer hears of a failed push in the same commit that records it (keyed per transaction: once).
    if (tx.status === 'PENDING' && row.status === 'FAILED') await notifyPaymentFailed(trx, row, now)
    let credited = false
    let reason = decision.reason
    if (decision.credit) {
      const done = await creditTransaction(trx, row, { now, settledBy: evidence.source })
      if (done) {
        row = done.transaction
        credited = true
      } else if (!row.credited_at) {
        reason = 'plan or user missing'
        row = (await updateTransaction(trx, tenantId, tx.id, {
          reconciliation_status: 'MANUAL_REVIEW', reconciliation_note: 'paid, but the plan or user no longer exists',
        }))!
      }
    }
    const entry: ProviderLogEntry = { at: now.toISOString(), kind: 'settlement', data: { source: evidence.source, reason, credited } }
    // The exchanges that produced the evidence (e.g. the STK query) are stored in the same write.
    await appendProviderLog(trx, tenantId, tx.id, [...(input.log ?? []), entry])
    return { transaction: row, credited, reason }
  })
  ctx.log.info({ tenantId, transactionId, source: evidence.source, reason: result.reason, credited: result.credited }, 'payment settlement')
  if (result.credited) await scheduleCoaSafely(ctx, tenantId, transactionId)
  return result
}

/** A CoA that cannot be scheduled must not undo a credit: the customer can still log in through the portal. */
async function scheduleCoaSafely(ctx: PaymentsContext, tenantId: string, transactionId: string): Promise<void> {
  try {
    await ctx.jobs.scheduleCoa({ tenantId, transactionId })
  } catch (err) {
    ctx.log.error({ err, tenantId, transactionId }, 'could not schedule CoA after credit')
  }
}

/**
 * The most recent trusted callback recorded on a transaction (provider_log kind 'stk.callback'), if any. One from
 * outside the allow-list (`trusted: false`) is kept for audit but is no evidence.
 */
export function latestRecordedCallback(tx: Pick<TransactionRow, 'provider_log'>): ParsedStkCallback | undefined {
  for (let i = tx.provider_log.length - 1; i >= 0; i--) {
    const e = tx.provider_log[i]!
    const data = e.data as { parsed: ParsedStkCallback; trusted?: boolean }
    if (e.kind === 'stk.callback' && data.trusted !== false) return data.parsed
  }
  return undefined
}

/** Stores an exchange's audit entries on the transaction (outside any lock; appends are atomic). */
export async function storeProviderLog(ctx: PaymentsContext, tenantId: string, transactionId: string, entries: ProviderLogEntry[]): Promise<void> {
  await appendProviderLog(ctx.db, tenantId, transactionId, entries)
}

/**
 * Marks a PENDING push whose polling ended without an answer (budget spent, or Daraja refused the query); the
 * recovery flow or a late callback can still settle it.
 */
export async function markPollExhausted(ctx: PaymentsContext, tenantId: string, transactionId: string): Promise<void> {
  await ctx.db.updateTable('transactions').set({ failure_reason: 'POLL_EXHAUSTED', updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', transactionId).where('status', '=', 'PENDING').execute()
}
