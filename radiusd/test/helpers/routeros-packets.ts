/**
 * What RouterOS 7 puts in its RADIUS requests — attributes, values and wire order — as packet builders over our
 * codec (protocol digest §4.3). `routeros-nas.ts` sends them.
 *
 * Where the shapes come from:
 * - Hotspot Access-Request and hotspot Start/Stop: the RouterOS 7.x trace quoted in the digest (FreeRADIUS 3.2.5
 *   `-X` log, which prints attributes in the order it decoded them). Its Access-Request is 242 octets, Start 168,
 *   Stop 216, and these builders reproduce those lengths from the same values. Message-Authenticator is the LAST
 *   attribute there, so that is the default position here; `'first'` (where our encodeRequest puts it) is an option.
 * - Interim-Update: not in the trace; built as Stop without Acct-Terminate-Cause (RFC 5080 §2.3.1, digest §4.3).
 * - Class in accounting: the trace's server sent none, so where RouterOS places the echo is not observed; it goes
 *   after the identification block here. Attribute order never changes meaning (RFC 2865 §5).
 * - PPPoE Access-Request: attribute set from the RouterOS manual (digest §4.3 ◐); the order is not observed.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { computeChapPassword } from '../../src/auth/chap.js'
import { generateNtResponse, ntPasswordHash } from '../../src/auth/mschapv2.js'
import { findStandardAttribute, findVendorAttribute, type AttributeName } from '../../src/dictionary/index.js'
import { decodeValue } from '../../src/protocol/attribute-values.js'
import { encodeRequest, PacketCode, type AttributeList, type AttributeValue } from '../../src/protocol/codec.js'

const GIGA = 4294967296
const MA_TYPE = 80

/** Who the router says it is in every request. */
export interface NasIdentity {
  /** `/system identity` → NAS-Identifier. */
  readonly identity: string
  /** The address packets come from (127.0.0.x here). */
  readonly sourceAddress: string
  /**
   * NAS-IP-Address. RouterOS sends its own address, which is not the packet source when the RADIUS traffic
   * leaves through a tunnel or NAT; acctuniqueid hashes this attribute (digest §1.3). @defaultValue sourceAddress
   */
  readonly nasIp?: string
}

/** A hotspot client as the router sees it (`/ip hotspot active`). */
export interface HotspotClient {
  /** Client MAC, `radius-mac-format` default: upper-case `XX:XX:XX:XX:XX:XX` → Calling-Station-Id. */
  readonly mac: string
  /** Client address after Universal-Client translation → Framed-IP-Address. */
  readonly ip: string
  /** The client's original address → Mikrotik-Host-IP. @defaultValue ip */
  readonly hostIp?: string
  /** Hotspot server name → Called-Station-Id (e.g. `hs-vlan888-hotspot`). */
  readonly server: string
  /** Hotspot interface → NAS-Port-Id (e.g. `vlan888-hotspot`). */
  readonly interface: string
  /** 8 lower-case hex digits → Acct-Session-Id; NAS-Port is the same number in decimal. */
  readonly sessionId: string
  /** The hotspot's own address, for WISPr-Logoff-URL `http://<gateway>/logout`. */
  readonly gateway: string
  /** Hotspot profile `nas-port-type`. @defaultValue 'Wireless-802.11' */
  readonly portType?: 'Wireless-802.11' | 'Ethernet' | 'Cable'
}

/** `login-by` methods: http-chap (the default), http-pap, and mac (`mac-auth-mode=mac-as-username`). */
export type HotspotLogin =
  | { readonly method: 'http-chap'; readonly username: string; readonly password: string
      /** `$(chap-id)` and `$(chap-challenge)` of the login page. @defaultValue random */
      readonly chapId?: number; readonly chapChallenge?: Buffer }
  | { readonly method: 'http-pap'; readonly username: string; readonly password: string }
  /**
   * http-chap as the router really holds it: the login form's hex MD5 (the page hashed the password), forwarded
   * as CHAP-Password = chap-id ‖ MD5 with the challenge the page was served with.
   */
  | { readonly method: 'http-chap-response'; readonly username: string; readonly chapId: number; readonly chapChallenge: Buffer; readonly response: Buffer }
  /** User-Name = the MAC in `radius-mac-format`; the password is empty unless `mac-auth-password` is set. */
  | { readonly method: 'mac'; readonly password?: string }

