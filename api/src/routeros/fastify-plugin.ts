/**
 * `app.routers`: the API process's RouterOS session pool (one session per router, shared by every request),
 * `app.routerClientFor(hotspot)` to reach a hotspot's router with its stored credentials, and
 * `app.queueTenantEnforcement(tenantId)` to carry a tenant's BLOCKED/ACTIVE status to its routers through the
 * `routers` queue (opened on first use). Closed with the app.
 */
import { Queue } from 'bullmq'
import fp from 'fastify-plugin'
import { createJobsConnection } from '../jobs/scheduler.js'
import { queueTenantEnforcement } from './tenant-enforcement.js'
import { ROUTERS_QUEUE } from './router-jobs.js'
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
    /** Queues `routers.enforce-tenant` for each of the tenant's managed routers; returns how many. */
    queueTenantEnforcement(tenantId: string): Promise<number>
  }
}

/** Options: the router settings, or a pool the caller owns (tests). */
export interface RouterPluginOptions {
  readonly config: Pick<RouterConfig, 'ROUTER_API_CONNECT_TIMEOUT_MS' | 'ROUTER_API_COMMAND_TIMEOUT_MS' | 'ROUTER_API_IDLE_MS'> & {
    readonly REDIS_URL: string
    readonly JOBS_PREFIX: string
    readonly ROUTER_ENFORCE_RETRY_MS: number
  }
  readonly pool?: RouterPool | undefined
}

export const routerPlugin = fp<RouterPluginOptions>(async (app, opts) => {
  const pool = opts.pool ?? new RouterPool({
    connectTimeoutMs: opts.config.ROUTER_API_CONNECT_TIMEOUT_MS, commandTimeoutMs: opts.config.ROUTER_API_COMMAND_TIMEOUT_MS, idleTimeoutMs: opts.config.ROUTER_API_IDLE_MS,
  })
  app.decorate('routers', pool)
  app.decorate('routerClientFor', (hotspot: HotspotRow) => pool.clientFor(routerTargetOf(hotspot, app.secretBox)))
  let queue: { queue: Queue; connection: ReturnType<typeof createJobsConnection> } | undefined
  app.decorate('queueTenantEnforcement', async (tenantId: string) => {
    if (!queue) {
      const connection = createJobsConnection(opts.config.REDIS_URL)
      queue = { connection, queue: new Queue(ROUTERS_QUEUE, { connection, prefix: opts.config.JOBS_PREFIX }) }
    }
    return queueTenantEnforcement(queue.queue, app.db, tenantId, opts.config.ROUTER_ENFORCE_RETRY_MS)
  })
  app.addHook('onClose', async () => {
    if (queue) {
      await queue.queue.close()
      queue.connection.disconnect()
    }
    if (!opts.pool) await pool.close()
  })
}, { name: 'mnetifi-routers', dependencies: ['mnetifi-db'], fastify: '5.x' })
