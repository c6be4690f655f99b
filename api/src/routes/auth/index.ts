/**
 * Sign in, sign out, who am I, change password.
 */
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { AppError } from '@mnetifi/db/domain'
import {
  createAdminSession, deleteAdminSessionAcrossTenants, deleteOtherAdminSessionsAcrossTenants, findAdminUserByEmailAcrossTenants,
  hashPassword, verifyPassword,
} from '@mnetifi/db'
import {
  clearSessionCookie, generateSessionToken, hashSessionToken, requireRole, setSessionCookie, STAFF_ROLES,
} from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, ErrorBodySchema, OkSchema } from '../common.schemas.js'
import { LoginBodySchema, PasswordChangeBodySchema, SessionResponseSchema, toAdmin } from './auth.schemas.js'

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions {
  readonly sessionTtlSeconds: number
  readonly cookieSecure: boolean
  /**
   * `max` attempts per client address and e-mail, and `ipMax` per address whatever the e-mail, both within
   * `windowSeconds`.
   */
  readonly loginRateLimit: { readonly max: number; readonly ipMax: number; readonly windowSeconds: number }
}

// Verifying against a real hash when the e-mail is unknown keeps the answer time the same either way, so
// timing does not reveal which e-mails have accounts.
const DUMMY_HASH = await hashPassword('mnetifi-timing-equaliser')

/** /api/auth routes. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  // The overall cap per address: the per-e-mail limit alone would let one address spray many accounts.
  // createRateLimit, not rateLimit(): @fastify/rate-limit runs only one of its hooks per request.
  const perAddress = app.createRateLimit({
    max: opts.loginRateLimit.ipMax, timeWindow: opts.loginRateLimit.windowSeconds * 1000, keyGenerator: (request) => `login-ip:${request.ip}`,
  })
  const checkAddressCap = async (request: FastifyRequest): Promise<void> => {
    const verdict = await perAddress(request)
    if (!verdict.isAllowed && verdict.isExceeded) {
      throw new AppError('RATE_LIMITED', `Too many sign-in attempts from this address; try again in ${verdict.ttlInSeconds} s`, {
        details: { retryAfterSeconds: verdict.ttlInSeconds },
      })
    }
  }
  app.post('/login', {
    schema: {
      tags: ['auth'], summary: 'Sign in with e-mail and password; sets the session cookie', security: [],
      body: LoginBodySchema, response: { 200: SessionResponseSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 429: ErrorBodySchema, 500: ErrorBodySchema },
    },
    config: {
      rateLimit: {
        max: opts.loginRateLimit.max,
        timeWindow: opts.loginRateLimit.windowSeconds * 1000,
        // Per address and account: one attacker cannot lock a victim out from elsewhere, nor spray one account.
        keyGenerator: (request) => `login:${request.ip}:${String((request.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
      },
    },
    preHandler: checkAddressCap,
  }, async (request, reply) => {
    const { email, password } = request.body
    const admin = await findAdminUserByEmailAcrossTenants(app.db, email)
    const ok = await verifyPassword(admin?.password_hash ?? DUMMY_HASH, password)
    if (!admin || !ok || !admin.is_active) throw new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password')
    const token = generateSessionToken()
    await createAdminSession(app.db, {
      id: hashSessionToken(token), admin_id: admin.id, ip: request.ip, user_agent: request.headers['user-agent'] ?? null,
      expires_at: new Date(Date.now() + opts.sessionTtlSeconds * 1000),
    })
    await app.db.updateTable('admin_users').set({ last_login_at: new Date() }).where('id', '=', admin.id).execute()
    setSessionCookie(reply, token, opts.sessionTtlSeconds, opts.cookieSecure)
    request.log.info({ adminId: admin.id }, 'admin signed in')
    return { admin: toAdmin({ id: admin.id, email: admin.email, fullName: admin.full_name, role: admin.role, tenantId: admin.tenant_id }) }
  })

  app.post('/logout', {
    schema: { tags: ['auth'], summary: 'Sign out (ends this session)', response: { 200: OkSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request, reply) => {
    await deleteAdminSessionAcrossTenants(app.db, request.admin!.sessionId)
    clearSessionCookie(reply, opts.cookieSecure)
    return { ok: true as const }
  })

  app.get('/me', {
    schema: { tags: ['auth'], summary: 'The signed-in admin', response: { 200: SessionResponseSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => ({ admin: toAdmin(request.admin!) }))

  app.post('/password', {
    schema: {
      tags: ['auth'], summary: 'Change own password; signs out every other session',
      body: PasswordChangeBodySchema, response: { 200: OkSchema, ...ERROR_RESPONSES },
    },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => {
    const admin = request.admin!
    const row = await app.db.selectFrom('admin_users').select('password_hash').where('id', '=', admin.id).executeTakeFirstOrThrow()
    if (!(await verifyPassword(row.password_hash, request.body.currentPassword))) {
      throw new AppError('VALIDATION_FAILED', 'The current password is wrong', {
        details: [{ path: 'body.currentPassword', message: 'does not match' }],
      })
    }
    const passwordHash = await hashPassword(request.body.newPassword)
    await app.db.transaction().execute(async (trx) => {
      await trx.updateTable('admin_users').set({ password_hash: passwordHash }).where('id', '=', admin.id).execute()
      await deleteOtherAdminSessionsAcrossTenants(trx, admin.id, admin.sessionId)
      await audit(trx, request, { action: 'admin.password-changed', entityType: 'admin_user', entityId: admin.id })
    })
    return { ok: true as const }
  })
}