/** A PPPoE client (`/interface pppoe-server`). */
export interface PppoeClient {
  /** Client MAC, upper-case colon form → Calling-Station-Id. */
  readonly mac: string
  /** PPPoE service name → Called-Station-Id. */
  readonly service: string
  /** The Ethernet interface the server runs on → NAS-Port-Id. */
  readonly interface: string
  /** 8 lower-case hex digits → Acct-Session-Id; NAS-Port is the same number in decimal. */
  readonly sessionId: string
}

/** An MS-CHAPv2 login (RFC 2759); the challenges default to random bytes. */
export interface PppoeLogin {
  readonly username: string
  readonly password: string
  readonly authChallenge?: Buffer
  readonly peerChallenge?: Buffer
  /** PPP CHAP Identifier (first octet of MS-CHAP2-Response). @defaultValue 1 */
  readonly ident?: number
}

export interface HotspotAccounting {
  readonly status: 'Start' | 'Interim-Update' | 'Stop'
  /** Router clock, seconds since the epoch. */
  readonly eventTimestamp: number
  /** Acct-Delay-Time, seconds. @defaultValue 0 */
  readonly delay?: number
  /** The Class of the Access-Accept, echoed unchanged (RADIUS server cookie). */
  readonly class?: Buffer
  /** Interim/Stop: Acct-Session-Time, seconds. @defaultValue 0 */
  readonly sessionTime?: number
  /** Interim/Stop: bytes from the client (router receives), 64-bit → Octets + Gigawords. @defaultValue 0 */
  readonly inputBytes?: number
  /** Interim/Stop: bytes to the client, 64-bit → Octets + Gigawords. @defaultValue 0 */
  readonly outputBytes?: number
  /** @defaultValue 0 */
  readonly inputPackets?: number
  /** @defaultValue 0 */
  readonly outputPackets?: number
  /** Stop: Acct-Terminate-Cause. @defaultValue 'User-Request' */
  readonly terminateCause?: string
}

/** One decoded attribute in wire order; Message-Authenticator included (raw value). */
export type WireAttribute = readonly [string, AttributeValue]

const nasPortOf = (sessionId: string): number => {
  if (!/^[0-9a-f]{8}$/.test(sessionId)) throw new Error(`RouterOS Acct-Session-Id is 8 lower-case hex digits, got ${sessionId}`)
  return Number.parseInt(sessionId, 16)
}

/** The identification attributes every hotspot packet starts with, in RouterOS's order. */
function hotspotIdentity(client: HotspotClient, userName: string): [AttributeName, AttributeValue][] {
  return [
    ['NAS-Port-Type', client.portType ?? 'Wireless-802.11'],
    ['Calling-Station-Id', client.mac],
    ['Called-Station-Id', client.server],
    ['NAS-Port-Id', client.interface],
    ['User-Name', userName],
    ['NAS-Port', nasPortOf(client.sessionId)],
    ['Acct-Session-Id', client.sessionId],
    ['Framed-IP-Address', client.ip],
    ['Mikrotik-Host-IP', client.hostIp ?? client.ip],
  ]
}

