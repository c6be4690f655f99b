/**
 * Crediting a plan inside the caller's database transaction, exactly once: the conditional UPDATE on
 * transactions.credited_at is the guard (a second caller, even one that skipped the row lock, updates nothing),
 * then the user's expiry moves to max(now, expiry) + duration, the paying device is remembered for MAC
 * authentication, and the SMS confirmation is written to the outbox. The mirror triggers update the rad* rows.
 */
import { randomInt } from 'node:crypto'
import type { Transaction } from 'kysely'
import { extendExpiry, type SettledBy } from '@mnetifi/db/domain'
import {
  enqueueNotification, findPlanById, lockWifiUserById, markTransactionCredited, upsertWifiUserDevice,
  type Database, type PlanRow, type TransactionRow, type WifiUserRow,
} from '@mnetifi/db'

/** What a credit changed. */
export interface CreditResult {
  readonly transaction: TransactionRow
  readonly user: WifiUserRow
  readonly plan: PlanRow
  readonly previousExpiry: Date | null
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A short password a customer can type on a phone (no 0/o/1/l/i). */
export function generateHotspotPassword(length = 8): string {
  let out = ''
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]
  return out
}

/**
 * The tenant's user for a phone, created (hotspot account, username = the phone) when new, and locked.
 * Two concurrent creations for the same phone meet on the (tenant_id, phone_number) unique key.
 */
export async function getOrCreateUserByPhone(
  trx: Transaction<Database>, tenantId: string, phone: string, homeHotspotId: string | null,
): Promise<WifiUserRow> {
  await trx.insertInto('wifi_users').values({
    tenant_id: tenantId, phone_number: phone, account_type: 'HOTSPOT', username: phone, password: generateHotspotPassword(),
    home_hotspot_id: homeHotspotId,
  }).onConflict((oc) => oc.columns(['tenant_id', 'phone_number']).doNothing()).execute()
  return trx.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone)
    .forUpdate().executeTakeFirstOrThrow()
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
  const user = userId
    ? await lockWifiUserById(trx, tx.tenant_id, userId)
    : await getOrCreateUserByPhone(trx, tx.tenant_id, tx.user_phone, tx.hotspot_id)
  if (!user) return undefined
  const credited = await markTransactionCredited(trx, tx.tenant_id, tx.id, opts.now, { user_id: user.id, plan_id: plan.id, settled_by: opts.settledBy })
  if (!credited) return undefined
  const expiry = extendExpiry(user.expiry_time, opts.now, plan.duration_seconds)
  const updated = await trx.updateTable('wifi_users').set({ current_plan_id: plan.id, expiry_time: expiry, updated_at: opts.now })
    .where('tenant_id', '=', tx.tenant_id).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow()
  if (tx.mac_address) await upsertWifiUserDevice(trx, tx.tenant_id, user.id, tx.mac_address)
  await enqueueNotification(trx, {
    tenant_id: tx.tenant_id, channel: 'SMS', recipient: user.phone_number ?? tx.user_phone, template: 'payment-confirmed',
    dedupe_key: `payment-confirmed:${tx.id}`,
    payload: JSON.stringify({
      transactionId: tx.id, planName: plan.name, amount: tx.amount, currency: tx.currency, receipt: credited.mpesa_receipt,
      expiresAt: expiry.toISOString(), username: updated.username, password: updated.password,
    }),
  })
  return { transaction: credited, user: updated, plan, previousExpiry: user.expiry_time }
}
