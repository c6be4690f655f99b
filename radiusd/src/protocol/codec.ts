/**
 * RADIUS packet codec (RFC 2865 §3, §5; RFC 2866 §3; RFC 3579 §3.2; RFC 5176 §2.3).
 *
 * Our own implementation over the generated dictionary instead of the `radius` npm package: that package
 * appends Message-Authenticator last and compares digests as UTF-8 strings (protocol digest, gotcha 5), and the
 * codec is the hot path. Every other module uses these types only, so the wire format lives here alone.
 */
import { randomBytes } from 'node:crypto'
import { findAttribute, findStandardAttribute, findVendorAttribute, type AttributeName } from '../dictionary/index.js'
import { computeAuthenticator, computeMessageAuthenticator, digestsEqual } from './crypto.js'
import { decodeValue, encodeValue, type AttributeValue } from './attribute-values.js'
import { AttributeEncodeError, MalformedPacketError } from './errors.js'

export type { AttributeValue } from './attribute-values.js'
export { AttributeEncodeError, MalformedPacketError } from './errors.js'

/** Packet codes (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3). */
export const PacketCode = Object.freeze({
  AccessRequest: 1, AccessAccept: 2, AccessReject: 3, AccountingRequest: 4, AccountingResponse: 5,
  AccessChallenge: 11, StatusServer: 12, DisconnectRequest: 40, DisconnectAck: 41, DisconnectNak: 42,
  CoaRequest: 43, CoaAck: 44, CoaNak: 45,
} as const)

/** Attributes of a decoded packet: always arrays, in wire order per name (style §11). */
export type AttributeMap = ReadonlyMap<AttributeName, readonly AttributeValue[]>
/** Attributes to encode, in order. */
export type AttributeList = ReadonlyArray<readonly [AttributeName, AttributeValue]>

export interface RadiusPacket {
  readonly code: number
  readonly identifier: number
  readonly authenticator: Buffer
  readonly attributes: AttributeMap
  readonly hasMessageAuthenticator: boolean
}

const HEADER = 20
const MAX_PACKET = 4096
const MA_TYPE = 80
const VSA_TYPE = 26
const ZERO16 = Buffer.alloc(16)

/** Codes whose authenticator is MD5 over a zeroed field (accounting-style requests). */
const ZERO_AUTH_REQUESTS: ReadonlySet<number> = new Set([4, 40, 43])

/**
 * Validates the TLV lengths of the attribute area (RFC 2865 §5: malformed ⇒ discard) and returns the offset of
 * the first Message-Authenticator, or -1. Walks the bytes only: nothing is allocated per attribute.
 */
function scanAttributes(packet: Buffer, length: number): number {
  let ma = -1
  for (let off = HEADER; off < length;) {
    if (off + 2 > length) throw new MalformedPacketError('bad-attribute-length', 'truncated attribute header', off)
    const len = packet[off + 1]!
    if (len < 2 || off + len > length) throw new MalformedPacketError('bad-attribute-length', `attribute length ${len}`, off)
    if (ma < 0 && packet[off] === MA_TYPE) ma = off
    off += len
  }
  return ma
}

function addValue(attributes: Map<AttributeName, AttributeValue[]>, name: AttributeName, value: AttributeValue): void {
  const list = attributes.get(name)
  if (list) list.push(value)
  else attributes.set(name, [value])
}

/** Reads the header and checks Length (RFC 2865 §3: shorter than Length ⇒ discard, longer ⇒ padding). */
function readLength(packet: Buffer): number {
  if (packet.length < HEADER) throw new MalformedPacketError('too-short', `${packet.length} octets`)
  const length = packet.readUInt16BE(2)
  if (length < HEADER || length > MAX_PACKET || length > packet.length) {
    throw new MalformedPacketError('length-mismatch', `Length field ${length}, datagram ${packet.length}`)
  }
  return length
}

/** The code of a datagram, or undefined when it is too short to have one. */
export function peekCode(packet: Buffer): number | undefined {
  return packet.length >= 1 ? packet[0] : undefined
}

