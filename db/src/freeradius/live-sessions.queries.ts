/**
 * Open sessions (radacct rows without a stop time) with the hotspot they run on — what an admin sees as
 * "live sessions" and what CoA/Disconnect needs to reach the router.
 */
import type { Executor } from '../executor.js'

/** An open accounting session with its NAS. Octets are bytes; times are instants. */
export interface LiveSessionRow {
  radacctid: number
  acctsessionid: string
  username: string | null
  nasipaddress: string
  framedipaddress: string | null
  callingstationid: string | null
  framedprotocol: string | null
  acctstarttime: Date | null
  acctupdatetime: Date | null
  acctsessiontime: number | null
  acctinputoctets: number | null
  acctoutputoctets: number | null
  hotspot_id: string | null
  location_name: string | null
  coa_port: number | null
  radius_secret: string | null
  user_id: string | null
}

function openSessions(db: Executor, tenantId: string) {
  return db.selectFrom('radacct as r')
    .leftJoin('hotspots as h', (j) => j.onRef('h.nas_ip', '=', 'r.nasipaddress').onRef('h.tenant_id', '=', 'r.tenant_id'))
    .leftJoin('wifi_users as u', (j) => j.onRef('u.username', '=', 'r.username').onRef('u.tenant_id', '=', 'r.tenant_id'))
    .where('r.tenant_id', '=', tenantId).where('r.acctstoptime', 'is', null)
    .select(['r.radacctid', 'r.acctsessionid', 'r.username', 'r.nasipaddress', 'r.framedipaddress', 'r.callingstationid',
      'r.framedprotocol', 'r.acctstarttime', 'r.acctupdatetime', 'r.acctsessiontime', 'r.acctinputoctets', 'r.acctoutputoctets',
      'h.id as hotspot_id', 'h.location_name', 'h.coa_port', 'h.radius_secret', 'u.id as user_id'])
}

/** A page of a tenant's open sessions, newest first, optionally on one hotspot or for one username. */
export async function listLiveSessions(
  db: Executor, tenantId: string, options: { hotspotId?: string; username?: string; limit: number; offset: number },
): Promise<{ rows: LiveSessionRow[]; total: number }> {
  let q = openSessions(db, tenantId)
  if (options.hotspotId) q = q.where('h.id', '=', options.hotspotId)
  if (options.username) q = q.where('r.username', '=', options.username)
  const [rows, count] = await Promise.all([
    q.orderBy('r.acctstarttime', 'desc').orderBy('r.radacctid', 'desc').limit(options.limit).offset(options.offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

/** One of a tenant's open sessions by radacct id, or undefined (closed, absent or another tenant's). */
export async function findLiveSessionById(db: Executor, tenantId: string, radacctId: number): Promise<LiveSessionRow | undefined> {
  return openSessions(db, tenantId).where('r.radacctid', '=', radacctId).executeTakeFirst()
}

/** Every open session of a tenant's username (a user may be online on several devices). */
export async function listLiveSessionsForUsername(db: Executor, tenantId: string, username: string): Promise<LiveSessionRow[]> {
  return openSessions(db, tenantId).where('r.username', '=', username).orderBy('r.radacctid').execute()
}

/** How many sessions a tenant has open now (the dashboard's "online now"). */
export async function countLiveSessions(db: Executor, tenantId: string): Promise<number> {
  const row = await db.selectFrom('radacct').where('tenant_id', '=', tenantId).where('acctstoptime', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Every open session of the tenant's users whose current plan is `planId` (a plan's speed changed). */
export async function listLiveSessionsForPlan(db: Executor, tenantId: string, planId: string): Promise<LiveSessionRow[]> {
  return openSessions(db, tenantId).where('u.current_plan_id', '=', planId).orderBy('r.radacctid').execute()
}
