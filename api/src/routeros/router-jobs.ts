/**
 * Router jobs on their own BullMQ queue (`routers`), so a slow or unreachable router never delays payment jobs:
 * - `routers.reconcile-sessions`, repeatable (every GHOST_SESSION_INTERVAL_SECONDS): reconciles every reachable
 *   router's sessions with radacct and keeps `connectivity_status` up to date; a router that was ONLINE and stops
 *   answering is logged and its ISP's owners get a `router.silent` e-mail (notifications/), once per outage;
 * - `routers.enforce-tenant` (tenant-enforcement.ts): a BLOCKED/ACTIVE tenant's state on one router, retried;
 * - `saas.run-billing`, repeatable (every SAAS_BILLING_INTERVAL_SECONDS): issues due invoices, blocks tenants
 *   overdue beyond their grace days and queues their routers.
 * One job at a time (concurrency 1, one scheduler id per repeatable job); every job is idempotent.
 */
import { Queue, Worker, type Job } from 'bullmq'
import type { Kysely } from 'kysely'
import {
  findTenantById, listAdminUsers, listRouterManagedHotspotsAcrossTenants, updateHotspot, type Database, type Executor, type HotspotRow, type Logger,
  type SecretBox,
} from '@mnetifi/db'
import { isAppError } from '@mnetifi/db/domain'
import { createJobsConnection } from '../jobs/scheduler.js'
import type { JobsRunner } from '../jobs/health.js'
import { drainWorker, trackJobs } from '../jobs/drain.js'
import { withTenantScope } from '../lib/tenant-scope.js'
import type { RouterConfig } from './config.js'
import { routerTargetOf } from './credentials.js'
import { reconcileRouterSessions, type ReconcileResult } from './ghost-sessions.service.js'
import { RouterPool } from './pool.js'
import { ENFORCE_JOB, enforceOnRouter, queueTenantEnforcement } from './tenant-enforcement.js'
import { blockOverdueTenantsAcrossTenants, issueInvoicesAcrossTenants } from '../saas-billing/billing.service.js'
import { notify } from '../notifications/notify.js'
import { formatDateTime } from '../notifications/format.js'

export const ROUTERS_QUEUE = 'routers'
export const RECONCILE_JOB = 'routers.reconcile-sessions'
export const BILLING_JOB = 'saas.run-billing'

/** One router's outcome in a sweep. */
export type SweepEntry = { readonly hotspotId: string; readonly ok: true; readonly result: ReconcileResult }
  | { readonly hotspotId: string; readonly ok: false; readonly code: string; readonly message: string }

/** Settings the router jobs read. */
export type RouterJobsConfig = Pick<RouterConfig, 'GHOST_SESSION_INTERVAL_SECONDS' | 'SAAS_BILLING_INTERVAL_SECONDS' | 'ROUTER_API_CONNECT_TIMEOUT_MS'
  | 'ROUTER_API_COMMAND_TIMEOUT_MS' | 'ROUTER_API_IDLE_MS' | 'ROUTER_ENFORCE_RETRY_MS'> & {
  readonly REDIS_URL: string
  readonly JOBS_PREFIX: string
  readonly PUBLIC_BASE_URL: string
}

/** What the router jobs need. */
export interface RouterJobsDeps {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly log: Logger
  /** @defaultValue a pool of its own, closed with the jobs */
  readonly pool?: RouterPool
}

/** Reconciles every router MnetiFi manages, one after the other; a failing router is reported, not fatal. */
export async function reconcileAllRouters(deps: RouterJobsDeps & { readonly pool: RouterPool }): Promise<SweepEntry[]> {
  const out: SweepEntry[] = []
  for (const hotspot of await listRouterManagedHotspotsAcrossTenants(deps.db)) {
    let entry: SweepEntry
    try {
      const result = await reconcileRouterSessions(deps.db, hotspot, deps.pool.clientFor(routerTargetOf(hotspot, deps.secretBox)))
      entry = { hotspotId: hotspot.id, ok: true, result }
    } catch (err) {
      if (!isAppError(err)) throw err
      entry = { hotspotId: hotspot.id, ok: false, code: err.code, message: err.message }
    }
    const failure = entry.ok ? null : entry
    const wentSilent = failure !== null && hotspot.connectivity_status === 'ONLINE'
    if (wentSilent) deps.log.warn({ hotspotId: hotspot.id, tenantId: hotspot.tenant_id, code: failure.code }, 'router went silent')
    await withTenantScope(deps.db, hotspot.tenant_id, async (trx) => {
      await updateHotspot(trx, hotspot.tenant_id, hotspot.id, entry.ok ? { connectivity_status: 'ONLINE', last_seen_at: new Date() } : { connectivity_status: 'OFFLINE' })
      // The alert commits with the OFFLINE mark: one e-mail per outage, to every active owner.
      if (wentSilent) await alertRouterSilent(trx, hotspot, failure.message)
    })
    out.push(entry)
  }
  return out
}