export interface DecodeOptions {
  /** Drop Access-Requests without Message-Authenticator (per-NAS flag, BlastRADIUS). @defaultValue false */
  readonly requireMessageAuthenticator?: boolean
  /** For responses: the authenticator of the request they answer. */
  readonly requestAuthenticator?: Buffer
}

/**
 * Decodes and authenticates a packet with the shared secret. Requests of accounting style and all responses
 * have their authenticator verified; Message-Authenticator is verified whenever present.
 * @throws MalformedPacketError for anything RFC 2865/3579/5080 say to silently discard.
 */
export function decodePacket(packet: Buffer, secret: Buffer, options: DecodeOptions = {}): RadiusPacket {
  const length = readLength(packet)
  const data = packet.subarray(0, length)
  const code = data[0]!
  const authenticator = Buffer.from(data.subarray(4, HEADER))
  const ma = scanAttributes(data, length)
  const isResponse = options.requestAuthenticator !== undefined
  const zeroAuth = ZERO_AUTH_REQUESTS.has(code)
  const authBase = isResponse ? options.requestAuthenticator! : zeroAuth ? ZERO16 : authenticator

  if (isResponse || zeroAuth) {
    if (!digestsEqual(computeAuthenticator(data, authBase, secret), authenticator)) {
      throw new MalformedPacketError('bad-authenticator', `code ${code} authenticator does not match the secret`)
    }
  }
  if (ma >= 0) {
    const maValue = data.subarray(ma + 2, ma + data[ma + 1]!)
    if (maValue.length !== 16) throw new MalformedPacketError('bad-message-authenticator', 'length is not 16', ma)
    if (!digestsEqual(computeMessageAuthenticator(data, authBase, ma + 2, secret), maValue)) {
      throw new MalformedPacketError('bad-message-authenticator', 'HMAC-MD5 does not match', ma)
    }
  } else if (options.requireMessageAuthenticator && code === PacketCode.AccessRequest) {
    throw new MalformedPacketError('missing-message-authenticator', 'this NAS must send Message-Authenticator')
  }

  const ctx = { secret, authenticator: isResponse ? options.requestAuthenticator! : authenticator }
  const attributes = new Map<AttributeName, AttributeValue[]>()
  for (let off = HEADER; off < length;) {
    const type = data[off]!
    const end = off + data[off + 1]!
    if (type === VSA_TYPE) {
      if (end - off - 2 < 5) throw new MalformedPacketError('bad-attribute-length', 'Vendor-Specific too short', off)
      const vendor = data.readUInt32BE(off + 2)
      // One type-26 attribute may carry several sub-attributes (gotcha 2); unknown vendors are skipped whole.
      for (let v = off + 6; v < end;) {
        if (v + 2 > end) throw new MalformedPacketError('bad-attribute-length', 'truncated VSA', v)
        const vlen = data[v + 1]!
        if (vlen < 2 || v + vlen > end) throw new MalformedPacketError('bad-attribute-length', `VSA length ${vlen}`, v)
        const def = findVendorAttribute(vendor, data[v]!)
        if (def) addValue(attributes, def.name, decodeValue(def, data.subarray(v + 2, v + vlen), ctx))
        v += vlen
      }
    } else if (type !== MA_TYPE) {
      const def = findStandardAttribute(type)
      if (def) addValue(attributes, def.name, decodeValue(def, data.subarray(off + 2, end), ctx))
    }
    off = end
  }
  return { code, identifier: data[1]!, authenticator, attributes, hasMessageAuthenticator: ma >= 0 }
}

/** Scratch space for encoding (one packet at a time: encoding is synchronous). */
const scratch = Buffer.alloc(MAX_PACKET)

/**
 * Writes header placeholder, optional zeroed Message-Authenticator (first) and the attributes into `scratch`,
 * then copies the result into a new right-sized Buffer (the caller keeps it: dedupe cache, retransmissions).
 */
