/**
 * Carrying a tenant's SaaS billing status to its routers: `queueTenantEnforcement` records, per router, the target
 * (the tenant's status now) and queues `routers.enforce-tenant`; the job blocks or restores that router through the
 * RouterOS API and records the outcome. A router that does not answer fails the attempt, and BullMQ retries it
 * with backoff; the row shows the progress meanwhile. The job always reads the tenant's *current* status, so jobs
 * queued by quick ACTIVE/BLOCKED flips converge on the last one, and re-running an applied one changes nothing.
 */
import type { Queue } from 'bullmq'
import type { Kysely } from 'kysely'
import {
  findHotspotById, findTenantById, listHotspots, lockRouterEnforcement, recordRouterEnforcement, setRouterEnforcementTarget,
  type Database, type SecretBox,
} from '@mnetifi/db'
import { isAppError } from '@mnetifi/db/domain'
import { withTenantScope } from '../lib/tenant-scope.js'
import { routerTargetOf } from './credentials.js'
import type { RouterPool } from './pool.js'
import { hasRouterApi } from './session-actions.js'
import { blockRouter, restoreRouter } from './tenant-block.js'

export const ENFORCE_JOB = 'routers.enforce-tenant'

/** Retries while a router is unreachable: 20 attempts, exponential from `retryMs` (5 s: about a month in all). */
export function enforceJobOptions(retryMs: number) {
  return { attempts: 20, backoff: { type: 'exponential', delay: retryMs }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } }
}

/** Thrown for a router that did not apply; BullMQ retries it. */
export class RouterEnforcementError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RouterEnforcementError'
  }
}

/** Records the tenant's current status as every managed router's target and queues the jobs; returns how many. */
export async function queueTenantEnforcement(queue: Queue, db: Kysely<Database>, tenantId: string, retryMs = 5000): Promise<number> {
  const tenant = await findTenantById(db, tenantId)
  if (!tenant) return 0
  const hotspots = (await withTenantScope(db, tenantId, (trx) => listHotspots(trx, tenantId))).filter((h) => !h.archived_at && hasRouterApi(h))
  for (const h of hotspots) {
    await withTenantScope(db, tenantId, (trx) => setRouterEnforcementTarget(trx, tenantId, h.id, tenant.saas_billing_status))
    await queue.add(ENFORCE_JOB, { tenantId, hotspotId: h.id }, enforceJobOptions(retryMs))
  }
  return hotspots.length
}

/** What the job needs. */
export interface EnforcementDeps {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly pool: RouterPool
  /** Where routers fetch the "service suspended" page. */
  readonly publicBaseUrl: string
}

/** The suspended page a blocked hotspot's router fetches. */
export function suspendedPageUrl(publicBaseUrl: string, hotspotId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/provisioning/suspended/${hotspotId}/login.html`
}

/**
 * Applies the tenant's current status to one router.
 * @returns what was applied; 'skipped' for an archived hotspot or one without API credentials.
 * @throws RouterEnforcementError when the router did not apply (retry)
 */
export async function enforceOnRouter(deps: EnforcementDeps, tenantId: string, hotspotId: string): Promise<'BLOCKED' | 'ACTIVE' | 'skipped'> {
  const { db } = deps
  const tenant = await findTenantById(db, tenantId)
  const hotspot = await withTenantScope(db, tenantId, (trx) => findHotspotById(trx, tenantId, hotspotId))
  if (!tenant || !hotspot || hotspot.archived_at || !hasRouterApi(hotspot)) return 'skipped'
  const target = tenant.saas_billing_status
  const scoped = <T>(work: Parameters<typeof withTenantScope<T>>[2]) => withTenantScope(db, tenantId, work)
  const row = await scoped(async (trx) => {
    const current = await lockRouterEnforcement(trx, tenantId, hotspotId)
    return current && current.target === target ? current : setRouterEnforcementTarget(trx, tenantId, hotspotId, target)
  })
  const client = deps.pool.clientFor(routerTargetOf(hotspot, deps.secretBox))
  try {
    if (target === 'BLOCKED') {
      await blockRouter(client, row.saved_config, suspendedPageUrl(deps.publicBaseUrl, hotspotId), async (saved) => {
        await scoped((trx) => trx.updateTable('router_enforcements').set({ saved_config: saved }).where('hotspot_id', '=', hotspotId).where('tenant_id', '=', tenantId).execute())
      })
      await scoped((trx) => recordRouterEnforcement(trx, tenantId, hotspotId, { status: 'APPLIED', lastError: null }))
    } else {
      if (row.saved_config) await restoreRouter(client, row.saved_config)
      // Restored: nothing is saved any more, so a later block saves the router's values afresh.
      await scoped((trx) => recordRouterEnforcement(trx, tenantId, hotspotId, { status: 'APPLIED', lastError: null, savedConfig: null }))
    }
    return target
  } catch (err) {
    if (!isAppError(err)) throw err
    await scoped((trx) => recordRouterEnforcement(trx, tenantId, hotspotId, { status: 'FAILED', lastError: err.message }))
    throw new RouterEnforcementError(`${target} on hotspot ${hotspotId} not applied: ${err.message}`)
  }
}
