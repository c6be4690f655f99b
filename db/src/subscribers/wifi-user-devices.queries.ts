/** Devices (MAC addresses) that paid for a user; radiusd's MAC authentication lets them in until expiry. */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { WifiUserDeviceRow } from './wifi-users.table.js'

/**
 * Records that `macAddress` belongs to `userId` (a MAC moves to the user who paid last) and refreshes
 * last_seen_at. The MAC is stored lower-case, colon separated.
 */
export async function upsertWifiUserDevice(db: Executor, tenantId: string, userId: string, macAddress: string): Promise<WifiUserDeviceRow> {
  return db.insertInto('wifi_user_devices').values({ tenant_id: tenantId, user_id: userId, mac_address: macAddress, last_seen_at: new Date() })
    .onConflict((oc) => oc.columns(['tenant_id', 'mac_address']).doUpdateSet({ user_id: userId, last_seen_at: sql`now()` }))
    .returningAll().executeTakeFirstOrThrow()
}

/** A tenant's device row for a MAC, or undefined. */
export async function findWifiUserDeviceByMac(db: Executor, tenantId: string, macAddress: string): Promise<WifiUserDeviceRow | undefined> {
  return db.selectFrom('wifi_user_devices').selectAll().where('tenant_id', '=', tenantId)
    .where('mac_address', '=', macAddress).executeTakeFirst()
}
