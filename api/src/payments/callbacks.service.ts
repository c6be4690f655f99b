/**
 * Step 2: an STK callback arrives on the tenant's URL. It is validated, recorded raw on its transaction, and
 * handed to a job that confirms it with an STK query and settles. Callbacks are unsigned (digest §1.10), so a
 * success is only credited when Safaricom's query agrees and the amount matches our own request.
 */
import { fromMajor } from '@mnetifi/db/domain'
import { appendProviderLog, createTransaction, findTransactionByCheckoutId, type TenantRow } from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { isSuccessCode } from './daraja/result-codes.js'
import { StkCallbackSchema, parseStkCallback, type ParsedStkCallback } from './daraja/schemas.js'
import { settleStkTransaction } from './settlement/settle.service.js'

/** What happened to a callback. */
export type CallbackOutcome =
  | { readonly kind: 'invalid'; readonly issues: string }
  | { readonly kind: 'recorded'; readonly transactionId: string }
  | { readonly kind: 'unknown'; readonly transactionId?: string }

/** Validates and records an STK callback for `tenant`, then schedules its settlement. */
export async function receiveStkCallback(ctx: PaymentsContext, tenant: TenantRow, body: unknown): Promise<CallbackOutcome> {
  const parsed = StkCallbackSchema.safeParse(body)
  if (!parsed.success) {
    ctx.log.warn({ tenantId: tenant.id, body, issues: parsed.error.message }, 'STK callback failed validation')
    return { kind: 'invalid', issues: parsed.error.message }
  }
  const cb = parseStkCallback(parsed.data)
  const at = nowOf(ctx).toISOString()
  let tx = await findTransactionByCheckoutId(ctx.db, tenant.id, cb.checkoutRequestId)
  // A callback can overtake the push's own reply (slow network) and so the UPDATE that stores the
  // CheckoutRequestID: look again for up to 3 s before calling it unknown.
  for (let i = 0; !tx && i < 10; i++) {
    await new Promise((r) => setTimeout(r, 300))
    tx = await findTransactionByCheckoutId(ctx.db, tenant.id, cb.checkoutRequestId)
  }
  if (!tx) return recordUnknown(ctx, tenant, cb, body, at)
  await appendProviderLog(ctx.db, tenant.id, tx.id, [{ at, kind: 'stk.callback', data: { raw: body, parsed: cb } }])
  try {
    await ctx.jobs.scheduleCallbackSettlement({ tenantId: tenant.id, transactionId: tx.id, callback: cb })
  } catch (err) {
    // Without Redis, settle from the callback alone for failures and late callbacks; a success still waits for
    // the poll (which reads the recorded callback) so it is confirmed by a query before crediting.
    ctx.log.error({ err, transactionId: tx.id }, 'could not schedule callback settlement')
    if (tx.status !== 'PENDING' || !isSuccessCode(cb.resultCode)) {
      await settleStkTransaction(ctx, { tenantId: tenant.id, transactionId: tx.id, evidence: { source: 'CALLBACK', callback: cb } })
    }
  }
  return { kind: 'recorded', transactionId: tx.id }
}

/**
 * A callback for a CheckoutRequestID we never sent. A success means money moved, so it is kept as a
 * MANUAL_REVIEW transaction (never credited); a failure only needs the log line.
 */
async function recordUnknown(ctx: PaymentsContext, tenant: TenantRow, cb: ParsedStkCallback, raw: unknown, at: string): Promise<CallbackOutcome> {
  ctx.log.warn({ tenantId: tenant.id, checkoutRequestId: cb.checkoutRequestId, resultCode: cb.resultCode }, 'callback for an unknown CheckoutRequestID')
  if (!isSuccessCode(cb.resultCode)) return { kind: 'unknown' }
  const taken = await ctx.db.selectFrom('transactions').select('id')
    .where((eb) => eb.or([eb('checkout_request_id', '=', cb.checkoutRequestId), ...(cb.receipt ? [eb('mpesa_receipt', '=', cb.receipt)] : [])]))
    .executeTakeFirst()
  const note = `callback for an unknown CheckoutRequestID ${cb.checkoutRequestId}${taken ? ` (its id or receipt is already held by transaction ${taken.id})` : ''}`
  const tx = await createTransaction(ctx.db, {
    tenant_id: tenant.id, kind: 'STK_PUSH', user_phone: cb.phone ?? 'unknown', amount: cb.amountMajor !== undefined ? fromMajor(cb.amountMajor) : 0,
    status: 'COMPLETED', completed_at: new Date(at), settled_by: 'CALLBACK', result_code: cb.resultCode, result_desc: cb.resultDesc,
    checkout_request_id: taken ? null : cb.checkoutRequestId, merchant_request_id: cb.merchantRequestId,
    mpesa_receipt: taken ? null : cb.receipt ?? null, reconciliation_status: 'MANUAL_REVIEW', reconciliation_note: note,
  }, [{ at, kind: 'stk.callback', data: { raw, parsed: cb } }]).catch((err: { code?: string }) => {
    // A duplicate of the same unknown callback raced us to the unique key: the evidence is already kept.
    if (err.code === '23505') return undefined
    throw err
  })
  return { kind: 'unknown', ...(tx ? { transactionId: tx.id } : {}) }
}
