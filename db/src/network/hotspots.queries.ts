import { sql, type Transaction } from 'kysely'
import type { Database } from '../database.js'
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

/** A page of a tenant's hotspots with the total, filtered by a location/IP search and connectivity. */
export async function searchHotspots(
  db: Executor, tenantId: string,
  options: { search?: string; connectivity?: 'UNKNOWN' | 'ONLINE' | 'OFFLINE'; includeArchived?: boolean; limit: number; offset: number },
): Promise<{ rows: HotspotRow[]; total: number }> {
  let q = db.selectFrom('hotspots').where('tenant_id', '=', tenantId)
  if (!options.includeArchived) q = q.where('archived_at', 'is', null)
  if (options.connectivity) q = q.where('connectivity_status', '=', options.connectivity)
  if (options.search) {
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('location_name', 'ilike', like), eb(eb.cast('nas_ip', 'text'), 'ilike', like)]))
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('location_name').orderBy('id').limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

/**
 * Tunnel addresses held by live hotspots of every tenant: addresses come from one network shared by all tenants,
 * so allocation must see them all (archived hotspots have released theirs).
 */
export async function listLiveTunnelAddressesAcrossTenants(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('hotspots').select((eb) => eb.fn<string>('host', [eb.ref('vpn_address')]).as('address'))
    .where('archived_at', 'is', null).where('vpn_address', 'is not', null).execute()
  return rows.map((r) => r.address)
}

/** Every live hotspot with a tunnel, any tenant: the peers of the server's wg0.conf. */
export async function listTunnelPeersAcrossTenants(db: Executor): Promise<Pick<HotspotRow, 'id' | 'tenant_id' | 'location_name' | 'vpn_address' | 'vpn_public_key' | 'vpn_preshared_key'>[]> {
  return db.selectFrom('hotspots').select(['id', 'tenant_id', 'location_name', (eb) => eb.fn<string>('host', [eb.ref('vpn_address')]).as('vpn_address'), 'vpn_public_key', 'vpn_preshared_key'])
    .where('archived_at', 'is', null).where('vpn_address', 'is not', null).where('vpn_public_key', 'is not', null).orderBy('vpn_address').execute()
}

/** The live hotspot an unexpired provisioning token (its SHA-256, hex) belongs to, whatever its tenant. */
export async function findHotspotByProvisioningTokenAcrossTenants(db: Executor, tokenHash: string, now: Date): Promise<HotspotRow | undefined> {
  return db.selectFrom('hotspots').selectAll().where('provisioning_token_hash', '=', tokenHash)
    .where('provisioning_token_expires_at', '>', now).where('archived_at', 'is', null).executeTakeFirst()
}

/** Serialises tunnel-address allocation (transaction-scoped advisory lock): the address range is shared by every tenant. */
export async function lockTunnelAllocationAcrossTenants(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('mnetifi:tunnel-addresses'))`.execute(trx)
}

/** Live hotspots of every tenant whose router MnetiFi can reach by API (user and password set), for router jobs. */
export async function listRouterManagedHotspotsAcrossTenants(db: Executor): Promise<HotspotRow[]> {
  return db.selectFrom('hotspots').selectAll().where('archived_at', 'is', null).where('router_api_user', 'is not', null)
    .where('router_api_pass', 'is not', null).where((eb) => eb.or([eb('router_api_ip', 'is not', null), eb('vpn_address', 'is not', null)]))
    .orderBy('tenant_id').orderBy('id').execute()
}