/** Tells the ISP's owners that a router MnetiFi could reach stopped answering (once per outage: keyed by when it was last seen). */
async function alertRouterSilent(trx: Executor, hotspot: HotspotRow, reason: string): Promise<void> {
  const tenant = await findTenantById(trx, hotspot.tenant_id)
  const since = hotspot.last_seen_at ?? new Date()
  const owners = (await listAdminUsers(trx, hotspot.tenant_id)).filter((a) => a.role === 'TENANT_OWNER' && a.is_active)
  for (const owner of owners) {
    await notify(trx, {
      tenantId: hotspot.tenant_id, type: 'router.silent', key: `router-silent:${hotspot.id}:${since.toISOString()}:${owner.id}`,
      to: { email: owner.email }, channels: ['EMAIL'],
      vars: { router: hotspot.location_name, since: formatDateTime(since, tenant?.timezone ?? 'Africa/Nairobi'), reason },
      data: { hotspotId: hotspot.id },
    })
  }
}

/** One billing run: issue due invoices, block the overdue, queue their routers. */
export async function runBilling(db: Kysely<Database>, queue: Queue, now: Date, log?: Logger, retryMs?: number): Promise<{ issued: number; blocked: string[] }> {
  const issued = await issueInvoicesAcrossTenants(db, now)
  const blocked = await blockOverdueTenantsAcrossTenants(db, now)
  for (const tenantId of blocked) {
    log?.warn({ tenantId }, 'tenant blocked: MnetiFi invoice overdue')
    await queueTenantEnforcement(queue, db, tenantId, retryMs)
  }
  return { issued: issued.length, blocked }
}

/** The running router jobs. */
export interface RunningRouterJobs {
  readonly queue: Queue
  /** Its BullMQ worker and queue (health and metrics of `mnetifi worker`). */
  readonly runner: JobsRunner
  close(): Promise<void>
}

/** Starts the `routers` worker and (re)declares the repeatable reconciliation. */
export async function startRouterJobs(config: RouterJobsConfig, deps: RouterJobsDeps): Promise<RunningRouterJobs> {
  const log = deps.log.child({ component: 'router-jobs' })
  const pool = deps.pool ?? new RouterPool({
    connectTimeoutMs: config.ROUTER_API_CONNECT_TIMEOUT_MS, commandTimeoutMs: config.ROUTER_API_COMMAND_TIMEOUT_MS, idleTimeoutMs: config.ROUTER_API_IDLE_MS,
  })
  const queueConnection = createJobsConnection(config.REDIS_URL)
  const queue = new Queue(ROUTERS_QUEUE, { connection: queueConnection, prefix: config.JOBS_PREFIX })
  queue.on('error', (err) => log.warn({ err }, 'routers queue error'))
  // Scheduler ids, not job ids: every process upserts the same ones, so there is one schedule however many run.
  for (const [name, seconds] of [[RECONCILE_JOB, config.GHOST_SESSION_INTERVAL_SECONDS], [BILLING_JOB, config.SAAS_BILLING_INTERVAL_SECONDS]] as const) {
    if (seconds > 0) {
      await queue.upsertJobScheduler(name, { every: seconds * 1000 }, { name, data: {}, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } })
    } else await queue.removeJobScheduler(name)
  }
  const workerConnection = createJobsConnection(config.REDIS_URL)
  const jobs = trackJobs(async (job: Job) => {
    switch (job.name) {
      case RECONCILE_JOB: {
        const entries = await reconcileAllRouters({ ...deps, pool })
        const closed = entries.reduce((n, e) => n + (e.ok ? e.result.closed.length : 0), 0)
        log.info({ routers: entries.length, unreachable: entries.filter((e) => !e.ok).length, closed }, 'router sessions reconciled')
        return entries
      }
      case ENFORCE_JOB: {
        const { tenantId, hotspotId } = job.data as { tenantId: string; hotspotId: string }
        return enforceOnRouter({ db: deps.db, secretBox: deps.secretBox, pool, publicBaseUrl: config.PUBLIC_BASE_URL }, tenantId, hotspotId)
      }
      case BILLING_JOB: return runBilling(deps.db, queue, new Date(), log, config.ROUTER_ENFORCE_RETRY_MS)
      default: throw new Error(`unknown job ${job.name}`)
    }
  })
  const worker = new Worker(ROUTERS_QUEUE, jobs.run, { connection: workerConnection, prefix: config.JOBS_PREFIX, concurrency: 1 })
  worker.on('error', (err) => log.error({ err }, 'routers worker error'))
  await worker.waitUntilReady()
  return {
    queue,
    runner: { name: ROUTERS_QUEUE, worker, queue },
    async close() {
      await drainWorker(worker, jobs, log)
      await queue.close()
      workerConnection.disconnect()
      queueConnection.disconnect()
      if (!deps.pool) await pool.close()
    },
  }
}
