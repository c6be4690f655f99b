/**
 * "I paid but I'm not online": the customer gives an M-Pesa receipt (or their phone). We check our own
 * records first (a settled payment, an UNMATCHED C2B payment, a push still pending), then ask M-Pesa with a
 * Transaction Status query whose answer arrives asynchronously (status-result.service.ts). A receipt activates
 * a plan once; one already used signs a new device in to the plan it paid for while that runs; one paid to
 * another business is refused.
 */
import { AppError, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import {
  createMpesaStatusQuery, findPendingMpesaStatusQueryByReceipt, findTransactionByReceiptAcrossTenants, findWifiUserById,
  findWifiUserByPhone, listTransactionsByPhoneSince, updateMpesaStatusQuery, upsertWifiUserDevice, type ProviderLogEntry, type TenantRow,
  type TransactionRow,
} from '@mnetifi/db'
import { deviceLoginOf } from '../../lib/hotspot-accounts.js'
import { nowOf, type PaymentsContext } from '../context.js'
import { darajaClientForTenant, tenantHookUrls } from '../daraja/tenant-client.js'
import { normalizeMac } from '../purchase.service.js'
import { settleStkTransaction, storeProviderLog } from '../settlement/settle.service.js'
import { claimUnmatchedPayment } from './claim.js'

/** Where a recovery stands, for the portal. */
export type RecoveryAnswer =
  | { readonly status: 'ACTIVATED'; readonly transactionId: string; readonly expiresAt: string | null; readonly username?: string; readonly password?: string }
  | { readonly status: 'VERIFYING'; readonly checkId: string }
  | { readonly status: 'UNDER_REVIEW'; readonly message: string }
  | { readonly status: 'FAILED'; readonly message: string }

/** A recovery request from the portal. */
export interface RecoveryInput {
  readonly receipt?: string
  readonly phone?: string
  readonly planId?: string
  readonly hotspotId?: string
  readonly macAddress?: string
}

const RECEIPT = /^[A-Z0-9]{10}$/

/** Runs a recovery by receipt (preferred) or by phone. */
export async function recoverPayment(ctx: PaymentsContext, tenant: TenantRow, input: RecoveryInput): Promise<RecoveryAnswer> {
  const phone = input.phone ? tryNormalizePhoneKE(input.phone) : undefined
  if (input.phone && !phone) throw new AppError('INVALID_PHONE', `"${input.phone}" is not a Safaricom number. Use the form 07XXXXXXXX.`)
  if (input.receipt) return recoverByReceipt(ctx, tenant, input.receipt.trim().toUpperCase(), { ...input, ...(phone ? { phone } : {}) })
  if (phone) return recoverByPhone(ctx, tenant, phone)
  throw new AppError('VALIDATION_FAILED', 'Enter the M-Pesa code from your SMS, or your phone number.')
}

async function recoverByReceipt(ctx: PaymentsContext, tenant: TenantRow, receipt: string, input: RecoveryInput): Promise<RecoveryAnswer> {
  if (!RECEIPT.test(receipt)) throw new AppError('VALIDATION_FAILED', 'An M-Pesa code has 10 letters and digits, like UKQ7RT61SV.')
  const known = await findTransactionByReceiptAcrossTenants(ctx.db, receipt)
  if (known && known.tenant_id !== tenant.id) {
    throw new AppError('RECEIPT_NOT_FOUND', 'This M-Pesa code was not paid to this provider.')
  }
  if (known?.credited_at) return signInAgainWithReceipt(ctx, tenant, known, input)
  if (known && known.kind === 'C2B' && known.reconciliation_status === 'UNMATCHED' && !known.resolution) {
    return claimUnmatchedPayment(ctx, tenant, known.id, input)
  }
  if (known) return { status: 'UNDER_REVIEW', message: 'We have this payment and the provider is checking it. Please contact them if it takes long.' }

  const pending = await findPendingMpesaStatusQueryByReceipt(ctx.db, tenant.id, receipt)
  if (pending) return { status: 'VERIFYING', checkId: pending.id }
  const check = await createMpesaStatusQuery(ctx.db, {
    tenant_id: tenant.id, purpose: 'RECOVERY', receipt, phone: input.phone ?? null, plan_id: input.planId ?? null,
    hotspot_id: input.hotspotId ?? null, mac_address: normalizeMac(input.macAddress) ?? null,
  })
  const log: ProviderLogEntry[] = []
  try {
    const urls = tenantHookUrls(tenant, ctx.config)
    const ack = await darajaClientForTenant(tenant, ctx).transactionStatus(
      { receipt, resultUrl: urls.statusResult, timeoutUrl: urls.statusTimeout, remarks: 'receipt check' }, (e) => log.push(e))
    await updateMpesaStatusQuery(ctx.db, tenant.id, check.id, {
      originator_conversation_id: ack.originatorConversationId, conversation_id: ack.conversationId, result: { request: log },
    })
    return { status: 'VERIFYING', checkId: check.id }
  } catch (err) {
    await updateMpesaStatusQuery(ctx.db, tenant.id, check.id, {
      status: 'FAILED', completed_at: nowOf(ctx), outcome_code: 'PROVIDER_ERROR', outcome_message: String(err), result: { request: log },
    })
    throw new AppError('PROVIDER_UNAVAILABLE', 'We could not check this code with M-Pesa right now. Please try again in a minute.', { cause: err })
  }
}

/** By phone: re-asks M-Pesa about recent pushes still pending, and reports a plan already active. */
async function recoverByPhone(ctx: PaymentsContext, tenant: TenantRow, phone: string): Promise<RecoveryAnswer> {
  const since = new Date(nowOf(ctx).getTime() - 24 * 3600_000)
  const txs = await listTransactionsByPhoneSince(ctx.db, tenant.id, phone, since)
  let stillProcessing = false
  for (const tx of txs.filter((t) => t.status === 'PENDING' && t.checkout_request_id)) {
    const log: ProviderLogEntry[] = []
    const outcome = await darajaClientForTenant(tenant, ctx).stkQuery(tx.checkout_request_id!, (e) => log.push(e)).catch(() => undefined)
    await storeProviderLog(ctx, tenant.id, tx.id, log)
    if (outcome?.kind !== 'final') { stillProcessing ||= outcome?.kind === 'pending'; continue }
    const settled = await settleStkTransaction(ctx, {
      tenantId: tenant.id, transactionId: tx.id, evidence: { source: 'RECOVERY', query: { resultCode: outcome.resultCode, resultDesc: outcome.resultDesc } },
    })
    if (settled.credited) return activated(ctx, tenant.id, settled.transaction.id, settled.transaction.user_id, false)
  }
  // Only hotspot time counts here: a paybill payment that renewed the phone's home line is not this device's plan.
  const hotspotUser = await findWifiUserByPhone(ctx.db, tenant.id, phone, 'HOTSPOT')
  const credited = txs.find((t) => t.credited_at && hotspotUser && t.user_id === hotspotUser.id)
  if (credited) return activated(ctx, tenant.id, credited.id, credited.user_id, false)
  if (stillProcessing) return { status: 'FAILED', message: 'M-Pesa is still processing your payment. Wait a minute and try again; do not pay twice.' }
  return { status: 'FAILED', message: 'We found no completed payment from this number in the last 24 hours. Enter the M-Pesa code from your SMS instead.' }
}

/**
 * The answer for an activated plan. Login details only to whoever proved the payment with its receipt, and only
 * a HOTSPOT account's (credit.ts, "the rule"); a home line's expiry is not told either.
 */
export async function activated(ctx: PaymentsContext, tenantId: string, transactionId: string, userId: string | null, withLogin: boolean): Promise<RecoveryAnswer> {
  const found = userId ? await findWifiUserById(ctx.db, tenantId, userId) : undefined
  const user = found?.account_type === 'HOTSPOT' ? found : undefined
  const login = withLogin ? deviceLoginOf(user) : null
  return { status: 'ACTIVATED', transactionId, expiresAt: user?.expiry_time?.toISOString() ?? null, ...(login ?? {}) }
}

/**
 * A receipt that already activated a plan signs another device in to that plan while it runs (a returning
 * customer on a new phone or laptop). The code comes from the payer's own M-Pesa SMS, so knowing it is proof
 * enough — unlike a typed phone number. Only the HOTSPOT account the payment credited qualifies, and only while
 * active; the new device is remembered for MAC login. Simultaneous-Use still caps how many devices are online.
 */
async function signInAgainWithReceipt(ctx: PaymentsContext, tenant: TenantRow, tx: TransactionRow, input: RecoveryInput): Promise<RecoveryAnswer> {
  const user = tx.user_id ? await findWifiUserById(ctx.db, tenant.id, tx.user_id) : undefined
  const login = deviceLoginOf(user)
  const now = nowOf(ctx)
  if (!user || !login || user.archived_at || user.status !== 'ACTIVE') {
    throw new AppError('RECEIPT_ALREADY_USED', 'This M-Pesa code has already activated a plan.')
  }
  if (!user.expiry_time || user.expiry_time.getTime() <= now.getTime()) {
    throw new AppError('RECEIPT_ALREADY_USED', 'The plan this M-Pesa code paid for has ended. Buy a new plan to get back online.')
  }
  const mac = normalizeMac(input.macAddress)
  if (mac) await upsertWifiUserDevice(ctx.db, tenant.id, user.id, mac)
  return { status: 'ACTIVATED', transactionId: tx.id, expiresAt: user.expiry_time.toISOString(), ...login }
}
