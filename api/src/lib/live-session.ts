/**
 * Acting on live sessions through RFC 5176. Called AFTER the database change commits, so a router that
 * re-authorises at once already sees the new state, and no transaction stays open across UDP retries.
 */
import type { LiveSessionRow } from '@mnetifi/db'
import type { CoaAttributes, LiveSessionEffect, SessionControl } from './session-control.js'

/** RFC 5176 §3 identification of one session: User-Name + Acct-Session-Id (+ Framed-IP-Address, which MikroTik hotspot matches on). */
export function identify(session: LiveSessionRow): CoaAttributes {
  return {
    'User-Name': session.username ?? '',
    'Acct-Session-Id': session.acctsessionid,
    ...(session.framedipaddress ? { 'Framed-IP-Address': session.framedipaddress } : {}),
  }
}

function reachable(sessions: readonly LiveSessionRow[]) {
  return sessions.filter((s) => s.radius_secret !== null && s.coa_port !== null)
}

/** Sends a Disconnect-Request for each session; says which path was used. */
export async function disconnectSessions(control: SessionControl | null, sessions: readonly LiveSessionRow[]): Promise<LiveSessionEffect> {
  if (sessions.length === 0) return { path: 'none', reason: 'no-live-session' }
  if (!control) return { path: 'unavailable', reason: 'no-coa-client' }
  const outcomes = await Promise.all(reachable(sessions).map((s) =>
    control.disconnect({ nasIp: s.nasipaddress, port: s.coa_port!, secret: s.radius_secret! }, identify(s))))
  return { path: 'radius-disconnect', sessions: sessions.length, outcomes: outcomes.map((o) => o.kind) }
}

/** Sends a CoA-Request with `attributes` (e.g. Session-Timeout, Mikrotik-Rate-Limit) to each session. */
export async function changeSessions(
  control: SessionControl | null, sessions: readonly LiveSessionRow[], attributes: CoaAttributes,
): Promise<LiveSessionEffect> {
  if (sessions.length === 0) return { path: 'none', reason: 'no-live-session' }
  if (!control) return { path: 'unavailable', reason: 'no-coa-client' }
  const outcomes = await Promise.all(reachable(sessions).map((s) =>
    control.changeAuthorization({ nasIp: s.nasipaddress, port: s.coa_port!, secret: s.radius_secret! }, { ...identify(s), ...attributes })))
  return { path: 'radius-coa', sessions: sessions.length, outcomes: outcomes.map((o) => o.kind) }
}
