/**
 * Step 2: an STK callback arrives on the tenant's URL. It is validated, recorded raw on its transaction, and
 * handed to a job that confirms it with an STK query and settles. Callbacks are unsigned (digest §1.10), so a
 * success is only credited when Safaricom's query agrees and the amount matches our own request.
 *
 * A callback whose CheckoutRequestID no transaction holds yet is kept in `stk_early_callbacks` and placed later
 * (early-callbacks.service.ts). A callback from outside the configured allow-list (`trusted: false`) is recorded
 * the same way but never changes a transaction on its own word: it settles only what an STK query confirms.
 */
import { appendProviderLog, findTransactionByCheckoutId, type TenantRow } from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { isSuccessCode } from './daraja/result-codes.js'
import { StkCallbackSchema, parseStkCallback } from './daraja/schemas.js'
import { recordAndPlaceEarlyCallback, type CallbackSource } from './early-callbacks.service.js'
import { settleStkTransaction } from './settlement/settle.service.js'

export type { CallbackSource } from './early-callbacks.service.js'

/** What happened to a callback. */
export type CallbackOutcome =
  | { readonly kind: 'invalid'; readonly issues: string }
  | { readonly kind: 'recorded'; readonly transactionId: string }
  /** Kept in stk_early_callbacks until its push reply, the poll or the sweep places it. */
  | { readonly kind: 'early' }
  | { readonly kind: 'unknown'; readonly transactionId?: string }

const DIRECT: CallbackSource = { trusted: true, ip: null }

/** Validates and records an STK callback for `tenant`, then schedules its settlement. */
export async function receiveStkCallback(ctx: PaymentsContext, tenant: TenantRow, body: unknown, source: CallbackSource = DIRECT): Promise<CallbackOutcome> {
  const parsed = StkCallbackSchema.safeParse(body)
  if (!parsed.success) {
    ctx.log.warn({ tenantId: tenant.id, body, issues: parsed.error.message }, 'STK callback failed validation')
    return { kind: 'invalid', issues: parsed.error.message }
  }
  const cb = parseStkCallback(parsed.data)
  const tx = await findTransactionByCheckoutId(ctx.db, tenant.id, cb.checkoutRequestId)
  if (!tx) {
    const placed = await recordAndPlaceEarlyCallback(ctx, tenant.id, cb, body, source)
    if (placed.kind === 'settled') return { kind: 'recorded', transactionId: placed.transactionId }
    return placed.kind === 'waiting' ? { kind: 'early' } : placed
  }
  const at = nowOf(ctx).toISOString()
  await appendProviderLog(ctx.db, tenant.id, tx.id, [{ at, kind: 'stk.callback', data: { raw: body, parsed: cb, trusted: source.trusted, ip: source.ip } }])
  try {
    await ctx.jobs.scheduleCallbackSettlement({ tenantId: tenant.id, transactionId: tx.id, callback: cb, trusted: source.trusted })
  } catch (err) {
    // Without Redis, settle from a trusted callback alone for failures and late callbacks; a success still waits
    // for the poll (which reads the recorded callback) so it is confirmed by a query before crediting.
    ctx.log.error({ err, transactionId: tx.id }, 'could not schedule callback settlement')
    if (source.trusted && (tx.status !== 'PENDING' || !isSuccessCode(cb.resultCode))) {
      await settleStkTransaction(ctx, { tenantId: tenant.id, transactionId: tx.id, evidence: { source: 'CALLBACK', callback: cb } })
    }
  }
  return { kind: 'recorded', transactionId: tx.id }
}