/** Hotspot Access-Request attributes in wire order, without Message-Authenticator (digest §4.3, trace). */
export function hotspotAccessRequestAttributes(nas: NasIdentity, client: HotspotClient, login: HotspotLogin): AttributeList {
  const userName = login.method === 'mac' ? client.mac : login.username
  const credentials: [AttributeName, AttributeValue][] = []
  if (login.method === 'http-chap') {
    const challenge = login.chapChallenge ?? randomBytes(16)
    credentials.push(['CHAP-Challenge', challenge],
      ['CHAP-Password', computeChapPassword(login.chapId ?? randomBytes(1)[0]!, login.password, challenge)])
  } else if (login.method === 'http-chap-response') {
    credentials.push(['CHAP-Challenge', login.chapChallenge], ['CHAP-Password', Buffer.concat([Buffer.from([login.chapId]), login.response])])
  } else {
    credentials.push(['User-Password', login.password ?? ''])
  }
  return [
    ...hotspotIdentity(client, userName),
    ...credentials,
    ['Service-Type', 'Login-User'],
    ['WISPr-Logoff-URL', `http://${client.gateway}/logout`],
    ['NAS-Identifier', nas.identity],
    ['NAS-IP-Address', nas.nasIp ?? nas.sourceAddress],
  ]
}

/** Splits a 64-bit byte count into RADIUS Octets + Gigawords (RFC 2869 §5.1; multiplication, never shifts). */
function octets(bytes: number): [number, number] {
  return [bytes % GIGA, Math.floor(bytes / GIGA)]
}

/** Hotspot Accounting-Request attributes in wire order (digest §4.3, trace): Start, Interim-Update or Stop. */
export function hotspotAccountingAttributes(nas: NasIdentity, client: HotspotClient, userName: string, acct: HotspotAccounting): AttributeList {
  const out: [AttributeName, AttributeValue][] = [['Acct-Status-Type', acct.status]]
  if (acct.status === 'Stop') out.push(['Acct-Terminate-Cause', acct.terminateCause ?? 'User-Request'])
  out.push(...hotspotIdentity(client, userName))
  if (acct.class) out.push(['Class', acct.class])
  out.push(['Event-Timestamp', acct.eventTimestamp])
  if (acct.status !== 'Start') {
    const [inOctets, inGiga] = octets(acct.inputBytes ?? 0)
    const [outOctets, outGiga] = octets(acct.outputBytes ?? 0)
    // Gigawords go out even when 0 (trace).
    out.push(['Acct-Input-Octets', inOctets], ['Acct-Output-Octets', outOctets], ['Acct-Input-Gigawords', inGiga],
      ['Acct-Output-Gigawords', outGiga], ['Acct-Input-Packets', acct.inputPackets ?? 0],
      ['Acct-Output-Packets', acct.outputPackets ?? 0], ['Acct-Session-Time', acct.sessionTime ?? 0])
  }
  out.push(['NAS-Identifier', nas.identity], ['Acct-Delay-Time', acct.delay ?? 0], ['NAS-IP-Address', nas.nasIp ?? nas.sourceAddress])
  return out
}

/** PPPoE MS-CHAPv2 Access-Request attributes (digest §4.3 ◐) and the values a test needs to check the answer. */
export function pppoeAccessRequestAttributes(nas: NasIdentity, client: PppoeClient, login: PppoeLogin):
  { attributes: AttributeList; authChallenge: Buffer; peerChallenge: Buffer; ntResponse: Buffer } {
  const authChallenge = login.authChallenge ?? randomBytes(16)
  const peerChallenge = login.peerChallenge ?? randomBytes(16)
  const ntResponse = generateNtResponse(authChallenge, peerChallenge, login.username, ntPasswordHash(login.password))
  // RFC 2548 §2.3.2: Ident, Flags (0), Peer-Challenge, 8 reserved zero octets, NT-Response.
  const response = Buffer.concat([Buffer.from([login.ident ?? 1, 0]), peerChallenge, Buffer.alloc(8), ntResponse])
  const attributes: AttributeList = [
    ['Service-Type', 'Framed-User'],
    ['Framed-Protocol', 'PPP'],
    ['NAS-Port', nasPortOf(client.sessionId)],
    ['NAS-Port-Type', 'Ethernet'],
    ['User-Name', login.username],
    ['Calling-Station-Id', client.mac],
    ['Called-Station-Id', client.service],
    ['NAS-Port-Id', client.interface],
    ['Acct-Session-Id', client.sessionId],
    ['MS-CHAP-Challenge', authChallenge],
    ['MS-CHAP2-Response', response],
    ['NAS-Identifier', nas.identity],
    ['NAS-IP-Address', nas.nasIp ?? nas.sourceAddress],
  ]
  return { attributes, authChallenge, peerChallenge, ntResponse }
}

