/**
 * Activating a plan from money we already hold but could not match (a C2B paybill payment whose account number
 * named nobody, or a verified receipt): exactly once, under the transaction's row lock.
 */
import { sql, type Transaction } from 'kysely'
import { AppError, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { lockTransactionById, updateTransaction, type Database, type TenantRow, type TransactionRow } from '@mnetifi/db'
import { nowOf, type PaymentsContext } from '../context.js'
import { normalizeMac } from '../purchase.service.js'
import { creditTransaction } from '../settlement/credit.js'
import { activated, type RecoveryAnswer, type RecoveryInput } from './recovery.service.js'

/**
 * The hotspot plan an amount buys: the requested one if its price matches, else the only active hotspot plan at
 * that price. Only plans serving HOTSPOT accounts: a portal claim credits the phone's HOTSPOT account
 * (settlement/credit.ts, "the rule"), so a home-line price is left to the provider (UNDER_REVIEW).
 */
export async function planForAmount(trx: Transaction<Database>, tenantId: string, amount: number, planId?: string | null) {
  const plans = await trx.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId).where('price', '=', amount)
    .where('is_active', '=', true).where('archived_at', 'is', null).where(sql<boolean>`'HOTSPOT' = ANY (account_types)`).execute()
  return planId ? plans.find((p) => p.id === planId) : plans.length === 1 ? plans[0] : undefined
}

/** Credits a locked, uncredited transaction for `phone` and plan; marks it MATCHED / settled by RECOVERY. */
export async function creditRecovered(
  ctx: PaymentsContext, trx: Transaction<Database>, tx: TransactionRow, input: { phone: string; planId: string; macAddress?: string | null; note: string },
): Promise<TransactionRow | undefined> {
  const now = nowOf(ctx)
  const row = (await updateTransaction(trx, tx.tenant_id, tx.id, {
    user_phone: input.phone, plan_id: input.planId, ...(input.macAddress ? { mac_address: input.macAddress } : {}),
    reconciliation_status: 'MATCHED', reconciliation_note: input.note, settled_by: 'RECOVERY', status: 'COMPLETED', completed_at: tx.completed_at ?? now,
    // The money goes to the phone's own HOTSPOT account (credited below), not whoever the row named before.
    user_id: null,
  }))!
  const done = await creditTransaction(trx, row, { now, settledBy: 'RECOVERY' })
  return done?.transaction
}

/** The customer claims an UNMATCHED payment with its receipt. */
export async function claimUnmatchedPayment(ctx: PaymentsContext, tenant: TenantRow, transactionId: string, input: RecoveryInput): Promise<RecoveryAnswer> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const tx = await lockTransactionById(trx, tenant.id, transactionId)
    if (!tx || tx.credited_at || tx.reconciliation_status !== 'UNMATCHED') {
      throw new AppError('RECEIPT_ALREADY_USED', 'This M-Pesa code has already activated a plan.')
    }
    const phone = input.phone ?? tryNormalizePhoneKE(tx.user_phone)
    if (!phone) throw new AppError('VALIDATION_FAILED', 'Enter your phone number together with the M-Pesa code.')
    const plan = await planForAmount(trx, tenant.id, tx.amount, input.planId)
    if (!plan) return undefined
    return creditRecovered(ctx, trx, tx, { phone, planId: plan.id, macAddress: normalizeMac(input.macAddress) ?? null, note: 'claimed on the portal with its receipt' })
  })
  if (!result) return { status: 'UNDER_REVIEW', message: 'The amount paid does not match a plan. The provider will sort it out; please contact them.' }
  await ctx.jobs.scheduleCoa({ tenantId: tenant.id, transactionId }).catch((err) => ctx.log.error({ err }, 'could not schedule CoA'))
  return activated(ctx, tenant.id, transactionId, result.user_id, true)
}
