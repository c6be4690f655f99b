/**
 * Hostile datagrams for the soak bench (`bench/soak.ts`) and its small-count test: mutations of valid,
 * integrity-protected requests (Access-Request with Message-Authenticator, Accounting-Request), each with the drop
 * reason radiusd must count for it. The reason comes from `classifyDrop`, which follows the server's order of
 * checks with our decoder; the targeted mutations also state their reason by construction, and the test checks
 * the two agree.
 */
import { randomBytes } from 'node:crypto'
import { decodePacket, encodeRequest, MalformedPacketError, PacketCode } from '../../src/protocol/codec.js'
import { computeAuthenticator, computeMessageAuthenticator } from '../../src/protocol/crypto.js'
import type { DropReason } from '../../src/metrics.js'

export type SocketKind = 'auth' | 'acct'

export const MUTATIONS = Object.freeze(['bit-flip', 'truncation', 'lying-length', 'attribute-overflow', 'vsa-overflow', 'bad-value',
  'bad-authenticator', 'wrong-secret', 'missing-message-authenticator', 'unknown-code', 'wrong-port-code', 'runt', 'unknown-source'] as const)
export type Mutation = (typeof MUTATIONS)[number]

export interface HostilePacket {
  readonly mutation: Mutation
  readonly kind: SocketKind
  readonly bytes: Buffer
  /** Sent from an address that is no client (the bench binds 127.0.0.2 for it). */
  readonly fromUnknownSource: boolean
  readonly expected: DropReason
}

const ACCEPTED: Readonly<Record<SocketKind, ReadonlySet<number>>> = {
  auth: new Set([PacketCode.AccessRequest, PacketCode.StatusServer]),
  acct: new Set([PacketCode.AccountingRequest, PacketCode.StatusServer]),
}
const RADIUS_CODES: ReadonlySet<number> = new Set([...Object.values(PacketCode), 52])

/**
 * The reason radiusd drops `bytes` arriving on `kind` from a client with `secret` that must send
 * Message-Authenticator, or 'valid'. Same order as server.ts: code, then the decoder.
 */
export function classifyDrop(bytes: Buffer, kind: SocketKind, secret: Buffer): DropReason | 'valid' {
  if (bytes.length >= 20 && !ACCEPTED[kind].has(bytes[0]!)) return RADIUS_CODES.has(bytes[0]!) ? 'unexpected-code' : 'unknown-code'
  try {
    decodePacket(bytes, secret, { requireMessageAuthenticator: true })
    return 'valid'
  } catch (err) {
    if (err instanceof MalformedPacketError) return err.reason
    throw err
  }
}

/** Re-signs a patched request: Message-Authenticator (when first) and, for Accounting-Request, the authenticator. */
function resign(p: Buffer, secret: Buffer): Buffer {
  if (p[0] === PacketCode.AccountingRequest) p.fill(0, 4, 20)
  if (p[20] === 80) computeMessageAuthenticator(p, p.subarray(4, 20), 22, secret).copy(p, 22)
  if (p[0] === PacketCode.AccountingRequest) computeAuthenticator(p, Buffer.alloc(16), secret).copy(p, 4)
  return p
}

export interface HostileGenerator {
  next(): HostilePacket
  /** A valid Access-Request of `userName` (PAP, Message-Authenticator). */
  validAccess(): Buffer
  /** A valid Interim-Update for one session, a new Acct-Session-Time each time (no duplicate). */
  validAccounting(): Buffer
}