export interface EncodeAccessRequestOptions {
  readonly identifier: number
  readonly secret: string
  /** @defaultValue 16 random bytes */
  readonly authenticator?: Buffer
  /** false = RouterOS ≤ 7.14. @defaultValue 'last' */
  readonly messageAuthenticator?: 'first' | 'last' | false
}

/**
 * Encodes an Access-Request with our codec. For Message-Authenticator last, a zeroed one is appended and its
 * HMAC-MD5 (RFC 3579 §3.2) computed here with node:crypto over the final bytes, independently of the codec.
 */
export function encodeAccessRequest(attributes: AttributeList, options: EncodeAccessRequestOptions): Buffer {
  const secret = Buffer.from(options.secret)
  const authenticator = options.authenticator ?? randomBytes(16)
  const position = options.messageAuthenticator ?? 'last'
  if (position !== 'last') {
    return encodeRequest({ code: PacketCode.AccessRequest, identifier: options.identifier, secret, authenticator, attributes,
      messageAuthenticator: position === 'first' })
  }
  const packet = encodeRequest({ code: PacketCode.AccessRequest, identifier: options.identifier, secret, authenticator,
    attributes: [...attributes, ['Message-Authenticator', Buffer.alloc(16)]], messageAuthenticator: false })
  createHmac('md5', secret).update(packet).digest().copy(packet, packet.length - 16)
  return packet
}

/** Encodes an Accounting-Request (authenticator = MD5 over a zeroed field, RFC 2866 §3; RouterOS adds no MA). */
export function encodeAccountingRequest(attributes: AttributeList, options: { identifier: number; secret: string }): Buffer {
  return encodeRequest({ code: PacketCode.AccountingRequest, identifier: options.identifier, secret: Buffer.from(options.secret),
    attributes, messageAuthenticator: false })
}

/** Lists a packet's attributes in wire order, decoding values with the secret and the request authenticator. */
export function listAttributes(packet: Buffer, secret: string, requestAuthenticator: Buffer): WireAttribute[] {
  const ctx = { secret: Buffer.from(secret), authenticator: requestAuthenticator }
  const out: WireAttribute[] = []
  const length = packet.readUInt16BE(2)
  for (let off = 20; off < length; off += packet[off + 1]!) {
    const type = packet[off]!
    const value = packet.subarray(off + 2, off + packet[off + 1]!)
    if (type === MA_TYPE) {
      out.push(['Message-Authenticator', Buffer.from(value)])
    } else if (type === 26) {
      const vendor = value.readUInt32BE(0)
      for (let v = 4; v < value.length; v += value[v + 1]!) {
        const def = findVendorAttribute(vendor, value[v]!)
        const raw = value.subarray(v + 2, v + value[v + 1]!)
        out.push(def ? [def.name, decodeValue(def, raw, ctx)] : [`Vendor-${vendor}-Attr-${value[v]}`, Buffer.from(raw)])
      }
    } else {
      const def = findStandardAttribute(type)
      out.push(def ? [def.name, decodeValue(def, value, ctx)] : [`Attr-${type}`, Buffer.from(value)])
    }
  }
  return out
}

/** MD5 hex of FreeRADIUS's acct_unique input (digest §1.3), computed here independently of radiusd. */
export function expectedAcctUniqueId(parts: readonly (string | number)[]): string {
  return createHash('md5').update(parts.join(',')).digest('hex')
}
