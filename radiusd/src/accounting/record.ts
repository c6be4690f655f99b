/**
 * Accounting-Request → the values FreeRADIUS 3.2's queries.conf would interpolate, for `radiusd_accounting()`.
 *
 * - acctuniqueid: `policy.d/accounting` `acct_unique` =
 *   lower-hex MD5("User-Name,Acct-Session-Id,NAS-IP(v6),NAS-Identifier,NAS-Port-Id,NAS-Port") (digest §1.3),
 *   absent attributes as empty strings, so sessions opened under FreeRADIUS keep matching after a cut-over.
 * - Event time: Event-Timestamp, else receive time − Acct-Delay-Time (Debian's `preprocess`, addendum 1).
 * - Octets: Gigawords × 2^32 + Octets (RFC 2869 §5.1; gotcha 10 — multiplication, never `<<`).
 * - Absent text attributes are '' as FreeRADIUS writes them (addendum 6); enums by dictionary name.
 * - NAS address: NAS-IPv6-Address, else NAS-IP-Address, else the packet source (addendum 7).
 */
import { hash } from 'node:crypto'
import type { AttributeMap, AttributeValue } from '../protocol/codec.js'
import type { AcctRecord } from '../store/hot-path.js'

const GIGA = 4294967296

const STATUS: Readonly<Record<string, AcctRecord['status']>> = Object.freeze({
  Start: 'start', Stop: 'stop', 'Interim-Update': 'interim', Alive: 'interim',
  'Accounting-On': 'accounting-on', 'Accounting-Off': 'accounting-off',
})

function text(attrs: AttributeMap, name: Parameters<AttributeMap['get']>[0]): string {
  const v = attrs.get(name)?.[0]
  if (v === undefined) return ''
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v)
}

function int(attrs: AttributeMap, name: Parameters<AttributeMap['get']>[0]): number | null {
  const v = attrs.get(name)?.[0]
  return typeof v === 'number' ? v : null
}

/** Class as FreeRADIUS would print octets: the text when printable ASCII, else `0x…` hex (gotcha 6). */
export function classText(value: AttributeValue | undefined): string | null {
  if (value === undefined) return null
  const b = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')
  return b.every((c) => c >= 0x20 && c < 0x7f) ? b.toString('latin1') : `0x${b.toString('hex')}`
}

/** FreeRADIUS's Acct-Unique-Session-Id (digest §1.3). */
export function acctUniqueId(parts: { userName: string; sessionId: string; nasIp: string; nasIdentifier: string; nasPortId: string; nasPort: string }): string {
  return hash('md5', [parts.userName, parts.sessionId, parts.nasIp, parts.nasIdentifier, parts.nasPortId, parts.nasPort].join(','))
}

/** Builds the record for one Accounting-Request received at `receivedAt` (ms) from `sourceIp`. */
export function buildAcctRecord(attrs: AttributeMap, options: { tenantId: string | null; sourceIp: string; receivedAt: number }): AcctRecord {
  const statusName = text(attrs, 'Acct-Status-Type')
  const nasIp = text(attrs, 'NAS-IPv6-Address') || text(attrs, 'NAS-IP-Address') || options.sourceIp
  const userName = text(attrs, 'User-Name')
  const sessionId = text(attrs, 'Acct-Session-Id')
  const nasPortId = text(attrs, 'NAS-Port-Id')
  const nasPort = text(attrs, 'NAS-Port')
  const eventTimestamp = int(attrs, 'Event-Timestamp')
  const delay = int(attrs, 'Acct-Delay-Time') ?? 0
  const eventEpoch = eventTimestamp ?? Math.floor(options.receivedAt / 1000) - delay
  const octets = (gw: Parameters<typeof int>[1], o: Parameters<typeof int>[1]): number => (int(attrs, gw) ?? 0) * GIGA + (int(attrs, o) ?? 0)
  const orNull = (s: string): string | null => (s === '' ? null : s)
  return {
    status: STATUS[statusName] ?? 'ignored',
    tenant_id: options.tenantId,
    acctsessionid: sessionId,
    acctuniqueid: acctUniqueId({ userName, sessionId, nasIp, nasIdentifier: text(attrs, 'NAS-Identifier'), nasPortId, nasPort }),
    username: userName,
    realm: null,
    nasipaddress: nasIp,
    nasportid: orNull(nasPortId || nasPort),
    nasporttype: text(attrs, 'NAS-Port-Type'),
    event_epoch: eventEpoch,
    acctsessiontime: int(attrs, 'Acct-Session-Time'),
    acctauthentic: text(attrs, 'Acct-Authentic'),
    connectinfo: text(attrs, 'Connect-Info'),
    inputoctets: octets('Acct-Input-Gigawords', 'Acct-Input-Octets'),
    outputoctets: octets('Acct-Output-Gigawords', 'Acct-Output-Octets'),
    calledstationid: text(attrs, 'Called-Station-Id'),
    callingstationid: text(attrs, 'Calling-Station-Id'),
    acctterminatecause: text(attrs, 'Acct-Terminate-Cause'),
    servicetype: text(attrs, 'Service-Type'),
    framedprotocol: text(attrs, 'Framed-Protocol'),
    framedipaddress: orNull(text(attrs, 'Framed-IP-Address')),
    framedipv6address: orNull(text(attrs, 'Framed-IPv6-Address')),
    framedipv6prefix: orNull(text(attrs, 'Framed-IPv6-Prefix')),
    framedinterfaceid: orNull(text(attrs, 'Framed-Interface-Id')),
    delegatedipv6prefix: orNull(text(attrs, 'Delegated-IPv6-Prefix')),
    class: classText(attrs.get('Class')?.[0]),
  }
}
