/**
 * C2B: customers paying the paybill/till directly (no STK push). The confirmation is recorded once per receipt
 * (TransID, unique); when the account number names a known customer (their phone or username) and the amount
 * is exactly one plan's price, the plan is credited at once, else the money is UNMATCHED until the customer
 * claims it with the receipt on the portal or an admin resolves it.
 */
import { fromMajor, tryNormalizePhoneKE, type AccountType } from '@mnetifi/db/domain'
import { createTransaction, findWifiUserByUsername, listWifiUsersByPhone, type TenantRow, type WifiUserRow } from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { tenantShortcode } from './daraja/tenant-client.js'
import { C2bPaymentSchema, type C2bPayment } from './daraja/schemas.js'
import { creditTransaction } from './settlement/credit.js'

/** Daraja's validation answer. */
export interface C2bValidationAnswer { readonly ResultCode: string; readonly ResultDesc: string }

/** Accepts a payment for this tenant's shortcode; rejects other shortcodes (C2B00015) and malformed bodies. */
export async function validateC2bPayment(ctx: PaymentsContext, tenant: TenantRow, body: unknown): Promise<C2bValidationAnswer> {
  const parsed = C2bPaymentSchema.safeParse(body)
  if (!parsed.success) return { ResultCode: 'C2B00016', ResultDesc: 'Rejected' }
  if (parsed.data.BusinessShortCode !== tenantShortcode(tenant)) return { ResultCode: 'C2B00015', ResultDesc: 'Rejected' }
  if (!(Number(parsed.data.TransAmount) >= 1)) return { ResultCode: 'C2B00013', ResultDesc: 'Rejected' }
  ctx.log.debug({ tenantId: tenant.id, billRef: parsed.data.BillRefNumber }, 'C2B validation accepted')
  return { ResultCode: '0', ResultDesc: 'Accepted' }
}

type PricedPlan = { id: string; price: number; account_types: AccountType[] }

/** The plan an amount buys for `user`: the only one at that price, else the user's current plan if it costs that. */
function planFor(plans: readonly PricedPlan[], user: WifiUserRow | undefined): PricedPlan | undefined {
  return plans.length === 1 ? plans[0] : plans.find((p) => p.id === user?.current_plan_id)
}

/**
 * The customer a BillRefNumber names (phone or username), if any. A phone may hold one account of each type
 * (a home PPPoE line and a hotspot login): one account is the one, as before; of several, the one account the
 * amount buys a plan for (the PPPoE line for the monthly fee, the hotspot login for an hour), and when that is
 * not exactly one the payment waits UNMATCHED for the customer's receipt claim or an admin.
 */
async function customerFor(ctx: PaymentsContext, tenantId: string, billRef: string, plans: readonly PricedPlan[]) {
  const ref = billRef.trim()
  const phone = tryNormalizePhoneKE(ref)
  if (phone) {
    const accounts = await listWifiUsersByPhone(ctx.db, tenantId, phone)
    if (accounts.length === 0) return { phoneOnly: phone }
    if (accounts.length === 1) return accounts[0]!
    const served = accounts.filter((u) => planFor(plans, u)?.account_types.includes(u.account_type))
    return served.length === 1 ? served[0]! : { ambiguousPhone: phone }
  }
  if (!ref) return undefined
  return (await findWifiUserByUsername(ctx.db, tenantId, ref)) ?? (await findWifiUserByUsername(ctx.db, tenantId, ref.toLowerCase()))
}

/** Records a confirmation (idempotent by receipt) and credits it when it matches a customer and a plan. */
export async function confirmC2bPayment(ctx: PaymentsContext, tenant: TenantRow, body: unknown): Promise<{ transactionId?: string; credited: boolean }> {
  const parsed = C2bPaymentSchema.safeParse(body)
  if (!parsed.success) {
    ctx.log.warn({ tenantId: tenant.id, body, issues: parsed.error.message }, 'C2B confirmation failed validation')
    return { credited: false }
  }
  const c: C2bPayment = parsed.data
  const receipt = c.TransID.trim().toUpperCase()
  const amount = fromMajor(Number(c.TransAmount))
  const wrongShortcode = c.BusinessShortCode !== tenantShortcode(tenant)
  const plans = await ctx.db.selectFrom('plans').select(['id', 'price', 'account_types']).where('tenant_id', '=', tenant.id).where('price', '=', amount)
    .where('is_active', '=', true).where('archived_at', 'is', null).execute()
  const who = await customerFor(ctx, tenant.id, c.BillRefNumber, plans)
  const user = who && 'id' in who ? who : undefined
  const ambiguous = who && 'ambiguousPhone' in who
  const phone = user?.phone_number ?? (who && 'phoneOnly' in who ? who.phoneOnly : undefined)
  const plan = planFor(plans, user)
  const matched = !wrongShortcode && phone !== undefined && plan !== undefined
  const now = nowOf(ctx)
  const note = wrongShortcode ? `paid to shortcode ${c.BusinessShortCode}, not ${tenantShortcode(tenant)}`
    : ambiguous ? `account "${c.BillRefNumber}" is the phone of several accounts and ${amount} minor units does not pick one`
      : !phone ? `account "${c.BillRefNumber}" names no customer` : !plan ? `no single plan costs ${amount} minor units` : null

  const result = await ctx.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('transactions').select('id').where('mpesa_receipt', '=', receipt).executeTakeFirst()
    if (exists) return { transactionId: exists.id, credited: false, duplicate: true }
    const tx = await createTransaction(trx, {
      tenant_id: tenant.id, kind: 'C2B', user_id: user?.id ?? null, plan_id: plan?.id ?? null, user_phone: phone ?? String(c.MSISDN),
      amount, account_reference: c.BillRefNumber.slice(0, 64), mpesa_receipt: receipt, status: 'COMPLETED', completed_at: now,
      settled_by: 'C2B', result_code: '0', result_desc: c.TransactionType,
      reconciliation_status: matched ? 'MATCHED' : 'UNMATCHED', reconciliation_note: note,
    }, [{ at: now.toISOString(), kind: 'c2b.confirmation', data: body }])
    if (!matched) return { transactionId: tx.id, credited: false, duplicate: false }
    const locked = await trx.selectFrom('transactions').selectAll().where('id', '=', tx.id).forUpdate().executeTakeFirstOrThrow()
    const done = await creditTransaction(trx, locked, { now, settledBy: 'C2B', ...(user ? { userId: user.id } : {}) })
    return { transactionId: tx.id, credited: !!done, duplicate: false }
  }).catch((err: { code?: string }) => {
    // The same confirmation delivered twice at once: the unique receipt let exactly one in.
    if (err.code === '23505') return { transactionId: undefined, credited: false, duplicate: true }
    throw err
  })
  ctx.log.info({ tenantId: tenant.id, receipt, ...result }, 'C2B confirmation')
  if (result.credited && result.transactionId) {
    await ctx.jobs.scheduleCoa({ tenantId: tenant.id, transactionId: result.transactionId }).catch((err) => ctx.log.error({ err }, 'could not schedule CoA'))
  }
  return { ...(result.transactionId ? { transactionId: result.transactionId } : {}), credited: result.credited }
}
