/**
 * Ending live sessions through the router's API (`/ip hotspot active remove`, `/ppp active remove`) for admin
 * actions, with RFC 5176 Disconnect kept as the fallback for sessions whose router has no API credentials or does
 * not answer. The API removal is exact (it finds the session by user and MAC/address, or PPP session id), works
 * where a router ignores or NAKs Disconnect-Requests, and RouterOS still sends the Accounting-Stop (Admin-Reset).
 */
import type { Kysely } from 'kysely'
import { findHotspotById, type Database, type HotspotRow, type LiveSessionRow } from '@mnetifi/db'
import { isAppError } from '@mnetifi/db/domain'
import { withTenantScope } from '../lib/tenant-scope.js'
import type { RouterOsClient } from './client.js'
import { matchesHotspot, matchesPpp } from './ghost-sessions.service.js'

/** What the RouterOS API path did. */
export type RouterApiEffect =
  | { readonly path: 'router-api'; readonly sessions: number; readonly routers: number }
  | { readonly path: 'not-used'; readonly reason: 'no-live-session' | 'not-configured' | 'unreachable' | 'not-needed' }

/** Whether MnetiFi can log in to this hotspot's router. */
export function hasRouterApi(h: HotspotRow): boolean {
  return Boolean(h.router_api_user && h.router_api_pass && (h.router_api_ip ?? h.vpn_address))
}

/**
 * Removes `sessions` from their routers through the API where it can.
 * @returns the API effect and the sessions left for the CoA path (no API, or the router did not answer).
 */
export async function removeSessionsViaRouters(
  db: Kysely<Database>, tenantId: string, sessions: readonly LiveSessionRow[], clientFor: (h: HotspotRow) => RouterOsClient,
): Promise<{ effect: RouterApiEffect; rest: LiveSessionRow[] }> {
  if (sessions.length === 0) return { effect: { path: 'not-used', reason: 'no-live-session' }, rest: [] }
  const byHotspot = new Map<string | null, LiveSessionRow[]>()
  for (const s of sessions) byHotspot.set(s.hotspot_id, [...(byHotspot.get(s.hotspot_id) ?? []), s])
  const rest: LiveSessionRow[] = []
  let removed = 0
  let routers = 0
  let unreachable = false
  for (const [hotspotId, group] of byHotspot) {
    const hotspot = hotspotId ? await withTenantScope(db, tenantId, (trx) => findHotspotById(trx, tenantId, hotspotId)) : undefined
    if (!hotspot || !hasRouterApi(hotspot)) { rest.push(...group); continue }
    try {
      const client = clientFor(hotspot)
      const users = [...new Set(group.map((s) => s.username ?? ''))]
      const [hotspotActive, pppActive] = await Promise.all([
        Promise.all(users.map((u) => client.listHotspotActive({ user: u }))).then((l) => l.flat()),
        Promise.all(users.map((u) => client.listPppActive({ name: u }))).then((l) => l.flat()),
      ])
      const hsIds = hotspotActive.filter((a) => group.some((s) => matchesHotspot(s, a))).map((a) => a.id)
      const pppIds = pppActive.filter((a) => group.some((s) => matchesPpp(s, a))).map((a) => a.id)
      removed += await client.removeHotspotActive(hsIds) + await client.removePppActive(pppIds)
      routers++
    } catch (err) {
      if (!isAppError(err)) throw err
      unreachable = true
      rest.push(...group)
    }
  }
  if (routers === 0) return { effect: { path: 'not-used', reason: unreachable ? 'unreachable' : 'not-configured' }, rest }
  return { effect: { path: 'router-api', sessions: removed, routers }, rest }
}
