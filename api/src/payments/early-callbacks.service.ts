/**
 * STK callbacks that arrive before any transaction holds their CheckoutRequestID: Daraja's callback can overtake
 * its own synchronous push reply (slow network), and the API can die between sending the push and storing that
 * reply. Such a callback is recorded durably in `stk_early_callbacks` (raw and validated) and "placed" exactly
 * once ({@link claimEarlyCallback}) on its transaction, by whichever comes first:
 *
 * 1. the push reply being stored (purchase.service.ts) or the poll finding the row by CheckoutRequestID;
 * 2. the callback URL naming its transaction (`/hooks/daraja/stk/<token>/<transaction id>`): a PENDING push
 *    without a CheckoutRequestID adopts the callback's one. Only a trusted delivery (inside the allow-list, or
 *    no allow-list) may do this, and the settlement still needs an STK query to agree before anything is
 *    credited. This is what settles a push whose reply was lost (API crash, read timeout);
 * 3. the pending sweep, which retries 1–2 and, after PAYMENTS_EARLY_CALLBACK_TTL_MS, turns a success nobody
 *    claimed into a MANUAL_REVIEW unknown payment (never credited).
 *
 * Placing appends every delivery to the transaction's provider_log in the same database transaction as the
 * claim, then schedules the callback settlement and the poll; if scheduling fails, the poll/sweep reads the
 * recorded callback from provider_log, so nothing is lost after the commit.
 */
import { fromMajor } from '@mnetifi/db/domain'
import {
  appendProviderLog, claimEarlyCallback, createTransaction, findOpenEarlyCallback, findTransactionByCheckoutId,
  listOpenEarlyCallbacksAcrossTenants, lockTransactionById, recordEarlyCallback, updateTransaction,
  type EarlyCallbackDelivery, type ProviderLogEntry, type StkEarlyCallbackRow, type TransactionRow,
} from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { isSuccessCode } from './daraja/result-codes.js'
import type { ParsedStkCallback } from './daraja/schemas.js'

/** Where a callback came from, as the hook saw it. */
export interface CallbackSource {
  /** False when an allow-list is configured and the source address is not on it. */
  readonly trusted: boolean
  readonly ip: string | null
  /** The transaction id from the per-push callback URL, when it is a UUID. */
  readonly transactionHint?: string
}

/** What happened to an early callback. */
export type EarlyPlacement =
  | { readonly kind: 'settled'; readonly transactionId: string }
  | { readonly kind: 'unknown'; readonly transactionId?: string }
  | { readonly kind: 'waiting' }

const parsedOf = (d: EarlyCallbackDelivery) => d.parsed as ParsedStkCallback

/** Records a callback that no transaction holds yet, then tries to place it at once. */
export async function recordAndPlaceEarlyCallback(
  ctx: PaymentsContext, tenantId: string, cb: ParsedStkCallback, raw: unknown, source: CallbackSource,
): Promise<EarlyPlacement> {
  const delivery: EarlyCallbackDelivery = { at: nowOf(ctx).toISOString(), raw, parsed: cb, trusted: source.trusted, ip: source.ip }
  const row = await recordEarlyCallback(ctx.db, tenantId, {
    checkoutRequestId: cb.checkoutRequestId, merchantRequestId: cb.merchantRequestId, hintedTransactionId: source.transactionHint ?? null, delivery,
  })
  if (row.resolved_at) {
    // A duplicate that arrived just after the row was placed: hand it to the same transaction.
    if (row.resolution === 'SETTLED' && row.transaction_id) {
      await deliverToTransaction(ctx, tenantId, row.transaction_id, [delivery])
      return { kind: 'settled', transactionId: row.transaction_id }
    }
    return { kind: 'unknown', ...(row.transaction_id ? { transactionId: row.transaction_id } : {}) }
  }
  return placeEarlyCallback(ctx, row)
}

