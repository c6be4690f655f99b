/**
 * One-time codes for signing a new device in to the portal: 6 digits, valid OTP_TTL_SECONDS (5 min), at most
 * OTP_MAX_ATTEMPTS wrong guesses, at most OTP_PHONE_MAX_PER_WINDOW codes per phone and OTP_IP_MAX_PER_WINDOW per
 * client address per window. Only an HMAC of the code is stored, keyed by a server secret and the row id. The
 * code's message is written to the outbox in the same transaction as the code (SMS first, or the customer's
 * channel). A phone without a hotspot account gets the same answer but no message: the answer tells nobody which
 * numbers are customers, and no SMS is paid for a stranger.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import {
  consumeOpenOneTimeCodes, countRecentOneTimeCodes, createOneTimeCode, lockOpenOneTimeCode, recordOneTimeCodeGuess, upsertWifiUserDevice, upsertWifiUserNotificationPrefs,
  type Database, type Executor, type NotificationLanguage, type TenantRow, type WifiUserRow,
} from '@mnetifi/db'
import { AppError, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { withTenantScope } from '../lib/tenant-scope.js'
import type { NotificationsConfig } from './config.js'
import { notify } from './notify.js'

type OtpConfig = Pick<NotificationsConfig, 'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'OTP_PHONE_MAX_PER_WINDOW' | 'OTP_IP_MAX_PER_WINDOW' | 'OTP_RATE_WINDOW_SECONDS'>

/** What the services need. */
export interface OtpContext {
  readonly db: Kysely<Database>
  readonly config: OtpConfig
  /** Keys the code HMAC (the API passes a key derived from its SESSION_SECRET). */
  readonly hmacKey: Buffer
  readonly now?: () => Date
}

/** A key for the code HMAC derived from a server secret (never the secret itself). */
export function otpHmacKey(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('mnetifi one-time codes v1').digest()
}

const hashCode = (key: Buffer, id: string, code: string) => createHmac('sha256', key).update(`${id}:${code}`).digest('hex')

function phoneOf(input: string): string {
  const phone = tryNormalizePhoneKE(input)
  if (!phone) throw new AppError('INVALID_PHONE', `"${input}" is not a Kenyan mobile number. Use the form 07XXXXXXXX or 01XXXXXXXX.`)
  return phone
}

/** The phone's hotspot account (the one a device signs in with), if any. */
async function hotspotAccount(db: Executor, tenantId: string, phone: string): Promise<WifiUserRow | undefined> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone)
    .where('account_type', '=', 'HOTSPOT').where('archived_at', 'is', null).executeTakeFirst()
}

/** Issues a code for `phoneInput` and writes its message; returns how long it is valid. */
export async function requestLoginCode(
  ctx: OtpContext, tenant: TenantRow, input: { phone: string; ip: string | null; language?: NotificationLanguage },
): Promise<{ expiresInSeconds: number }> {
  if (tenant.saas_billing_status === 'BLOCKED') throw new AppError('TENANT_BLOCKED', 'This provider cannot sign devices in right now.')
  const phone = phoneOf(input.phone)
  const now = ctx.now ? ctx.now() : new Date()
  await withTenantScope(ctx.db, tenant.id, async (trx) => {
    const since = new Date(now.getTime() - ctx.config.OTP_RATE_WINDOW_SECONDS * 1000)
    const recent = await countRecentOneTimeCodes(trx, tenant.id, since, { phone, ip: input.ip })
    if (recent.phone >= ctx.config.OTP_PHONE_MAX_PER_WINDOW) throw new AppError('RATE_LIMITED', 'Too many codes for this number. Wait a few minutes and try again.')
    if (recent.ip >= ctx.config.OTP_IP_MAX_PER_WINDOW) throw new AppError('RATE_LIMITED', 'Too many codes from this network. Wait a few minutes and try again.')
    const user = await hotspotAccount(trx, tenant.id, phone)
    // The code row is stored for every request so the limits count strangers' numbers too.
    const id = randomUUID()
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    await consumeOpenOneTimeCodes(trx, tenant.id, phone, now)
    await createOneTimeCode(trx, {
      id, tenant_id: tenant.id, phone, code_hash: hashCode(ctx.hmacKey, id, code), max_attempts: ctx.config.OTP_MAX_ATTEMPTS,
      request_ip: input.ip, expires_at: new Date(now.getTime() + ctx.config.OTP_TTL_SECONDS * 1000),
    })
    if (user) {
      // The portal's language is the customer's: remember it for every later message.
      if (input.language) await upsertWifiUserNotificationPrefs(trx, tenant.id, user.id, { language: input.language })
      await notify(trx, {
        tenantId: tenant.id, type: 'otp.code', key: `otp:${id}`, userId: user.id, to: { phone, email: user.email },
        vars: { code, minutes: String(Math.round(ctx.config.OTP_TTL_SECONDS / 60)) }, ...(input.language ? { language: input.language } : {}),
      }, { now })
    }
  })
  return { expiresInSeconds: ctx.config.OTP_TTL_SECONDS }
}

/** What a right code gives the device. */
export interface CodeLogin {
  readonly login: { readonly username: string; readonly password: string } | null
  readonly expiresAt: string | null
}

/**
 * Checks a code. Right: the code is used up and the device gets the hotspot login (remembered by MAC when given)
 * while a plan runs. Wrong: one attempt fewer (INVALID_CREDENTIALS with the attempts left); none left, expired
 * or never asked for: INVALID_CREDENTIALS telling to ask for a new one.
 */
export async function verifyLoginCode(ctx: OtpContext, tenant: TenantRow, input: { phone: string; code: string; mac?: string }): Promise<CodeLogin> {
  const phone = phoneOf(input.phone)
  const now = ctx.now ? ctx.now() : new Date()
  const result = await withTenantScope(ctx.db, tenant.id, async (trx) => {
    const open = await lockOpenOneTimeCode(trx, tenant.id, phone, now)
    if (!open) return { kind: 'none' as const }
    const expected = Buffer.from(open.code_hash, 'hex')
    const given = Buffer.from(hashCode(ctx.hmacKey, open.id, input.code), 'hex')
    const correct = expected.length === given.length && timingSafeEqual(expected, given)
    const after = await recordOneTimeCodeGuess(trx, tenant.id, open.id, { correct, now })
    if (!correct) return { kind: 'wrong' as const, attemptsLeft: after.max_attempts - after.attempts }
    const user = await hotspotAccount(trx, tenant.id, phone)
    const running = user && user.status === 'ACTIVE' && user.expiry_time && user.expiry_time > now
    if (running && input.mac) await upsertWifiUserDevice(trx, tenant.id, user.id, input.mac.toLowerCase())
    return { kind: 'ok' as const, login: running ? { username: user.username, password: user.password } : null, expiresAt: running ? user.expiry_time!.toISOString() : null }
  })
  if (result.kind === 'none') throw new AppError('INVALID_CREDENTIALS', 'That code has expired or was used up. Ask for a new one.')
  if (result.kind === 'wrong') {
    throw new AppError('INVALID_CREDENTIALS', result.attemptsLeft > 0 ? 'That code is wrong.' : 'That code is wrong and was used up. Ask for a new one.', { details: { attemptsLeft: result.attemptsLeft } })
  }
  return { login: result.login, expiresAt: result.expiresAt }
}
