/**
 * `app.routers`: the API process's RouterOS session pool (one session per router, shared by every request), and
 * `app.routerClientFor(hotspot)` to reach a hotspot's router with its stored credentials. Closed with the app.
 */
import fp from 'fastify-plugin'
import type { HotspotRow } from '@mnetifi/db'
import type { RouterOsClient } from './client.js'
import type { RouterConfig } from './config.js'
import { routerTargetOf } from './credentials.js'
import { RouterPool } from './pool.js'

declare module 'fastify' {
  interface FastifyInstance {
    routers: RouterPool
    /** The hotspot's router client; throws AppError ROUTER_NOT_CONFIGURED when it has no API credentials. */
    routerClientFor(hotspot: HotspotRow): RouterOsClient
  }
}

/** Options: the router settings, or a pool the caller owns (tests). */
export interface RouterPluginOptions {
  readonly config: Pick<RouterConfig, 'ROUTER_API_CONNECT_TIMEOUT_MS' | 'ROUTER_API_COMMAND_TIMEOUT_MS' | 'ROUTER_API_IDLE_MS'>
  readonly pool?: RouterPool | undefined
}

export const routerPlugin = fp<RouterPluginOptions>(async (app, opts) => {
  const pool = opts.pool ?? new RouterPool({
    connectTimeoutMs: opts.config.ROUTER_API_CONNECT_TIMEOUT_MS, commandTimeoutMs: opts.config.ROUTER_API_COMMAND_TIMEOUT_MS, idleTimeoutMs: opts.config.ROUTER_API_IDLE_MS,
  })
  app.decorate('routers', pool)
  app.decorate('routerClientFor', (hotspot: HotspotRow) => pool.clientFor(routerTargetOf(hotspot, app.secretBox)))
  if (!opts.pool) app.addHook('onClose', async () => pool.close())
}, { name: 'mnetifi-routers', dependencies: ['mnetifi-db'], fastify: '5.x' })
