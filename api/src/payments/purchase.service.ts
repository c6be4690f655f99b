/**
 * Step 1 of a purchase: a PENDING transaction (written before the push, and named in its callback URL), one
 * STK push (never retried automatically), and the 20-second poll scheduled. Daraja's refusals become messages the customer can act on.
 */
import { AppError, toWholeMajor, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { sql } from 'kysely'
import {
  appendProviderLog, createTransaction, findHotspotById, findPlanById, findTransactionById, findWifiUserByPhone, updateTransaction,
  type ProviderLogEntry, type TenantRow, type TransactionRow,
} from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { DarajaError } from './daraja/errors.js'
import { darajaClientForTenant, stkCallbackUrlFor } from './daraja/tenant-client.js'
import { placeEarlyCallbackFor } from './early-callbacks.service.js'
import { storeProviderLog } from './settlement/settle.service.js'

/** A purchase request from the portal or API. */
export interface PurchaseInput {
  readonly planId: string
  /** As typed: 07…, 7…, 01…, +254…, 254… */
  readonly phone: string
  readonly hotspotId?: string
  /** The paying device, so MAC authentication lets it in. */
  readonly macAddress?: string
}

/** The started purchase and what to tell the customer. */
export interface PurchaseStarted {
  readonly transaction: TransactionRow
  readonly customerMessage: string
}

/** Lower-case colon-separated MAC, or undefined when the input is not a MAC address. */
export function normalizeMac(input: string | undefined): string | undefined {
  if (!input) return undefined
  const hex = input.toLowerCase().replace(/[^0-9a-f]/g, '')
  return hex.length === 12 ? hex.match(/../g)!.join(':') : undefined
}

/** The AccountReference shown in the prompt: the tenant's subdomain, ≤ 12 alphanumerics. */
function accountReference(tenant: TenantRow): string {
  return tenant.subdomain.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(0, 12) || 'WIFI'
}

/** Starts a purchase: validates, records the transaction, sends the push and schedules the poll. */
export async function startPurchase(ctx: PaymentsContext, tenant: TenantRow, input: PurchaseInput): Promise<PurchaseStarted> {
  if (tenant.saas_billing_status === 'BLOCKED') throw new AppError('TENANT_BLOCKED', 'This provider cannot take payments right now.')
  const phone = tryNormalizePhoneKE(input.phone)
  if (!phone) {
    throw new AppError('INVALID_PHONE', `"${input.phone}" is not a Safaricom number. Use the form 07XXXXXXXX or 01XXXXXXXX.`)
  }
  const plan = await findPlanById(ctx.db, tenant.id, input.planId)
  // The portal sells hotspot time for the device in front of it (credit.ts, "the rule"): a plan that does not
  // serve HOTSPOT accounts is not on sale here, as the plan list already says.
  if (!plan || !plan.is_active || plan.archived_at || !plan.account_types.includes('HOTSPOT')) throw new AppError('NOT_FOUND', 'That plan is not on sale.')
  let amount: number
  try {
    amount = toWholeMajor(plan.price, plan.currency)
  } catch {
    throw new AppError('VALIDATION_FAILED', 'This plan\'s price is not a whole shilling amount; M-Pesa cannot charge it.')
  }
  if (input.hotspotId && !(await findHotspotById(ctx.db, tenant.id, input.hotspotId))) throw new AppError('NOT_FOUND', 'Unknown hotspot.')
  const mac = normalizeMac(input.macAddress)
  // The phone's HOTSPOT account only; none yet → created when the payment is credited. A PPPoE or static
  // line on the same phone is never the one a portal purchase credits.
  const user = await findWifiUserByPhone(ctx.db, tenant.id, phone, 'HOTSPOT')

  // A push while the previous prompt is open fails at Daraja ("Unable to lock subscriber"); say so up front.
  const openSince = new Date(nowOf(ctx).getTime() - 60_000)
  const open = await ctx.db.selectFrom('transactions').select(['id']).where('tenant_id', '=', tenant.id).where('user_phone', '=', phone)
    .where('status', '=', 'PENDING').where('checkout_request_id', 'is not', null).where('created_at', '>', openSince).executeTakeFirst()
  if (open) {
    throw new AppError('PAYMENT_IN_PROGRESS', 'An M-Pesa prompt is already open on this phone. Complete or cancel it, then try again in a minute.', { details: { transactionId: open.id } })
  }

  const tx = await createTransaction(ctx.db, {
    tenant_id: tenant.id, kind: 'STK_PUSH', user_id: user?.id ?? null, plan_id: plan.id, hotspot_id: input.hotspotId ?? null,
    user_phone: phone, mac_address: mac ?? null, amount: plan.price, currency: plan.currency, account_reference: accountReference(tenant),
  })
  const log: ProviderLogEntry[] = []
  // The row exists before the push is sent, and the push's callback URL names it: a callback that overtakes
  // the reply, or outlives an API that died before storing it, still lands on this transaction.
  let res
  try {
    const client = darajaClientForTenant(tenant, ctx)
    res = await client.stkPush({
      phone, amount, callbackUrl: stkCallbackUrlFor(tenant, ctx.config, tx.id), accountReference: accountReference(tenant), description: plan.name,
    }, (e) => log.push(e))
  } catch (err) {
    await storeProviderLog(ctx, tenant.id, tx.id, log)
    throw await failedPush(ctx, tenant.id, tx.id, err)
  }
  // Accepted: the prompt is on the phone, so from here nothing may mark the transaction FAILED.
  let updated: TransactionRow
  try {
    updated = await recordPushReply(ctx, tenant.id, tx.id, res.CheckoutRequestID, res.MerchantRequestID)
    await storeProviderLog(ctx, tenant.id, tx.id, log)
  } catch (err) {
    // The callback (its URL names this transaction) and the sweep settle it without the stored reply.
    ctx.log.error({ err, transactionId: tx.id, checkoutRequestId: res.CheckoutRequestID }, 'could not store the STK push reply')
    throw new AppError('INTERNAL', 'The M-Pesa prompt was sent: complete it on your phone. If you are not online within a minute, use "I paid" with your M-Pesa code. Do not pay twice.', { cause: err })
  }
  try {
    await ctx.jobs.schedulePoll({ tenantId: tenant.id, transactionId: tx.id })
  } catch (err) {
    // The callback can still settle it, and the pending sweep re-schedules polls once Redis is back.
    ctx.log.error({ err, transactionId: tx.id }, 'could not schedule the STK poll')
  }
  return { transaction: updated, customerMessage: 'Check your phone and enter your M-Pesa PIN to pay.' }
}

/**
 * Stores the push reply's ids, unless a callback on the push's URL already did (same ids), then settles any
 * callback that arrived before them (kept in stk_early_callbacks).
 */
async function recordPushReply(ctx: PaymentsContext, tenantId: string, txId: string, checkoutRequestId: string, merchantRequestId: string): Promise<TransactionRow> {
  const stored = await ctx.db.updateTable('transactions')
    .set({ checkout_request_id: checkoutRequestId, merchant_request_id: merchantRequestId, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', txId)
    .where((eb) => eb.or([eb('checkout_request_id', 'is', null), eb('checkout_request_id', '=', checkoutRequestId)]))
    .returningAll().executeTakeFirst()
  if (!stored) {
    // A callback on this push's URL carried a different CheckoutRequestID: someone knows the tenant token.
    const note = `the push reply's CheckoutRequestID ${checkoutRequestId} differs from the one a callback on this transaction's URL gave`
    ctx.log.error({ tenantId, transactionId: txId, checkoutRequestId }, note)
    await appendProviderLog(ctx.db, tenantId, txId, [{ at: nowOf(ctx).toISOString(), kind: 'stk.push-reply-conflict', data: { checkoutRequestId, merchantRequestId } }])
    return (await updateTransaction(ctx.db, tenantId, txId, { reconciliation_status: 'MANUAL_REVIEW', reconciliation_note: note }))!
  }
  const placed = await placeEarlyCallbackFor(ctx, tenantId, checkoutRequestId)
  return placed ? (await findTransactionById(ctx.db, tenantId, txId))! : stored
}

/** Records why a push did not start and returns the error to show. */
async function failedPush(ctx: PaymentsContext, tenantId: string, txId: string, err: unknown): Promise<AppError> {
  const fail = (reason: string, desc: string) => updateTransaction(ctx.db, tenantId, txId, { status: 'FAILED', failure_reason: reason, result_desc: desc })
  if (err instanceof AppError) {
    await fail('PUSH_REJECTED', err.message)
    return err
  }
  if (!(err instanceof DarajaError)) {
    await fail('PUSH_ERROR', String(err))
    return new AppError('INTERNAL', 'Something went wrong starting the payment.', { cause: err })
  }
  switch (err.kind) {
    case 'subscriber_locked':
      await fail('SUBSCRIBER_LOCKED', err.message)
      return new AppError('PAYMENT_IN_PROGRESS', 'Another M-Pesa prompt is open on your phone. Finish or cancel it, wait a minute, then try again.', { cause: err })
    case 'unknown_outcome':
      // The push may have reached the phone: leave it PENDING for its callback (whose URL names this
      // transaction), or for recovery. A callback may already have given it its CheckoutRequestID.
      await ctx.db.updateTable('transactions').set({ failure_reason: 'PUSH_OUTCOME_UNKNOWN', result_desc: err.message, updated_at: sql`now()` })
        .where('tenant_id', '=', tenantId).where('id', '=', txId).where('status', '=', 'PENDING').where('checkout_request_id', 'is', null).execute()
      return new AppError('PROVIDER_UNAVAILABLE', 'We could not confirm the M-Pesa prompt was sent. If it appears, complete it; if you paid and are not online, use "I paid" with your M-Pesa code. Do not pay twice.', { cause: err })
    case 'busy': case 'unavailable': case 'not_sent':
      await fail('PROVIDER_UNAVAILABLE', err.message)
      return new AppError('PROVIDER_UNAVAILABLE', 'M-Pesa is busy right now. Please try again in a minute.', { cause: err })
    default:
      await fail('PUSH_REJECTED', err.message)
      return new AppError('PROVIDER_REJECTED', 'M-Pesa refused the payment request. Please contact the provider.', { cause: err })
  }
}
