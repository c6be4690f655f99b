/**
 * POST /api/portal/:subdomain/vouchers/redeem — a customer at the captive portal types a voucher code and gets
 * the login the portal submits to the MikroTik login page. Public (no session), so it is guarded twice:
 * a per-address request limit, and a per-address count of failed codes that refuses an address which keeps
 * guessing. Redemption itself is the admin route's exactly-once service (vouchers.service.ts), run in the
 * tenant's RLS scope. Kept apart from the payments engineer's portal folder: it needs no payments context.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { createAuditLogEntry, findTenantBySubdomain, findWifiUserByPhone, upsertWifiUserDevice } from '@mnetifi/db'
import { AppError, isAppError, type AppErrorCode } from '@mnetifi/db/domain'
import { createFailureCounter } from '../../lib/failure-counter.js'
import { deviceLoginOf } from '../../lib/hotspot-accounts.js'
import { withTenantScope } from '../../lib/tenant-scope.js'
import { ErrorBodySchema } from '../common.schemas.js'
import { normalisePhoneField } from '../users/users.service.js'
import { findRunningCodeLogin, redeemVoucher, type RedeemTarget } from '../vouchers/vouchers.service.js'
import { PortalLoginSchema, PortalRedeemBodySchema, PortalVoucherParamsSchema } from './portal-vouchers.schemas.js'

/** Options of {@link portalVoucherRoutes}. */
export interface PortalVoucherRoutesOptions {
  /** Redemptions per client address per minute. */
  readonly rateLimitPerMinute: number
  /** Failed redemptions per client address within `failureWindowSeconds` before it is refused (429). */
  readonly maxFailures: number
  /** Seconds, counted from an address's first failure. */
  readonly failureWindowSeconds: number
  /** Prefix of the Redis keys (the API's REDIS_KEY_PREFIX). */
  readonly keyPrefix: string
}

/** Refusals that look like guessing: each one counts against the caller's address. */
const COUNTED_FAILURES: ReadonlySet<AppErrorCode> = new Set(['NOT_FOUND', 'CONFLICT', 'VALIDATION_FAILED'])

const ERRORS = { 400: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 429: ErrorBodySchema, 500: ErrorBodySchema }

/** Registers the route (mount at `/api/portal`). */
export const portalVoucherRoutes: FastifyPluginAsyncZod<PortalVoucherRoutesOptions> = async (app, opts) => {
  const failures = createFailureCounter(app.redis, {
    keyPrefix: `${opts.keyPrefix}portal-voucher-failures:`, windowSeconds: opts.failureWindowSeconds, log: app.log,
  })

  app.post('/:subdomain/vouchers/redeem', {
    schema: {
      tags: ['portal'], security: [],
      summary: 'Redeem a voucher at the captive portal; answers the login for the router (exactly once per code)',
      params: PortalVoucherParamsSchema, body: PortalRedeemBodySchema, response: { 200: PortalLoginSchema, ...ERRORS },
    },
    config: {
      rateLimit: { max: opts.rateLimitPerMinute, timeWindow: 60_000, keyGenerator: (request) => `portal-voucher:${request.ip}` },
    },
  }, async (request) => {
    const { subdomain } = request.params
    const { code, phone, mac } = request.body
    const standing = await failures.check(request.ip)
    if (standing.failures >= opts.maxFailures) {
      request.log.warn({ ip: request.ip, subdomain, failures: standing.failures }, 'portal voucher redemption refused: too many failed codes')
      throw new AppError('RATE_LIMITED', 'Too many wrong voucher codes from this network; try again later', {
        details: { retryAfterSeconds: standing.retryAfterSeconds },
      })
    }
    try {
      const tenant = await findTenantBySubdomain(app.db, subdomain)
      if (!tenant) throw new AppError('NOT_FOUND', 'Unknown ISP')
      if (tenant.saas_billing_status === 'BLOCKED') throw new AppError('TENANT_BLOCKED', 'This provider cannot take vouchers right now.')
      const phoneNumber = phone === undefined ? undefined : normalisePhoneField(phone, 'body.phone')
      // Only the phone's HOTSPOT account, created when it has none: a PPPoE or static line on the same phone is
      // neither credited nor named here (lib/hotspot-accounts.ts, "the rule").
      const target: RedeemTarget = phoneNumber ? { phoneNumber, onlyHotspot: true } : {}
      const redemption = await withTenantScope(app.db, tenant.id, async (trx) => {
        if (phoneNumber) {
          // Refuse before the code is spent: radiusd would not let a suspended or closed account in anyway.
          const holder = await findWifiUserByPhone(trx, tenant.id, phoneNumber, 'HOTSPOT')
          if (holder?.archived_at) throw new AppError('CONFLICT', 'The account of this phone number is closed; contact your provider')
          if (holder?.status === 'SUSPENDED') throw new AppError('CONFLICT', 'The account of this phone number is suspended; contact your provider')
        }
        // A code-named voucher already in use signs this device in to its remaining time (nothing is redeemed).
        const running = phoneNumber ? undefined : await findRunningCodeLogin(trx, tenant.id, code)
        if (running) {
          if (mac) await upsertWifiUserDevice(trx, tenant.id, running.id, mac)
          return { again: running }
        }
        const r = await redeemVoucher(trx, tenant.id, code, target)
        // Unreachable (onlyHotspot and code-named users are HOTSPOT accounts); rolls back rather than name another account.
        if (!deviceLoginOf(r.user)) throw new AppError('INTERNAL', `voucher ${r.voucher.id} would credit a ${r.user.account_type} account on the portal`)
        // Typing a phone number proves nothing about owning it (unlike an M-Pesa prompt, which the phone must
        // answer). So an existing account is credited, but its password is not revealed and no new device is
        // let in by MAC: otherwise a cheap voucher would buy a stranger's login and remaining time.
        if (mac && r.createdUser) await upsertWifiUserDevice(trx, tenant.id, r.user.id, mac)
        await createAuditLogEntry(trx, {
          tenant_id: tenant.id, actor_id: null, actor_type: 'CUSTOMER', action: 'voucher.redeemed', entity_type: 'voucher', entity_id: r.voucher.id,
          before: { status: 'UNUSED' }, after: { status: 'REDEEMED', via: 'portal', userId: r.user.id, createdUser: r.createdUser, expiryTime: r.user.expiry_time, mac: mac ?? null },
          request_id: request.id, ip: request.ip,
        })
        return r
      })
      if ('again' in redemption) {
        const login = deviceLoginOf(redemption.again)!
        return { ...login, expiresAt: redemption.again.expiry_time!.toISOString(), message: 'This voucher is in use. Signing this device in to its remaining time.' }
      }
      request.log.info({ tenantId: tenant.id, voucherId: redemption.voucher.id, userId: redemption.user.id, createdUser: redemption.createdUser }, 'voucher redeemed on the portal')
      const expiresAt = redemption.user.expiry_time!.toISOString()
      const login = deviceLoginOf(redemption.user)!
      if (!redemption.createdUser) {
        return { username: login.username, password: null, expiresAt, message: 'Your account has been credited. Sign in with your usual password.' }
      }
      return { username: login.username, password: login.password, expiresAt, message: 'Voucher accepted. You are being signed in.' }
    } catch (err) {
      if (isAppError(err) && COUNTED_FAILURES.has(err.code)) {
        const after = await failures.record(request.ip)
        request.log.warn({ ip: request.ip, subdomain, code: err.code, failures: after.failures }, 'portal voucher redemption failed')
      }
      throw err
    }
  })
}