/** Places the open early callback for a CheckoutRequestID, if there is one (push reply stored, poll). */
export async function placeEarlyCallbackFor(ctx: PaymentsContext, tenantId: string, checkoutRequestId: string): Promise<EarlyPlacement | undefined> {
  const row = await findOpenEarlyCallback(ctx.db, tenantId, checkoutRequestId)
  return row ? placeEarlyCallback(ctx, row) : undefined
}

/** The sweep: tries every open early callback; returns how many were settled or given up as unknown. */
export async function placeOpenEarlyCallbacks(ctx: PaymentsContext): Promise<{ settled: number; unknown: number; waiting: number }> {
  const counts = { settled: 0, unknown: 0, waiting: 0 }
  for (const row of await listOpenEarlyCallbacksAcrossTenants(ctx.db)) {
    try {
      counts[(await placeEarlyCallback(ctx, row)).kind]++
    } catch (err) {
      ctx.log.error({ err, tenantId: row.tenant_id, checkoutRequestId: row.checkout_request_id }, 'could not place an early STK callback')
    }
  }
  return counts
}

/** Places `row` on its transaction, gives it up as unknown after the TTL, or leaves it waiting. */
export async function placeEarlyCallback(ctx: PaymentsContext, row: StkEarlyCallbackRow): Promise<EarlyPlacement> {
  const tenantId = row.tenant_id
  const tx = (await findTransactionByCheckoutId(ctx.db, tenantId, row.checkout_request_id)) ?? (await adoptByHint(ctx, row))
  if (tx) {
    const claimed = await ctx.db.transaction().execute(async (trx) => {
      const c = await claimEarlyCallback(trx, tenantId, row.id, 'SETTLED', tx.id, nowOf(ctx))
      if (c) await appendProviderLog(trx, tenantId, tx.id, c.callbacks.map(logEntryOf))
      return c
    })
    if (!claimed) return { kind: 'settled', transactionId: tx.id } // another resolver placed it
    ctx.log.info({ tenantId, transactionId: tx.id, checkoutRequestId: row.checkout_request_id, deliveries: claimed.callbacks.length }, 'early STK callback placed on its transaction')
    await scheduleFor(ctx, tenantId, tx.id, claimed.callbacks)
    return { kind: 'settled', transactionId: tx.id }
  }
  if (nowOf(ctx).getTime() - row.received_at.getTime() < ctx.config.PAYMENTS_EARLY_CALLBACK_TTL_MS) return { kind: 'waiting' }
  return giveUpAsUnknown(ctx, row)
}

/**
 * The transaction named by the callback URL adopts the callback's CheckoutRequestID when it is a PENDING push
 * that never stored its own (reply still in flight, lost, or the API died). The push and the callback are then
 * the same request (one push per transaction, never retried), and the STK query still has to confirm it.
 */
async function adoptByHint(ctx: PaymentsContext, row: StkEarlyCallbackRow): Promise<TransactionRow | undefined> {
  const hint = row.hinted_transaction_id
  if (!hint || !row.callbacks.some((d) => d.trusted)) return undefined
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const tx = await lockTransactionById(trx, row.tenant_id, hint)
      if (!tx || tx.kind !== 'STK_PUSH' || tx.status !== 'PENDING' || tx.checkout_request_id || tx.credited_at) return undefined
      const adopted = await updateTransaction(trx, row.tenant_id, tx.id, {
        checkout_request_id: row.checkout_request_id, merchant_request_id: row.merchant_request_id,
      })
      await appendProviderLog(trx, row.tenant_id, tx.id, [{
        at: nowOf(ctx).toISOString(), kind: 'stk.checkout-id-from-callback',
        data: { checkoutRequestId: row.checkout_request_id, note: 'the push reply had not been stored; the CheckoutRequestID comes from the callback on this transaction\'s URL' },
      }])
      return adopted
    })
  } catch (err) {
    // Another transaction already holds that CheckoutRequestID (unique): leave it to the normal look-up.
    if ((err as { code?: string }).code === '23505') return undefined
    throw err
  }
}

