/** Counting CoA/Disconnect outcomes per NAS, and reading them for router health. */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { NasCoaStatsRow } from './nas-coa-stats.table.js'

/**
 * Counts one outcome for the live hotspot at `nasIp`, whatever its tenant (the CoA sender knows the address only);
 * an address no live hotspot has is not counted.
 */
export async function recordCoaOutcomeAcrossTenants(db: Executor, nasIp: string, outcome: 'ack' | 'nak' | 'timeout'): Promise<void> {
  const col = outcome === 'ack' ? 'acks' : outcome === 'nak' ? 'naks' : 'timeouts'
  await sql`
    INSERT INTO nas_coa_stats (nas_ip, tenant_id, requests, ${sql.ref(col)})
    SELECT h.nas_ip, h.tenant_id, 1, 1 FROM hotspots h WHERE h.nas_ip = ${nasIp}::inet AND h.archived_at IS NULL
    ON CONFLICT (nas_ip) DO UPDATE SET requests = nas_coa_stats.requests + 1, ${sql.ref(col)} = nas_coa_stats.${sql.ref(col)} + 1,
      tenant_id = EXCLUDED.tenant_id, last_at = now()
  `.execute(db)
}

/** A tenant's CoA counts for one NAS, or undefined before the first CoA. */
export async function findNasCoaStats(db: Executor, tenantId: string, nasIp: string): Promise<NasCoaStatsRow | undefined> {
  return db.selectFrom('nas_coa_stats').selectAll().where('tenant_id', '=', tenantId).where('nas_ip', '=', nasIp).executeTakeFirst()
}
