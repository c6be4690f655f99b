/**
 * Attribute value codecs by dictionary type (RFC 2865 §5 data types, RFC 3162 §2.3 ipv6prefix, RFC 2868 tags),
 * symmetric both ways and tested both ways (style §11).
 */
import { isIPv4, isIPv6 } from 'node:net'
import type { AttributeDef } from '../dictionary/index.js'
import { AttributeEncodeError, MalformedPacketError } from './errors.js'
import { hidePassword, revealPassword, saltDecrypt, saltEncrypt } from './crypto.js'

/**
 * A decoded value: `string` for text, addresses and named enum values; `number` for integers and dates
 * (seconds since the epoch); `Buffer` for octets.
 */
export type AttributeValue = string | number | Buffer

/** What hiding needs: the shared secret and the Request Authenticator the value is bound to. */
export interface ValueContext {
  readonly secret: Buffer
  readonly authenticator: Buffer
}

function ipv6ToString(b: Buffer): string {
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16))
  // Compress the longest run of zero groups (RFC 5952 §4.2).
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLen) { best = i; bestLen = j - i }
    i = j === i ? i + 1 : j
  }
  if (best < 0) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`
}

function ipv6ToBuffer(text: string, name: string): Buffer {
  if (!isIPv6(text)) throw new AttributeEncodeError(name, `not an IPv6 address: ${text}`)
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2))
  return out
}

function expectLength(def: AttributeDef, value: Buffer, length: number): void {
  if (value.length !== length) {
    throw new MalformedPacketError('bad-value', `${def.name} must be ${length} octets, got ${value.length}`)
  }
}

/** Decodes one attribute value (already split out of its TLV) by the dictionary type. */
export function decodeValue(def: AttributeDef, raw: Buffer, ctx: ValueContext): AttributeValue {
  let value = raw
  if (def.encrypt === 1) {
    const plain = revealPassword(value, ctx.secret, ctx.authenticator)
    if (!plain) throw new MalformedPacketError('bad-value', `${def.name} length ${value.length} is not a multiple of 16`)
    value = plain
  } else if (def.encrypt === 2) {
    const plain = saltDecrypt(def.hasTag ? value.subarray(1) : value, ctx.secret, ctx.authenticator)
    if (!plain) throw new MalformedPacketError('bad-value', `${def.name} salt-encrypted value is malformed`)
    return def.type === 'octets' ? plain : plain.toString('utf8')
  }
  switch (def.type) {
    case 'string':
      if (def.hasTag && value.length > 0 && value[0]! <= 0x1f) value = value.subarray(1)
      return value.toString('utf8')
    case 'integer': {
      expectLength(def, value, 4)
      const n = def.hasTag ? value.readUInt32BE(0) & 0x00ffffff : value.readUInt32BE(0)
      return def.valueNames?.get(n) ?? n
    }
    case 'date':
      expectLength(def, value, 4)
      return value.readUInt32BE(0)
    case 'ipaddr':
      expectLength(def, value, 4)
      return `${value[0]}.${value[1]}.${value[2]}.${value[3]}`
    case 'ipv6addr':
      expectLength(def, value, 16)
      return ipv6ToString(value)
    case 'ipv6prefix': {
      if (value.length < 2 || value.length > 18 || value[1]! > 128) {
        throw new MalformedPacketError('bad-value', `${def.name} is not a valid prefix`)
      }
      const addr = Buffer.alloc(16)
      value.copy(addr, 0, 2)
      return `${ipv6ToString(addr)}/${value[1]}`
    }
    case 'ifid':
      expectLength(def, value, 8)
      return (value.toString('hex').match(/.{4}/g) ?? []).join(':')
    case 'byte':
      expectLength(def, value, 1)
      return value[0]!
    case 'short':
      expectLength(def, value, 2)
      return value.readUInt16BE(0)
    case 'signed':
      expectLength(def, value, 4)
      return value.readInt32BE(0)
    case 'integer64':
      expectLength(def, value, 8)
      return Number(value.readBigUInt64BE(0))
    default:
      return Buffer.from(value)
  }
}

function uint32(def: AttributeDef, n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new AttributeEncodeError(def.name, `${n} is not a uint32`)
  const b = Buffer.allocUnsafe(4) // pooled; writeUInt32BE sets all four bytes
  b.writeUInt32BE(n)
  return b
}

/** Encodes one value by the dictionary type; throws {@link AttributeEncodeError} on a value that does not fit. */
export function encodeValue(def: AttributeDef, value: AttributeValue, ctx: ValueContext): Buffer {
  let out: Buffer
  switch (def.type) {
    case 'integer':
    case 'date': {
      let n = value
      if (typeof n === 'string') {
        n = def.values?.[n] ?? (/^\d+$/.test(n) ? Number(n) : Number.NaN)
        if (Number.isNaN(n)) throw new AttributeEncodeError(def.name, `unknown value ${String(value)}`)
      }
      if (Buffer.isBuffer(n)) throw new AttributeEncodeError(def.name, 'expected a number')
      out = uint32(def, n)
      break
    }
    case 'ipaddr':
      if (typeof value !== 'string' || !isIPv4(value)) throw new AttributeEncodeError(def.name, `not an IPv4 address: ${String(value)}`)
      out = Buffer.from(value.split('.').map(Number))
      break
    case 'ipv6addr':
      out = ipv6ToBuffer(String(value), def.name)
      break
    case 'ipv6prefix': {
      const [addr, len] = String(value).split('/')
      const bits = Number(len ?? 128)
      if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new AttributeEncodeError(def.name, `bad prefix ${String(value)}`)
      const prefix = ipv6ToBuffer(addr ?? '', def.name).subarray(0, Math.ceil(bits / 8))
      // Bits past the prefix length are sent as zeros (RFC 8044 §3.11), whatever the text had there.
      if (bits % 8) prefix[prefix.length - 1] = prefix[prefix.length - 1]! & (0xff << (8 - (bits % 8)))
      out = Buffer.concat([Buffer.from([0, bits]), prefix])
      break
    }
    case 'ifid':
      // RFC 3162 §2.2 Interface-Id: 8 octets, written as four hex groups, the form decodeValue returns.
      if (Buffer.isBuffer(value)) out = value
      else if (typeof value === 'string' && /^([0-9a-f]{1,4}:){3}[0-9a-f]{1,4}$/i.test(value)) {
        out = Buffer.from(value.split(':').map((g) => g.padStart(4, '0')).join(''), 'hex')
      } else throw new AttributeEncodeError(def.name, `not an interface id: ${String(value)}`)
      break
    case 'string':
      out = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')
      break
    case 'octets':
      out = Buffer.isBuffer(value) ? value
        : typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value) ? Buffer.from(value.slice(2), 'hex')
          : Buffer.from(String(value), 'utf8')
      break
    default:
      if (!Buffer.isBuffer(value)) throw new AttributeEncodeError(def.name, `type ${def.type} needs raw octets`)
      out = value
  }
  if (def.encrypt === 1) {
    if (out.length > 128) throw new AttributeEncodeError(def.name, 'longer than 128 octets')
    out = hidePassword(out, ctx.secret, ctx.authenticator)
  } else if (def.encrypt === 2) {
    out = saltEncrypt(out, ctx.secret, ctx.authenticator)
    if (def.hasTag) out = Buffer.concat([Buffer.from([0]), out])
  }
  const max = def.vendor === undefined ? 253 : 247
  if (out.length > max) throw new AttributeEncodeError(def.name, `value is ${out.length} octets, at most ${max} fit`)
  return out
}
