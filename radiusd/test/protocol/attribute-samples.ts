/**
 * Seeded sample values for every attribute of our dictionaries, each in three forms: what our encoder takes, what
 * the `radius` package's encoder takes, and what each decoder must return. The expected values are derived
 * from the random bytes here, independently of either codec (IPv6 text via the WHATWG URL parser, RFC 5952).
 */
import { ATTRIBUTES, type AttributeName } from '../../src/dictionary/index.js'
import { findAttribute, findStandardAttribute, findVendorAttribute, type AttributeDef } from '../../src/dictionary/index.js'
import type { AttributeValue } from '../../src/protocol/codec.js'

/** mulberry32: a small deterministic PRNG, so a failing seed can be replayed exactly. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Sample {
  readonly name: AttributeName
  readonly ours: AttributeValue
  readonly lib: unknown
  readonly oursDecoded: AttributeValue
  readonly libDecoded: unknown
}

const TEXT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/@=éü€✓'

/** RFC 5952 text of 16 octets, by the URL parser rather than our codec. */
export function ipv6Text(bytes: Buffer): string {
  const full = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':')
  return new URL(`http://[${full}]/`).hostname.slice(1, -1)
}

/**
 * Attributes a generic table can cover: every canonical (first-named) attribute except the container
 * (Vendor-Specific), Message-Authenticator (tested on its own) and the hidden ones (User-Password, Tunnel-Password,
 * MS-CHAP-MPPE-Keys, MS-MPPE-*-Key: tested on their own, since the package hides only strings).
 */
export const GENERIC_ATTRIBUTES: readonly AttributeDef[] = (Object.keys(ATTRIBUTES) as AttributeName[])
  .map((name) => findAttribute(name)!)
  .filter((def) => (def.vendor === undefined ? findStandardAttribute(def.code) : findVendorAttribute(def.vendor, def.code)) === def)
  .filter((def) => def.type !== 'vsa' && !(def.vendor === undefined && def.code === 80))
  .filter((def) => def.encrypt === undefined)

export function createSampler(random: () => number) {
  const int = (n: number): number => Math.floor(random() * n)
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)))
  const text = (max: number): string => {
    let s = ''
    // Build by octets so a multi-byte character never pushes a value past `max`.
    while (Buffer.byteLength(s) < max) {
      const c = TEXT[int(TEXT.length)]!
      if (Buffer.byteLength(s + c) > max) break
      s += c
      if (random() < 0.08) break
    }
    return s || 'x'
  }

  /** One sample of `def`; `maxOctets` bounds variable-length values (253 standard, 247 in a VSA). */
  function sample(def: AttributeDef, maxOctets = def.vendor === undefined ? 253 : 247): Sample {
    const name = def.name
    switch (def.type) {
      case 'string': {
        const s = text(Math.min(maxOctets, 1 + int(40)))
        return { name, ours: s, lib: s, oursDecoded: s, libDecoded: s }
      }
      case 'integer': {
        // Tagged integers carry the tag in the top octet (RFC 2868 §3.1), so their values have 24 bits.
        const names = def.values ? Object.keys(def.values) : []
        const useName = names.length > 0 && random() < 0.6
        const n = useName ? def.values![names[int(names.length)]!]! : int(def.hasTag ? 0x1000000 : 0x100000000)
        const input = useName ? names.find((k) => def.values![k] === n)! : n
        const decoded = def.valueNames?.get(n) ?? n
        return { name, ours: input, lib: input, oursDecoded: decoded, libDecoded: def.hasTag ? [0, decoded] : decoded }
      }
      case 'date': {
        const n = int(0x100000000)
        return { name, ours: n, lib: new Date(n * 1000), oursDecoded: n, libDecoded: new Date(n * 1000) }
      }
      case 'ipaddr': {
        const s = [...bytes(4)].join('.')
        return { name, ours: s, lib: s, oursDecoded: s, libDecoded: s }
      }
      case 'ipv6addr': {
        const b = bytes(16)
        if (random() < 0.5) b.fill(0, 4, 4 + int(12)) // exercise the '::' compression
        const full = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':')
        return { name, ours: full, lib: b, oursDecoded: ipv6Text(b), libDecoded: b }
      }
      case 'ipv6prefix': {
        // RFC 3162 §2.3 / RFC 8044 §3.11: only ceil(bits/8) prefix octets are sent, bits past the length are 0.
        const bits = int(129)
        const addr = Buffer.alloc(16)
        bytes(Math.ceil(bits / 8)).copy(addr)
        if (bits % 8) addr[bits >> 3] = addr[bits >> 3]! & (0xff << (8 - (bits % 8)))
        const wire = Buffer.concat([Buffer.from([0, bits]), addr.subarray(0, Math.ceil(bits / 8))])
        const s = `${ipv6Text(addr)}/${bits}`
        return { name, ours: s, lib: wire, oursDecoded: s, libDecoded: wire }
      }
      case 'ifid': {
        const b = bytes(8)
        const s = (b.toString('hex').match(/.{4}/g) ?? []).join(':')
        return { name, ours: s, lib: b, oursDecoded: s, libDecoded: b }
      }
      default: {
        const b = bytes(1 + int(Math.min(maxOctets, 60)))
        return { name, ours: b, lib: b, oursDecoded: b, libDecoded: b }
      }
    }
  }
  return { int, bytes, text, sample }
}
