/**
 * Who is calling: reads the signed session cookie, loads the session and its admin, and exposes
 * `request.admin`. Routes declare their roles with {@link requireRole}, which also fixes `request.tenantId`.
 */
import { createHash, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { z } from 'zod'
import { findActiveAdminSessionAcrossTenants, findTenantById, touchAdminSessionAcrossTenants } from '@mnetifi/db'
import { AppError, type AdminRole } from '@mnetifi/db/domain'

/** The cookie that carries the session token. */
export const SESSION_COOKIE = 'mnetifi_session'
/** Header a platform operator uses to act inside one tenant. */
export const TENANT_HEADER = 'x-tenant-id'

/** The signed-in admin as routes see it. */
export interface AuthenticatedAdmin {
  readonly id: string
  readonly email: string
  readonly fullName: string
  readonly role: AdminRole
  /** null only for platform operators. */
  readonly tenantId: string | null
  readonly sessionId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin when a valid session cookie came with the request. */
    admin: AuthenticatedAdmin | null
    /** The tenant this request acts in (set by requireRole); null for platform-wide requests. */
    tenantId: string | null
  }
}

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions {
  /** Signs the cookie. */
  readonly sessionSecret: string
  readonly cookieSecure: boolean
  /** A session unused for this many seconds is refused (sliding expiry within the absolute TTL). */
  readonly idleTimeoutSeconds: number
}

/** last_seen_at is written at most once per this many seconds per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_SECONDS = 60

/** SHA-256 of a session token: what the database stores. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new random 256-bit session token (base64url). */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Sets the session cookie: HTTP-only (no script can read it), SameSite=Lax (no cross-site POSTs), signed. */
export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: maxAgeSeconds })
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure })
}

/** Reads the cookie and loads the admin, or leaves request.admin null. */
export const authPlugin = fp<AuthPluginOptions>(async (app, opts) => {
  await app.register(cookie, { secret: opts.sessionSecret })
  app.decorateRequest('admin', null)
  app.decorateRequest('tenantId', null)
  app.addHook('onRequest', async (request) => {
    const raw = request.cookies[SESSION_COOKIE]
    if (!raw) return
    const unsigned = request.unsignCookie(raw)
    if (!unsigned.valid || !unsigned.value) return
    const now = new Date()
    const found = await findActiveAdminSessionAcrossTenants(app.db, hashSessionToken(unsigned.value), now, {
      idleBefore: new Date(now.getTime() - opts.idleTimeoutSeconds * 1000),
    })
    if (!found) return
    const touchBefore = new Date(now.getTime() - SESSION_TOUCH_INTERVAL_SECONDS * 1000)
    if (found.session.last_seen_at <= touchBefore) {
      await touchAdminSessionAcrossTenants(app.db, found.session.id, now, touchBefore)
    }
    request.admin = Object.freeze({
      id: found.admin.id, email: found.admin.email, fullName: found.admin.full_name, role: found.admin.role,
      tenantId: found.admin.tenant_id, sessionId: found.session.id,
    })
  })
  // Routes name their role check as a preHandler, which Fastify runs after validation: a caller without a
  // session would get 400 for a bad body before 401. Move every role check to onRequest (before parsing and
  // validation) so 401/403 come first and an anonymous caller learns nothing from the input rules. Done here,
  // once, so no route (including ones written later) can get the order wrong.
  app.addHook('onRoute', (route) => {
    const pre = route.preHandler
    const hooks = pre === undefined ? [] : Array.isArray(pre) ? pre : [pre]
    const checks = hooks.filter((h) => ROLE_CHECKS.has(h as unknown as RoleCheck))
    if (checks.length === 0) return
    route.preHandler = hooks.filter((h) => !ROLE_CHECKS.has(h as unknown as RoleCheck))
    const on = route.onRequest
    route.onRequest = [...(on === undefined ? [] : Array.isArray(on) ? on : [on]), ...(checks as never[])]
  })
}, { name: 'mnetifi-auth', dependencies: ['mnetifi-db'], fastify: '5.x' })

/** Roles that manage a tenant's money and network settings. */
export const OWNER_ROLES = Object.freeze(['PLATFORM_OPERATOR', 'TENANT_OWNER'] as const)
/** Roles that do support work: users, tickets, sessions (no money settings). */
export const STAFF_ROLES = Object.freeze(['PLATFORM_OPERATOR', 'TENANT_OWNER', 'TENANT_STAFF'] as const)
/** MnetiFi staff only. */
export const PLATFORM_ROLES = Object.freeze(['PLATFORM_OPERATOR'] as const)

const TenantHeaderSchema = z.uuid()

type RoleCheck = (request: FastifyRequest) => Promise<void>
/** Every function requireRole made; the onRoute hook above recognises them. */
const ROLE_CHECKS = new WeakSet<RoleCheck>()

/**
 * Hook that lets only `roles` through: 401 without a session, 403 for another role. It fixes the
 * request's tenant: the admin's own, or for a platform operator the X-Tenant-Id header (404 if unknown).
 * Reuse it on every route: `{ preHandler: requireRole(OWNER_ROLES) }`; the auth plugin runs it at onRequest,
 * before validation (see the onRoute hook).
 */
export function requireRole(roles: readonly AdminRole[]): preHandlerAsyncHookHandler {
  const checkRole = async function checkRole(this: unknown, request: FastifyRequest): Promise<void> {
    const admin = request.admin
    if (!admin) throw new AppError('UNAUTHENTICATED', 'Sign in first')
    if (!roles.includes(admin.role)) throw new AppError('FORBIDDEN', 'Your role may not do this')
    if (admin.tenantId) {
      request.tenantId = admin.tenantId
      return
    }
    const header = request.headers[TENANT_HEADER]
    if (header === undefined) return
    const parsed = TenantHeaderSchema.safeParse(header)
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'X-Tenant-Id must be a tenant id', {
        details: [{ path: `headers.${TENANT_HEADER}`, message: 'must be a UUID' }],
      })
    }
    if (!(await findTenantById(request.server.db, parsed.data))) throw new AppError('NOT_FOUND', 'Tenant not found')
    request.tenantId = parsed.data
  }
  ROLE_CHECKS.add(checkRole)
  return checkRole
}
