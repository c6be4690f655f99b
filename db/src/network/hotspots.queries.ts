import type { Executor } from '../executor.js'
import type { HotspotRow, HotspotUpdate, NewHotspot } from './hotspots.table.js'

/** Creates a hotspot; the mirror trigger adds its `nas` row. */
export async function createHotspot(db: Executor, hotspot: NewHotspot): Promise<HotspotRow> {
  return db.insertInto('hotspots').values(hotspot).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's hotspot by id, or undefined (also when it belongs to another tenant). */
export async function findHotspotById(db: Executor, tenantId: string, hotspotId: string): Promise<HotspotRow | undefined> {
  return db.selectFrom('hotspots').selectAll().where('tenant_id', '=', tenantId).where('id', '=', hotspotId).executeTakeFirst()
}

/** A tenant's hotspots, archived ones last. */
export async function listHotspots(db: Executor, tenantId: string): Promise<HotspotRow[]> {
  return db.selectFrom('hotspots').selectAll().where('tenant_id', '=', tenantId)
    .orderBy('archived_at', (ob) => ob.desc().nullsFirst()).orderBy('location_name').execute()
}

/**
 * The hotspot a RADIUS packet source address belongs to, whatever its tenant: the address is how a request
 * tells us its tenant in the first place.
 */
export async function findHotspotByNasIpAcrossTenants(db: Executor, nasIp: string): Promise<HotspotRow | undefined> {
  return db.selectFrom('hotspots').selectAll().where('nas_ip', '=', nasIp).where('archived_at', 'is', null).executeTakeFirst()
}

/** Updates a tenant's hotspot; undefined when it is not the tenant's. */
export async function updateHotspot(db: Executor, tenantId: string, hotspotId: string, changes: HotspotUpdate): Promise<HotspotRow | undefined> {
  return db.updateTable('hotspots').set(changes).where('tenant_id', '=', tenantId).where('id', '=', hotspotId).returningAll().executeTakeFirst()
}
