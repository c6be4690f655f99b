/**
 * Ghost sessions: a router's own active lists (`/ip hotspot active`, `/ppp active`) against the open radacct rows
 * of its NAS address. Rows the router no longer has (a lost Stop, a reboot) are closed, so Simultaneous-Use and
 * "online now" rest on sessions that exist; router sessions accounting never saw are reported, and kicked when
 * asked (the device logs in again and is accounted this time).
 *
 * Order matters for correctness: radacct is read *before* the router, and only rows that started before that read
 * can be closed — a login racing the check is then either on the router list or not yet in radacct, never wrongly
 * closed. A router session is "unaccounted" only past a grace period, so an Accounting-Start still in flight is not
 * kicked.
 */
import type { Kysely } from 'kysely'
import { closeStaleSessions, listOpenSessionsOnNas, type Database, type HotspotRow, type OpenNasSession } from '@mnetifi/db'
import { withTenantScope } from '../lib/tenant-scope.js'
import type { HotspotActiveSession, PppActiveSession, RouterOsClient } from './client.js'

/** Why reconciliation closed a row, in radacct.acctterminatecause (no RouterOS Stop carries it). */
export const GHOST_TERMINATE_CAUSE = 'Stale-Session'

/** Options of {@link reconcileRouterSessions}. */
export interface ReconcileOptions {
  /** Remove router sessions accounting never saw. @defaultValue false (report only) */
  readonly kickUnaccounted?: boolean
  /** A router session younger than this may still have its Accounting-Start in flight. @defaultValue 120 s */
  readonly graceSeconds?: number
  readonly now?: () => Date
}

/** A router session radacct has no open row for. */
export interface UnaccountedSession {
  readonly kind: 'hotspot' | 'ppp'
  readonly id: string
  readonly user: string
  readonly address: string
  readonly uptimeSeconds: number
}

/** What one reconciliation found and did. */
export interface ReconcileResult {
  readonly hotspotId: string
  readonly routerSessions: number
  readonly openRows: number
  /** radacct ids closed as ghosts. */
  readonly closed: readonly number[]
  readonly unaccounted: readonly UnaccountedSession[]
  /** How many unaccounted sessions were removed from the router. */
  readonly kicked: number
}

const normMac = (mac: string | null | undefined) => (mac ?? '').toUpperCase().replace(/-/g, ':')
/** `/ppp active session-id` is the Acct-Session-Id in hex with 0x (`0x81A00005` ↔ `81a00005`), digest §5.4. */
const normSessionId = (id: string | null | undefined) => (id ?? '').toLowerCase().replace(/^0x/, '')

/** The radacct fields a router session is matched on. */
export type AccountedSession = Pick<OpenNasSession, 'acctsessionid' | 'username' | 'framedipaddress' | 'callingstationid' | 'framedprotocol'>

/** Whether a hotspot active entry is this radacct session: same user and MAC (or address). */
export function matchesHotspot(row: AccountedSession, s: HotspotActiveSession): boolean {
  if (row.framedprotocol === 'PPP' || row.username !== s.user) return false
  return (row.callingstationid !== null && normMac(row.callingstationid) === normMac(s.macAddress))
    || (row.framedipaddress !== null && row.framedipaddress === s.address)
}

/** Whether a PPP active entry is this radacct session: same name and session id (or address). */
export function matchesPpp(row: AccountedSession, s: PppActiveSession): boolean {
  if (row.username !== s.name) return false
  return (s.sessionId !== '' && normSessionId(row.acctsessionid) === normSessionId(s.sessionId))
    || (row.framedipaddress !== null && row.framedipaddress === s.address)
}

/**
 * Reconciles one hotspot's router with radacct.
 * @throws AppError ROUTER_* when the router cannot be read (nothing is closed then: no list, no verdict).
 */
export async function reconcileRouterSessions(db: Kysely<Database>, hotspot: HotspotRow, client: RouterOsClient, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = options.now ?? (() => new Date())
  const tenantId = hotspot.tenant_id
  const readAt = now()
  const rows = await withTenantScope(db, tenantId, (trx) => listOpenSessionsOnNas(trx, tenantId, hotspot.nas_ip))
  const [hotspotSessions, pppSessions] = await Promise.all([client.listHotspotActive(), client.listPppActive()])

  const ghosts = rows.filter((row) => (row.acctstarttime === null || row.acctstarttime <= readAt)
    && !hotspotSessions.some((s) => matchesHotspot(row, s)) && !pppSessions.some((s) => matchesPpp(row, s)))
  const grace = options.graceSeconds ?? 120
  const unaccounted: UnaccountedSession[] = [
    ...hotspotSessions.filter((s) => !rows.some((r) => matchesHotspot(r, s)))
      .map((s) => ({ kind: 'hotspot' as const, id: s.id, user: s.user, address: s.address, uptimeSeconds: s.uptimeSeconds })),
    ...pppSessions.filter((s) => !rows.some((r) => matchesPpp(r, s)))
      .map((s) => ({ kind: 'ppp' as const, id: s.id, user: s.name, address: s.address, uptimeSeconds: s.uptimeSeconds })),
  ].filter((s) => s.uptimeSeconds >= grace)

  const closed = await withTenantScope(db, tenantId, (trx) => closeStaleSessions(trx, tenantId, ghosts.map((g) => g.radacctid), GHOST_TERMINATE_CAUSE))
  let kicked = 0
  if (options.kickUnaccounted) {
    kicked += await client.removeHotspotActive(unaccounted.filter((s) => s.kind === 'hotspot').map((s) => s.id))
    kicked += await client.removePppActive(unaccounted.filter((s) => s.kind === 'ppp').map((s) => s.id))
  }
  return { hotspotId: hotspot.id, routerSessions: hotspotSessions.length + pppSessions.length, openRows: rows.length, closed, unaccounted, kicked }
}