/** Past the TTL with no transaction: a success is kept as a MANUAL_REVIEW unknown payment, a failure dropped. */
async function giveUpAsUnknown(ctx: PaymentsContext, row: StkEarlyCallbackRow): Promise<EarlyPlacement> {
  const success = row.callbacks.find((d) => isSuccessCode(parsedOf(d).resultCode))
  const result = await ctx.db.transaction().execute(async (trx) => {
    let created: TransactionRow | undefined
    if (success) {
      const cb = parsedOf(success)
      const taken = await trx.selectFrom('transactions').select('id')
        .where((eb) => eb.or([eb('checkout_request_id', '=', cb.checkoutRequestId), ...(cb.receipt ? [eb('mpesa_receipt', '=', cb.receipt)] : [])]))
        .executeTakeFirst()
      const note = `callback for an unknown CheckoutRequestID ${cb.checkoutRequestId}, unclaimed for ${Math.round(ctx.config.PAYMENTS_EARLY_CALLBACK_TTL_MS / 1000)} s`
        + (row.hinted_transaction_id ? ` (its URL named transaction ${row.hinted_transaction_id})` : '')
        + (taken ? ` (its id or receipt is already held by transaction ${taken.id})` : '')
        + (success.trusted ? '' : ' (sent from outside the Safaricom allow-list)')
      created = await createTransaction(trx, {
        tenant_id: row.tenant_id, kind: 'STK_PUSH', user_phone: cb.phone ?? 'unknown', amount: cb.amountMajor !== undefined ? fromMajor(cb.amountMajor) : 0,
        status: 'COMPLETED', completed_at: new Date(success.at), settled_by: 'CALLBACK', result_code: cb.resultCode, result_desc: cb.resultDesc,
        checkout_request_id: taken ? null : cb.checkoutRequestId, merchant_request_id: cb.merchantRequestId,
        mpesa_receipt: taken ? null : cb.receipt ?? null, reconciliation_status: 'MANUAL_REVIEW', reconciliation_note: note,
      }, row.callbacks.map(logEntryOf))
    }
    const claimed = await claimEarlyCallback(trx, row.tenant_id, row.id, 'UNKNOWN', created?.id ?? null, nowOf(ctx))
    if (!claimed) throw new AlreadyPlaced()
    return created
  }).catch((err: unknown) => {
    if (err instanceof AlreadyPlaced) return null
    throw err
  })
  if (result === null) return { kind: 'unknown' }
  ctx.log.warn({ tenantId: row.tenant_id, checkoutRequestId: row.checkout_request_id, transactionId: result?.id }, 'early STK callback never matched a push')
  return { kind: 'unknown', ...(result ? { transactionId: result.id } : {}) }
}

class AlreadyPlaced extends Error {}

/** A delivery as a provider_log entry (the same shape a callback on a known transaction gets). */
function logEntryOf(d: EarlyCallbackDelivery): ProviderLogEntry {
  return { at: d.at, kind: 'stk.callback', data: { raw: d.raw, parsed: d.parsed, trusted: d.trusted, ip: d.ip, early: true } }
}

/** Appends deliveries that reached an already placed row, then schedules their settlement. */
async function deliverToTransaction(ctx: PaymentsContext, tenantId: string, transactionId: string, deliveries: EarlyCallbackDelivery[]): Promise<void> {
  await appendProviderLog(ctx.db, tenantId, transactionId, deliveries.map(logEntryOf))
  await scheduleFor(ctx, tenantId, transactionId, deliveries)
}

/** Schedules the settlement of each delivery and the poll; a failure here is covered by the poll and the sweep. */
async function scheduleFor(ctx: PaymentsContext, tenantId: string, transactionId: string, deliveries: readonly EarlyCallbackDelivery[]): Promise<void> {
  try {
    for (const d of deliveries) {
      await ctx.jobs.scheduleCallbackSettlement({ tenantId, transactionId, callback: parsedOf(d), trusted: d.trusted })
    }
    // A push whose reply was never stored has no poll yet (idempotent by jobId otherwise).
    await ctx.jobs.schedulePoll({ tenantId, transactionId })
  } catch (err) {
    ctx.log.error({ err, tenantId, transactionId }, 'could not schedule the settlement of an early callback; the pending sweep will poll it')
  }
}
