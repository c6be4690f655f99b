/**
 * Per-router progress of a tenant's SaaS block or restore. The row is the source of truth a retried job resumes
 * from: `target` is what the router should show now, `saved_config` what blocking replaced.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { RouterEnforcementRow, SavedRouterConfig } from './router-enforcements.table.js'

/** Sets what a hotspot's router should show; a changed target restarts its progress. */
export async function setRouterEnforcementTarget(db: Executor, tenantId: string, hotspotId: string, target: 'BLOCKED' | 'ACTIVE'): Promise<RouterEnforcementRow> {
  return db.insertInto('router_enforcements').values({ tenant_id: tenantId, hotspot_id: hotspotId, target })
    .onConflict((oc) => oc.column('hotspot_id').doUpdateSet({
      target,
      status: sql`CASE WHEN router_enforcements.target = ${target} AND router_enforcements.status = 'APPLIED' THEN 'APPLIED' ELSE 'PENDING' END`,
      attempts: sql`CASE WHEN router_enforcements.target = ${target} THEN router_enforcements.attempts ELSE 0 END`,
      updated_at: sql`now()`,
    })).returningAll().executeTakeFirstOrThrow()
}

/** The hotspot's enforcement row, locked for the job applying it. */
export async function lockRouterEnforcement(db: Executor, tenantId: string, hotspotId: string): Promise<RouterEnforcementRow | undefined> {
  return db.selectFrom('router_enforcements').selectAll().where('tenant_id', '=', tenantId).where('hotspot_id', '=', hotspotId).forUpdate().executeTakeFirst()
}

/** Records an attempt's outcome. */
export async function recordRouterEnforcement(
  db: Executor, tenantId: string, hotspotId: string,
  outcome: { status: 'APPLIED' | 'FAILED'; lastError: string | null; savedConfig?: SavedRouterConfig | null },
): Promise<void> {
  await db.updateTable('router_enforcements').set({
    status: outcome.status, last_error: outcome.lastError, attempts: sql`attempts + 1`, updated_at: sql`now()`,
    ...(outcome.savedConfig !== undefined ? { saved_config: outcome.savedConfig } : {}),
  }).where('tenant_id', '=', tenantId).where('hotspot_id', '=', hotspotId).execute()
}

/** A tenant's per-router progress, with each hotspot's name. */
export async function listRouterEnforcements(db: Executor, tenantId: string): Promise<(RouterEnforcementRow & { location_name: string })[]> {
  return db.selectFrom('router_enforcements as e').innerJoin('hotspots as h', (j) => j.onRef('h.id', '=', 'e.hotspot_id').onRef('h.tenant_id', '=', 'e.tenant_id'))
    .selectAll('e').select('h.location_name').where('e.tenant_id', '=', tenantId).orderBy('h.location_name').execute()
}
