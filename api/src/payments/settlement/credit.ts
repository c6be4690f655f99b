/**
 * Crediting a plan inside the caller's database transaction, exactly once: the conditional UPDATE on
 * transactions.credited_at is the guard (a second caller, even one that skipped the row lock, updates nothing),
 * then the user's expiry moves to max(now, expiry) + duration, the paying device is remembered for MAC
 * authentication, and the confirmation (and the e-mail receipt) are written to the outbox in the same transaction
 * (notifications/payment-events.ts), so a credit rolled back leaves no message behind. The mirror triggers update the rad* rows.
 *
 * Which account a credit goes to follows lib/hotspot-accounts.ts: a push (always the captive portal's) and a
 * portal claim credit the phone's HOTSPOT account only, never its PPPoE or static home line.
 */
import type { Transaction } from 'kysely'
import { extendExpiry, type SettledBy } from '@mnetifi/db/domain'
import {
  findPlanById, lockWifiUserById, markTransactionCredited, upsertWifiUserDevice,
  type Database, type PlanRow, type TransactionRow, type WifiUserRow,
} from '@mnetifi/db'
import { getOrCreateHotspotUserByPhone } from '../../lib/hotspot-accounts.js'
import { notifyCredit } from '../../notifications/payment-events.js'

/** What a credit changed. */
export interface CreditResult {
  readonly transaction: TransactionRow
  readonly user: WifiUserRow
  readonly plan: PlanRow
  readonly previousExpiry: Date | null
}

/**
 * Credits `tx` (already locked by the caller). Returns undefined — changing nothing — when it was already
 * credited or its plan no longer exists (the caller routes that to MANUAL_REVIEW).
 * @param phone the payer in 2547… form, for a transaction without a user yet.
 */
export async function creditTransaction(
  trx: Transaction<Database>, tx: TransactionRow, opts: { now: Date; settledBy: SettledBy; userId?: string; planId?: string },
): Promise<CreditResult | undefined> {
  const planId = opts.planId ?? tx.plan_id
  if (!planId) return undefined
  const plan = await findPlanById(trx, tx.tenant_id, planId)
  if (!plan) return undefined
  const userId = opts.userId ?? tx.user_id
  let user = userId
    ? await lockWifiUserById(trx, tx.tenant_id, userId)
    : await getOrCreateHotspotUserByPhone(trx, tx.tenant_id, tx.user_phone, tx.hotspot_id)
  // Only the captive portal starts STK pushes: one names the device's HOTSPOT account, never a home line, even
  // if a user_id from elsewhere (an older row, a bug) says otherwise. An admin naming the account (opts.userId) decides.
  if (user && !opts.userId && tx.kind === 'STK_PUSH' && user.account_type !== 'HOTSPOT') {
    user = await getOrCreateHotspotUserByPhone(trx, tx.tenant_id, tx.user_phone, tx.hotspot_id)
  }
  if (!user) return undefined
  const credited = await markTransactionCredited(trx, tx.tenant_id, tx.id, opts.now, { user_id: user.id, plan_id: plan.id, settled_by: opts.settledBy })
  if (!credited) return undefined
  const expiry = extendExpiry(user.expiry_time, opts.now, plan.duration_seconds)
  const updated = await trx.updateTable('wifi_users').set({ current_plan_id: plan.id, expiry_time: expiry, updated_at: opts.now })
    .where('tenant_id', '=', tx.tenant_id).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow()
  if (tx.mac_address) await upsertWifiUserDevice(trx, tx.tenant_id, user.id, tx.mac_address)
  await notifyCredit(trx, { transaction: credited, user: updated, plan, now: opts.now, previousExpiry: user.expiry_time })
  return { transaction: credited, user: updated, plan, previousExpiry: user.expiry_time }
}
