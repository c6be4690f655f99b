/**
 * The API as a Fastify instance: infrastructure plugins first, then every route plugin, registered
 * explicitly so the order is visible (no folder scan).
 */
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import type { Redis } from 'ioredis'
import type { Database, Logger, SecretBox } from '@mnetifi/db'
import { isCookieSecure, type Config } from './config.js'
import type { SessionControl } from './lib/session-control.js'
import { errorHandlerPlugin } from './plugins/error-handler.js'
import { dbPlugin } from './plugins/db.js'
import { rateLimitPlugin } from './plugins/rate-limit.js'
import { swaggerPlugin } from './plugins/swagger.js'
import { authPlugin } from './plugins/auth.js'
import { tenantScopePlugin } from './plugins/tenant-scope.js'
import { webAppsPlugin } from './plugins/web-apps.js'
import { authRoutes } from './routes/auth/index.js'
import { tenantRoutes } from './routes/tenants/index.js'
import { hotspotRoutes } from './routes/hotspots/index.js'
import { provisioningRoutes } from './routes/hotspots/provisioning.routes.js'
import { routerRoutes } from './routes/hotspots/router.routes.js'
import { saasBillingRoutes } from './routes/saas-billing/index.js'
import { routerPlugin } from './routeros/fastify-plugin.js'
import type { RouterPool } from './routeros/pool.js'
import { withCoaStats } from './routeros/coa-stats.js'
import { syncServerTunnelsAcrossTenants } from './routeros/provisioning.service.js'
import { planRoutes } from './routes/plans/index.js'
import { healthRoutes } from './routes/health/index.js'
import { planRateRoutes } from './routes/plans/apply-rate.routes.js'
import { userRoutes } from './routes/users/index.js'
import { userActionRoutes } from './routes/users/actions.js'
import { sessionRoutes } from './routes/sessions/index.js'
import { voucherRoutes } from './routes/vouchers/index.js'
import { ipPoolRoutes } from './routes/ip-pools/index.js'
import { ticketRoutes } from './routes/tickets/index.js'
import { paymentsRoutes } from './routes/payments/index.js'
import { reportRoutes } from './routes/reports/index.js'
import { adminRoutes } from './routes/admins/index.js'
import { portalVoucherRoutes } from './routes/portal-vouchers/index.js'
import { notificationRoutes } from './routes/notifications/index.js'
import { notificationHooksRoutes } from './routes/notifications/hooks.js'
import { loginCodeRoutes } from './routes/notifications/login-codes.js'

/** What the entry point hands the API; it created these and closes them after `app.close()`. */
export interface AppDeps {
  readonly db: Kysely<Database>
  readonly redis?: Redis | null
  readonly log: Logger
  readonly secretBox: SecretBox
  /** RFC 5176 client for live-session actions; without it they answer with path 'unavailable'. */
  readonly coa?: SessionControl | null
  /** RouterOS API sessions; without it the app opens its own pool and closes it with the app. */
  readonly routerPool?: RouterPool
}

/** Builds (but does not start) the API. */
export async function buildApp(config: Config, deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'api' }),
    // Accept a proxy's request id so one id follows a request through every log; else make one.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: config.API_TRUST_PROXY,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  // ── infrastructure ──
  await app.register(errorHandlerPlugin)
  await app.register(dbPlugin, { db: deps.db, secretBox: deps.secretBox, redis: deps.redis ?? null, sessionControl: deps.coa ? withCoaStats(deps.coa, deps.db, deps.log) : null })
  await app.register(rateLimitPlugin, { keyPrefix: config.REDIS_KEY_PREFIX })
  await app.register(swaggerPlugin)
  await app.register(authPlugin, {
    sessionSecret: config.SESSION_SECRET, cookieSecure: isCookieSecure(config), idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
  })
  await app.register(tenantScopePlugin)
  await app.register(routerPlugin, { config, pool: deps.routerPool })

  // ── admin API (issue 5) ──
  await app.register(healthRoutes, { prefix: '/api' })
  await app.register(authRoutes, {
    prefix: '/api/auth',
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    cookieSecure: isCookieSecure(config),
    loginRateLimit: { max: config.LOGIN_RATE_LIMIT_MAX, ipMax: config.LOGIN_IP_RATE_LIMIT_MAX, windowSeconds: config.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
  })
  await app.register(tenantRoutes, { prefix: '/api' })
  await app.register(hotspotRoutes, {
    prefix: '/api/hotspots',
    // An archived hotspot releases its tunnel address: drop its peer from the server's wg0.conf.
    onArchived: async (hotspot) => {
      if (!hotspot.vpn_address || !config.VPN_SERVER_PRIVATE_KEY || !config.VPN_ENDPOINT) return
      await syncServerTunnelsAcrossTenants(deps.db, deps.secretBox, config)
    },
  })
  // One-paste router provisioning (issue 11): /api/hotspots/:id/provisioning…, public /api/provisioning/:token/…
  await app.register(provisioningRoutes, { prefix: '/api', config })
  await app.register(routerRoutes, { prefix: '/api/hotspots', config })
  // MnetiFi billing its tenants, and BLOCKED/ACTIVE on their routers (issue 11).
  await app.register(saasBillingRoutes, { prefix: '/api' })
  await app.register(planRoutes, { prefix: '/api/plans' })
  await app.register(planRateRoutes, { prefix: '/api/plans' })
  await app.register(userRoutes, { prefix: '/api/users' })
  await app.register(userActionRoutes, { prefix: '/api/users' })
  await app.register(sessionRoutes, { prefix: '/api/sessions' })
  await app.register(voucherRoutes, { prefix: '/api/vouchers' })
  await app.register(ipPoolRoutes, { prefix: '/api/ip-pools' })
  await app.register(ticketRoutes, { prefix: '/api/tickets' })
  await app.register(reportRoutes, { prefix: '/api/reports' })
  await app.register(adminRoutes, { prefix: '/api' })
  // Public: customers redeem vouchers on the captive portal (same /api/portal/:subdomain shape as payments').
  await app.register(portalVoucherRoutes, {
    prefix: '/api/portal',
    rateLimitPerMinute: config.PORTAL_VOUCHER_RATE_LIMIT_PER_MINUTE,
    maxFailures: config.PORTAL_VOUCHER_MAX_FAILURES,
    failureWindowSeconds: config.PORTAL_VOUCHER_FAILURE_WINDOW_SECONDS,
    keyPrefix: config.REDIS_KEY_PREFIX,
  })

  // ── payments and portal (issue 4) ──
  // Daraja hooks (/hooks/daraja), admin payments (/api/payments) and the public portal (/api/portal).
  await app.register(paymentsRoutes, { config })
  // ── end payments ──

  // ── customer communication (issue 12): admin routes and provider webhooks ──
  await app.register(notificationRoutes, { prefix: '/api/notifications', publicBaseUrl: config.PUBLIC_BASE_URL })
  await app.register(notificationHooksRoutes, { prefix: '/hooks/notifications', publicBaseUrl: config.PUBLIC_BASE_URL })
  await app.register(loginCodeRoutes, { prefix: '/api/portal', config, serverSecret: config.SESSION_SECRET })

  // ── the built React apps and the landing page ──
  await app.register(webAppsPlugin, { portalDir: config.WEB_PORTAL_DIR, adminDir: config.WEB_ADMIN_DIR })

  return app
}

/** The built API instance. */
export type App = Awaited<ReturnType<typeof buildApp>>