export function createHostileGenerator(options: { secret: Buffer; userName: string; password: string; random: () => number }): HostileGenerator {
  const { secret, random } = options
  const int = (n: number): number => Math.floor(random() * n)
  // Valid requests have their own Identifier sequence, so a client can match their answers by Identifier.
  let hostileId = 0
  let validId = 0
  const nextHostileId = (): number => (hostileId = (hostileId + 1) & 255)
  let sessionTime = 0
  const access = (withMa = true, key = secret, identifier = nextHostileId()): Buffer => encodeRequest({ code: PacketCode.AccessRequest, identifier, secret: key,
    messageAuthenticator: withMa, authenticator: randomBytes(16), attributes: [['User-Name', options.userName], ['User-Password', options.password],
      ['NAS-IP-Address', '127.0.0.1'], ['Calling-Station-Id', 'AA:BB:CC:00:00:01'], ['Mikrotik-Host-IP', '10.5.50.2']] })
  const accounting = (key = secret, identifier = nextHostileId()): Buffer => encodeRequest({ code: PacketCode.AccountingRequest, identifier, secret: key,
    messageAuthenticator: false, attributes: [['Acct-Status-Type', 'Interim-Update'], ['User-Name', 'soak-acct'], ['Acct-Session-Id', 'soak-1'],
      ['NAS-IP-Address', '127.0.0.1'], ['Acct-Session-Time', (sessionTime += 1)], ['Acct-Input-Octets', sessionTime * 1000]] })
  const base = (): { bytes: Buffer; kind: SocketKind } => random() < 0.6 ? { bytes: access(), kind: 'auth' } : { bytes: accounting(), kind: 'acct' }

  /** Offsets of the top-level attributes of a well-formed packet. */
  const attributeOffsets = (p: Buffer): number[] => {
    const out: number[] = []
    for (let off = 20; off < p.length; off += p[off + 1]!) out.push(off)
    return out
  }

  function build(mutation: Mutation): { bytes: Buffer; kind: SocketKind } {
    switch (mutation) {
      case 'bit-flip': {
        const { bytes, kind } = base()
        for (let k = 1 + int(3); k > 0; k--) { const bit = int(bytes.length * 8); bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7)) }
        return { bytes, kind }
      }
      case 'truncation': {
        const { bytes, kind } = base()
        return { bytes: bytes.subarray(0, int(bytes.length)), kind }
      }
      case 'lying-length': {
        const { bytes, kind } = base()
        let length = int(65536)
        if (length === bytes.length) length++
        bytes.writeUInt16BE(length & 0xffff, 2)
        return { bytes, kind }
      }
      case 'attribute-overflow': {
        // One attribute's length byte runs past the end of the packet, or is 0/1 (RFC 2865 §5).
        const { bytes, kind } = base()
        const offsets = attributeOffsets(bytes)
        const at = offsets[int(offsets.length)]!
        bytes[at + 1] = random() < 0.2 ? int(2) : Math.min(255, bytes.length - at + 1 + int(40))
        return { bytes, kind }
      }
      case 'vsa-overflow': {
        // The Vendor-Specific attribute is well formed, its sub-attribute's length is not; signatures are valid.
        const bytes = access()
        const vsa = attributeOffsets(bytes).find((o) => bytes[o] === 26)!
        bytes[vsa + 7] = bytes[vsa + 1]! - 6 + 1 + int(20)
        return { bytes: resign(bytes, secret), kind: 'auth' }
      }
      case 'bad-value': {
        // NAS-IP-Address of 3 octets in a correctly signed packet.
        const bytes = access()
        const nasIp = attributeOffsets(bytes).find((o) => bytes[o] === 4)!
        const patched = Buffer.concat([bytes.subarray(0, nasIp), Buffer.from([4, 5]), bytes.subarray(nasIp + 2, nasIp + 5), bytes.subarray(nasIp + 6)])
        patched.writeUInt16BE(patched.length, 2)
        return { bytes: resign(patched, secret), kind: 'auth' }
      }
      case 'bad-authenticator': {
        const bytes = accounting()
        randomBytes(16).copy(bytes, 4)
        return { bytes, kind: 'acct' }
      }
      case 'wrong-secret':
        return random() < 0.5 ? { bytes: access(true, Buffer.from('not-the-secret')), kind: 'auth' } : { bytes: accounting(Buffer.from('not-the-secret')), kind: 'acct' }
      case 'missing-message-authenticator':
        return { bytes: access(false), kind: 'auth' }
      case 'unknown-code': {
        const { bytes, kind } = base()
        let code = int(256)
        while (RADIUS_CODES.has(code)) code = int(256)
        bytes[0] = code
        return { bytes, kind }
      }
      case 'wrong-port-code': {
        // An Accounting-Request on the auth port, an Access-Request on the acct port, or a reply code.
        const { bytes, kind } = base()
        if (random() < 0.3) bytes[0] = [2, 3, 5, 11, 41, 44][int(6)]!
        return { bytes, kind: random() < 0.3 ? kind : kind === 'auth' ? 'acct' : 'auth' }
      }
      case 'runt':
        return { bytes: randomBytes(int(20)), kind: random() < 0.5 ? 'auth' : 'acct' }
      case 'unknown-source':
        return base()
    }
  }

  return {
    next() {
      for (;;) {
        const mutation = MUTATIONS[int(MUTATIONS.length)]!
        const { bytes, kind } = build(mutation)
        const fromUnknownSource = mutation === 'unknown-source'
        const expected = fromUnknownSource ? 'unknown-client' : classifyDrop(bytes, kind, secret)
        // A mutation that left a valid packet (wrong-port-code keeping its port, in practice) is not hostile.
        if (expected !== 'valid') return { mutation, kind, bytes, fromUnknownSource, expected }
      }
    },
    validAccess: () => access(true, secret, (validId = (validId + 1) & 255)),
    validAccounting: () => accounting(secret, (validId = (validId + 1) & 255)),
  }
}