function assemble(code: number, identifier: number, withMa: boolean, list: AttributeList, ctx: { secret: Buffer; authenticator: Buffer }): Buffer {
  let off = HEADER
  scratch.fill(0, 0, HEADER)
  if (withMa) {
    scratch[off] = MA_TYPE
    scratch[off + 1] = 18
    scratch.fill(0, off + 2, off + 18)
    off += 18
  }
  for (let k = 0; k < list.length; k++) {
    const name = list[k]![0]
    const def = findAttribute(name)
    if (!def) throw new AttributeEncodeError(name, 'not in the dictionary')
    const v = encodeValue(def, list[k]![1], ctx)
    const head = def.vendor === undefined ? 2 : 8
    if (off + head + v.length > MAX_PACKET) throw new AttributeEncodeError('(packet)', `more than ${MAX_PACKET} octets`)
    if (def.vendor === undefined) {
      scratch[off] = def.code
      scratch[off + 1] = v.length + 2
    } else {
      scratch[off] = VSA_TYPE
      scratch[off + 1] = v.length + 8
      scratch.writeUInt32BE(def.vendor, off + 2)
      scratch[off + 6] = def.code
      scratch[off + 7] = v.length + 2
    }
    v.copy(scratch, off + head)
    off += head + v.length
  }
  scratch[0] = code
  scratch[1] = identifier
  scratch.writeUInt16BE(off, 2)
  const packet = Buffer.allocUnsafe(off)
  scratch.copy(packet, 0, 0, off)
  return packet
}

export interface EncodeResponseInput {
  readonly code: number
  readonly identifier: number
  /** The Request Authenticator of the request being answered. */
  readonly requestAuthenticator: Buffer
  readonly attributes: AttributeList
  readonly secret: Buffer
  /**
   * Add Message-Authenticator as the FIRST attribute (RFC 3579 §3.2; BlastRADIUS). Always on for
   * Access-Accept/Reject/Challenge; optional elsewhere. @defaultValue true for Access-* replies
   */
  readonly messageAuthenticator?: boolean
}

/** Encodes a response: Message-Authenticator first, then the Response Authenticator over the final bytes. */
export function encodeResponse(input: EncodeResponseInput): Buffer {
  const accessReply = input.code === 2 || input.code === 3 || input.code === 11
  const withMa = input.messageAuthenticator ?? accessReply
  const packet = assemble(input.code, input.identifier, withMa, input.attributes, { secret: input.secret, authenticator: input.requestAuthenticator })
  if (withMa) {
    computeMessageAuthenticator(packet, input.requestAuthenticator, HEADER + 2, input.secret).copy(packet, HEADER + 2)
  }
  computeAuthenticator(packet, input.requestAuthenticator, input.secret).copy(packet, 4)
  return packet
}

export interface EncodeRequestInput {
  readonly code: number
  readonly identifier: number
  readonly attributes: AttributeList
  readonly secret: Buffer
  /** Access-Request only: the Request Authenticator to use. @defaultValue 16 random bytes */
  readonly authenticator?: Buffer
  /** Add Message-Authenticator (first). @defaultValue true */
  readonly messageAuthenticator?: boolean
}

/**
 * Encodes a request. Access-Request/Status-Server get a random authenticator (RFC 2865 §3); Accounting,
 * CoA and Disconnect requests get `MD5(… 16 zeros … secret)` (RFC 2866 §3, RFC 5176 §2.3).
 */
export function encodeRequest(input: EncodeRequestInput): Buffer {
  const zeroAuth = ZERO_AUTH_REQUESTS.has(input.code)
  const auth = zeroAuth ? ZERO16 : input.authenticator ?? randomBytes(16)
  const withMa = input.messageAuthenticator ?? true
  const packet = assemble(input.code, input.identifier, withMa, input.attributes, { secret: input.secret, authenticator: auth })
  auth.copy(packet, 4)
  if (withMa) computeMessageAuthenticator(packet, auth, HEADER + 2, input.secret).copy(packet, HEADER + 2)
  if (zeroAuth) computeAuthenticator(packet, ZERO16, input.secret).copy(packet, 4)
  return packet
}
