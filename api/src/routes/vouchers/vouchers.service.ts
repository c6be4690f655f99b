/**
 * Redeeming a voucher: creates or extends a user exactly once. The voucher row is locked first, so a
 * second redeemer of the same code waits, then sees it REDEEMED and gets 409. Reusable by the portal.
 */
import type { Transaction } from 'kysely'
import {
  createWifiUser, findPlanById, findWifiUserByUsername, listWifiUsersByPhone, lockVoucherByCode, lockWifiUserById,
  markVoucherRedeemed, updateWifiUser, type Database, type PlanRow, type VoucherRow, type WifiUserRow,
} from '@mnetifi/db'
import { AppError, extendExpiry } from '@mnetifi/db/domain'
import { chooseAccountForPlan } from '../../lib/hotspot-accounts.js'
import { normaliseVoucherCode } from './voucher-codes.js'
import { notifyVoucherRedeemed } from '../../notifications/customer-events.js'

/**
 * Who receives the plan: an existing user; a phone number; or a new user named by the code. For a phone, the
 * admin route credits the phone's account the plan serves (its HOTSPOT account first); the captive portal sets
 * `onlyHotspot` and credits only the phone's HOTSPOT account (lib/hotspot-accounts.ts, "the rule"). Without a
 * fitting account, a HOTSPOT account is created (username = the phone, password = the code).
 */
export type RedeemTarget = { userId: string } | { phoneNumber: string; onlyHotspot?: boolean } | Record<string, never>

/** What a redemption did. */
export interface Redemption {
  readonly voucher: VoucherRow
  readonly user: WifiUserRow
  readonly plan: PlanRow
  /** True when the redemption created the user. */
  readonly createdUser: boolean
}

/** Redeems `code` for `target` inside `trx` (RLS-scoped); throws NOT_FOUND / CONFLICT / VALIDATION_FAILED. */
export async function redeemVoucher(trx: Transaction<Database>, tenantId: string, rawCode: string, target: RedeemTarget, now = new Date()): Promise<Redemption> {
  const code = normaliseVoucherCode(rawCode)
  if (!code) throw new AppError('VALIDATION_FAILED', 'That is not a voucher code', { details: [{ path: 'body.code', message: 'expected 12 letters/digits like K7HM-3WXA-9RTC' }] })
  const voucher = await lockVoucherByCode(trx, tenantId, code)
  if (!voucher) throw new AppError('NOT_FOUND', 'No such voucher')
  if (voucher.status !== 'UNUSED') throw new AppError('CONFLICT', `This voucher is ${voucher.status.toLowerCase()}`)
  if (voucher.valid_until && voucher.valid_until.getTime() <= now.getTime()) throw new AppError('CONFLICT', 'This voucher has expired')
  const plan = (await findPlanById(trx, tenantId, voucher.plan_id))!

  let user: WifiUserRow | undefined
  let createdUser = false
  if ('userId' in target && target.userId) {
    user = await lockWifiUserById(trx, tenantId, target.userId)
    if (!user || user.archived_at) throw new AppError('NOT_FOUND', 'User not found', { details: [{ path: 'body.userId', message: 'no such user' }] })
  } else if ('phoneNumber' in target && target.phoneNumber) {
    const accounts = await listWifiUsersByPhone(trx, tenantId, target.phoneNumber)
    const hotspot = accounts.find((u) => u.account_type === 'HOTSPOT')
    // Admin: an account the plan serves; none and a hotspot plan → a new HOTSPOT account; else one the
    // plan-type check below refuses with its reason.
    const found = 'onlyHotspot' in target && target.onlyHotspot ? hotspot
      : chooseAccountForPlan(accounts, plan) ?? (plan.account_types.includes('HOTSPOT') ? undefined : hotspot ?? accounts[0])
    user = found ? await lockWifiUserById(trx, tenantId, found.id) : undefined
    if (!user) {
      const password = code.replace(/-/g, '')
      // The phone as username unless another of its accounts (a PPPoE line) already has it.
      const username = (await findWifiUserByUsername(trx, tenantId, target.phoneNumber)) ? `${target.phoneNumber}-wifi` : target.phoneNumber
      user = await createWifiUser(trx, { tenant_id: tenantId, account_type: 'HOTSPOT', phone_number: target.phoneNumber, username, password })
      createdUser = true
    }
  } else {
    // MikroTik voucher style: the code is both username and password.
    if (await findWifiUserByUsername(trx, tenantId, code)) throw new AppError('CONFLICT', 'A user already holds this code as username')
    user = await createWifiUser(trx, { tenant_id: tenantId, account_type: 'HOTSPOT', username: code, password: code })
    createdUser = true
  }
  if (!plan.account_types.includes(user.account_type)) {
    throw new AppError('VALIDATION_FAILED', `The voucher's plan does not serve ${user.account_type} accounts`, { details: [{ path: 'body.userId', message: `plan serves ${plan.account_types.join(', ')}` }] })
  }
  const updated = (await updateWifiUser(trx, tenantId, user.id, {
    current_plan_id: plan.id, expiry_time: extendExpiry(user.expiry_time, now, plan.duration_seconds),
  }))!
  const spent = await markVoucherRedeemed(trx, tenantId, voucher.id, user.id, now)
  // Cannot happen under the row lock; kept as the last line of defence for exactly-once.
  if (!spent) throw new AppError('CONFLICT', 'This voucher was redeemed concurrently')
  // The customer's "voucher activated" message commits with the redemption or not at all.
  await notifyVoucherRedeemed(trx, { voucher: spent, user: updated, plan }, now)
  return { voucher: spent, user: updated, plan, createdUser }
}

/**
 * The account a code-named voucher created (MikroTik style: the code is username and password), when that voucher
 * is already spent and its time still runs: the portal signs another device in with it instead of answering
 * "already redeemed" (a returning customer, or a captive window that closed before the router login). Knowing the
 * printed code is what the router itself would ask for.
 */
export async function findRunningCodeLogin(trx: Transaction<Database>, tenantId: string, rawCode: string, now = new Date()): Promise<WifiUserRow | undefined> {
  const code = normaliseVoucherCode(rawCode)
  if (!code) return undefined
  const voucher = await lockVoucherByCode(trx, tenantId, code)
  if (voucher?.status !== 'REDEEMED' || !voucher.redeemed_by_user_id) return undefined
  const user = await findWifiUserByUsername(trx, tenantId, code)
  const running = user && user.id === voucher.redeemed_by_user_id && user.account_type === 'HOTSPOT' && !user.archived_at
    && user.status === 'ACTIVE' && user.expiry_time && user.expiry_time.getTime() > now.getTime()
  return running ? user : undefined
}
