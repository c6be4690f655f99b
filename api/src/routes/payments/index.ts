/**
 * Everything issue 4 adds to the API, in one registration: the Daraja hooks (/hooks/daraja), the admin payments
 * routes (/api/payments), the public portal (/api/portal) and the hotspot router pages that lead to it
 * (/api/hotspots/:id/hotspot-files/:file). It borrows the app's db, secret box and logger
 * (plugins/db.ts) and opens the payments job queue, which it closes with the app.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Logger } from '@mnetifi/db'
import type { PaymentsConfig } from '../../payments/config.js'
import type { PaymentJobScheduler, PaymentsContext } from '../../payments/context.js'
import { createRedisDarajaTokenCache } from '../../payments/daraja/redis-token-cache.js'
import { createJobsConnection, openPaymentsQueue } from '../../jobs/scheduler.js'
import { hotspotFileRoutes } from '../hotspots/hotspot-files.routes.js'
import { portalRoutes } from '../portal/index.js'
import { paymentsAdminRoutes } from './admin.js'
import { darajaHooksRoutes } from './hooks.js'

/** Options: the API config (payments keys not in it take their defaults) and, for tests, a scheduler. */
export interface PaymentsRoutesOptions {
  /** The API's config, which includes every payments setting. */
  readonly config: PaymentsConfig
  readonly jobs?: PaymentJobScheduler
  /** Portal purchases/recoveries per client address per minute. @defaultValue 10 */
  readonly portalRateLimitPerMinute?: number
}

/** Registers hooks, admin and portal routes. */
export const paymentsRoutes: FastifyPluginAsync<PaymentsRoutesOptions> = async (app, opts) => {
  const { config } = opts
  const queue = opts.jobs ? undefined : openPaymentsQueue(config)
  // OAuth tokens are shared with the workers through Redis (a new Daraja token invalidates the old one).
  const tokenRedis = createJobsConnection(config.REDIS_URL)
  app.addHook('onClose', async () => { await queue?.close(); tokenRedis.disconnect() })
  const ctx: PaymentsContext = {
    db: app.db, secretBox: app.secretBox, tokenCache: createRedisDarajaTokenCache(tokenRedis, { prefix: `${config.JOBS_PREFIX}:daraja-token:` }), config,
    // buildApp hands Fastify the pino root as loggerInstance, so its children are pino loggers.
    log: app.log.child({ component: 'payments' }) as unknown as Logger,
    jobs: opts.jobs ?? queue!.scheduler,
  }
  await app.register(darajaHooksRoutes, { prefix: '/hooks/daraja', ctx })
  await app.register(paymentsAdminRoutes, { prefix: '/api/payments', ctx })
  await app.register(portalRoutes, { prefix: '/api/portal', ctx, ...(opts.portalRateLimitPerMinute ? { rateLimitPerMinute: opts.portalRateLimitPerMinute } : {}) })
  // The router pages that send customers to that portal (an admin hotspot route): registered here, the one
  // registration that holds the config with PUBLIC_BASE_URL; app.ts may take it over with the same options.
  await app.register(hotspotFileRoutes, { prefix: '/api/hotspots', publicBaseUrl: config.PUBLIC_BASE_URL })
}
