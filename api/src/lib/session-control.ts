/**
 * What the API needs from RFC 5176 (CoA / Disconnect) to act on live sessions. Routes depend on this small
 * interface; app deps inject the real client from `@mnetifi/radiusd/coa` (see createRadiusSessionControl).
 */

/** Where to send a CoA/Disconnect request: the hotspot's NAS. */
export interface NasTarget {
  /** The router's address as RADIUS sees it (hotspots.nas_ip). */
  readonly nasIp: string
  /** UDP port of the router's CoA listener (hotspots.coa_port). @defaultValue 3799 (RFC 5176 §3) */
  readonly port: number
  /** The hotspot's RADIUS shared secret. */
  readonly secret: string
}

/** Attributes identifying the session (and, for CoA, the new authorisation), by dictionary name. */
export type CoaAttributes = Readonly<Record<string, string | number>>

/** How the NAS answered: ACK, NAK with its Error-Cause (RFC 5176 §3.5), or nothing after all retries. */
export type CoaOutcome = { kind: 'ack' } | { kind: 'nak'; errorCause?: number } | { kind: 'timeout' }

/** RFC 5176 client the API drives. */
export interface SessionControl {
  /** Disconnect-Request (RFC 5176 §3.1): ends the session on the router. */
  disconnect(target: NasTarget, attributes: CoaAttributes): Promise<CoaOutcome>
  /** CoA-Request (RFC 5176 §3.2): changes a live session's limits (e.g. Session-Timeout after a recharge). */
  changeAuthorization(target: NasTarget, attributes: CoaAttributes): Promise<CoaOutcome>
}

/** What an action reports about the live session it touched. */
export type LiveSessionEffect =
  | { path: 'none'; reason: 'no-live-session' | 'handled-by-router-api' }
  | { path: 'unavailable'; reason: 'no-coa-client' }
  | { path: 'radius-disconnect' | 'radius-coa'; sessions: number; outcomes: CoaOutcome['kind'][] }
