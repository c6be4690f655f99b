/**
 * The morning after a power cut (issue 14, point 2): a router that reboots without Accounting-On leaves its
 * sessions open and fresh in radacct (updated minutes ago, so not stale), and every device behind it logs in
 * again at once. Under Simultaneous-Use 1 the device's own dead session counted against it, and the whole router's
 * subscribers were rejected "already logged in" until the stale rule or a Stop freed them.
 *
 * From here on an open session of the same device on the same router (same Calling-Station-Id and NAS as the
 * request) does not count against that device's login: a device does not log in while its session is alive
 * (RouterOS re-authenticates a host only after its session ended), so such a row is the remains of the old one.
 * Sessions of other devices, and of the same MAC on another router (a cloned MAC), still count, so the limit
 * holds; a request without Calling-Station-Id excludes nothing. FreeRADIUS counts the
 * row (checkrad is skipped for nas.type other) — a difference listed in radiusd/README.md.
 *
 * One expression in the live radiusd_authorize() (see 2026_11_26_600100 for the approach). Frozen in time: never
 * import from db/ here.
 */
import type { Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const SIGNATURE = 'radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer)'
const BEFORE = 'AND coalesce(a.acctupdatetime, a.acctstarttime) > now() - v_stale_after;'
const AFTER = 'AND coalesce(a.acctupdatetime, a.acctstarttime) > now() - v_stale_after\n'
  + '            AND (p_calling_station_id IS NULL OR a.callingstationid IS DISTINCT FROM p_calling_station_id OR a.nasipaddress IS DISTINCT FROM p_nas_ip);'

export async function up(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, SIGNATURE, BEFORE, AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, SIGNATURE, AFTER, BEFORE)
}
