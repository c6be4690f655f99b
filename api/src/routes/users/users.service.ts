/**
 * Checks shared by the user routes and actions: phone normalisation, referenced objects in the tenant,
 * and whether a plan serves an account type.
 */
import { randomInt } from 'node:crypto'
import { findHotspotById, findPlanById, findWifiUserById, type Executor, type PlanRow, type WifiUserRow } from '@mnetifi/db'
import { AppError, tryNormalizePhoneKE, type AccountType } from '@mnetifi/db/domain'

/** 2547XXXXXXXX, or 400 naming the field. */
export function normalisePhoneField(input: string, path = 'body.phoneNumber'): string {
  const phone = tryNormalizePhoneKE(input)
  if (!phone) throw new AppError('VALIDATION_FAILED', 'Not a Kenyan mobile number', { details: [{ path, message: 'use 07XXXXXXXX, 01XXXXXXXX or 2547XXXXXXXX' }] })
  return phone
}

/** The tenant's user or 404 (also when it is another tenant's). */
export async function getUser(db: Executor, tenantId: string, userId: string): Promise<WifiUserRow> {
  const user = await findWifiUserById(db, tenantId, userId)
  if (!user || user.archived_at) throw new AppError('NOT_FOUND', 'User not found')
  return user
}

/** The tenant's live plan or 404 naming the field; 400 when it does not serve `accountType`. */
export async function getPlanFor(db: Executor, tenantId: string, planId: string, accountType: AccountType, path: string): Promise<PlanRow> {
  const plan = await findPlanById(db, tenantId, planId)
  if (!plan || plan.archived_at) throw new AppError('NOT_FOUND', 'Plan not found', { details: [{ path, message: 'no such plan' }] })
  if (!plan.account_types.includes(accountType)) {
    throw new AppError('VALIDATION_FAILED', `The plan does not serve ${accountType} accounts`, { details: [{ path, message: `plan serves ${plan.account_types.join(', ')}` }] })
  }
  return plan
}

/** Throws 404 naming the field unless the hotspot is the tenant's and not archived. */
export async function assertHotspot(db: Executor, tenantId: string, hotspotId: string, path: string): Promise<void> {
  const hotspot = await findHotspotById(db, tenantId, hotspotId)
  if (!hotspot || hotspot.archived_at) throw new AppError('NOT_FOUND', 'Hotspot not found', { details: [{ path, message: 'no such hotspot' }] })
}

// No 0/O, 1/I/L: passwords are read out over the phone and typed on handsets.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A random 8-character RADIUS password (≈ 39 bits; brute force is bounded by RADIUS round trips). */
export function generateUserPassword(): string {
  let out = ''
  for (let i = 0; i < 8; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]
  return out
}
