/**
 * Our codec against an independent implementation, the `radius` npm package (issue 14, point 3): the same
 * attributes must encode to the same bytes, and each side must decode the other's packets to the same values.
 * Where the package departs from the RFCs, the test states the departure and the RFC section instead.
 */
import { describe, expect, it } from 'vitest'
import { decodePacket, encodeRequest, encodeResponse, type AttributeList } from '../../src/protocol/codec.js'
import { findAttribute, type AttributeName } from '../../src/dictionary/index.js'
import { libAttributeList, libAttributes, radius } from './radius-package.js'
import { createRandom, createSampler, GENERIC_ATTRIBUTES, type Sample } from './attribute-samples.js'

const SECRET = 'cross-check-secret'
const SECRET_BUF = Buffer.from(SECRET)
const REQUEST_AUTH = Buffer.from('00112233445566778899aabbccddeeff', 'hex')

const CODE_NAMES: Record<number, string> = { 1: 'Access-Request', 2: 'Access-Accept', 3: 'Access-Reject', 4: 'Accounting-Request',
  5: 'Accounting-Response', 11: 'Access-Challenge', 40: 'Disconnect-Request', 41: 'Disconnect-ACK', 43: 'CoA-Request', 44: 'CoA-ACK' }
const RESPONSES = new Set([2, 3, 5, 11, 41, 44])

/** Encodes the same attributes with both codecs, neither adding Message-Authenticator. */
function encodeBoth(code: number, samples: readonly Sample[]): { ours: Buffer; lib: Buffer } {
  const attributes: AttributeList = samples.map((s) => [s.name, s.ours])
  const ours = RESPONSES.has(code)
    ? encodeResponse({ code, identifier: 42, requestAuthenticator: REQUEST_AUTH, attributes, secret: SECRET_BUF, messageAuthenticator: false })
    : encodeRequest({ code, identifier: 42, attributes, secret: SECRET_BUF, messageAuthenticator: false, authenticator: REQUEST_AUTH })
  const lib = radius.encode({
    code: CODE_NAMES[code]!, identifier: 42, secret: SECRET, add_message_authenticator: false,
    // Responses are signed over the request's authenticator; Access-Request carries it; the others use zeros.
    ...(RESPONSES.has(code) || code === 1 ? { authenticator: Buffer.from(REQUEST_AUTH) } : {}),
    attributes: libAttributeList(samples.map((s) => [s.name, s.lib])),
  })
  return { ours, lib }
}

function expectedMap(samples: readonly Sample[], pick: 'oursDecoded' | 'libDecoded'): Map<AttributeName, unknown[]> {
  const m = new Map<AttributeName, unknown[]>()
  for (const s of samples) m.set(s.name, [...(m.get(s.name) ?? []), s[pick]])
  return m
}

function decodeOurs(code: number, packet: Buffer) {
  return decodePacket(packet, SECRET_BUF, RESPONSES.has(code) ? { requestAuthenticator: REQUEST_AUTH } : {})
}

/** Both directions at once: identical bytes, the package decodes ours, we decode the package's. */
function crossCheck(code: number, samples: readonly Sample[]): void {
  const { ours, lib } = encodeBoth(code, samples)
  expect(ours.toString('hex')).toBe(lib.toString('hex'))
  expect(libAttributes(radius.decode({ packet: ours, secret: SECRET }))).toEqual(expectedMap(samples, 'libDecoded'))
  expect(new Map(decodeOurs(code, lib).attributes)).toEqual(expectedMap(samples, 'oursDecoded'))
  if (RESPONSES.has(code)) {
    // The package checks a response's authenticator against the request it answers (RFC 2865 §3). It also
    // decodes that request, verifying it, so an Access-Request (random authenticator) stands in for every code.
    const signedRequest = encodeRequest({ code: 1, identifier: 42, attributes: [], secret: SECRET_BUF, authenticator: REQUEST_AUTH, messageAuthenticator: false })
    expect(radius.verify_response({ request: signedRequest, response: Buffer.from(ours), secret: SECRET })).toBe(true)
  }
}

describe('codec cross-check with the radius package: every attribute of our dictionaries', () => {
  const sampler = createSampler(createRandom(14))

  it('covers every canonical attribute type the dictionaries use, MikroTik and Microsoft VSAs included', () => {
    const types = new Set(GENERIC_ATTRIBUTES.map((d) => d.type))
    expect([...types].sort()).toEqual(['date', 'ifid', 'integer', 'ipaddr', 'ipv6addr', 'ipv6prefix', 'octets', 'string'])
    expect(GENERIC_ATTRIBUTES.some((d) => d.vendor === 14988)).toBe(true)
    expect(GENERIC_ATTRIBUTES.some((d) => d.vendor === 311)).toBe(true)
    expect(GENERIC_ATTRIBUTES.length).toBe(186)
  })

  it.each(GENERIC_ATTRIBUTES.map((d) => [d.name, d] as const))('%s encodes to the same bytes and decodes the same both ways', (_name, def) => {
    // Several values per attribute: enum names and raw numbers, short and long values, in an Accounting-Request
    // (authenticator fully determined) and in an Access-Accept (signed over a request authenticator).
    for (let k = 0; k < 4; k++) {
      crossCheck(4, [sampler.sample(def)])
      crossCheck(2, [sampler.sample(def), sampler.sample(def)])
    }
  })
})

describe('codec cross-check with the radius package: seeded random packets and edge sizes', () => {
  it('2,000 random packets (seed 2865) of ten codes encode identically and decode the same both ways', () => {
    const random = createRandom(2865)
    const sampler = createSampler(random)
    const codes = Object.keys(CODE_NAMES).map(Number)
    for (let n = 0; n < 2000; n++) {
      const code = codes[sampler.int(codes.length)]!
      const samples: Sample[] = []
      let size = 20
      for (let k = sampler.int(40); k > 0; k--) {
        const s = sampler.sample(GENERIC_ATTRIBUTES[sampler.int(GENERIC_ATTRIBUTES.length)]!)
        const wire = encodeRequest({ code: 4, identifier: 0, attributes: [[s.name, s.ours]], secret: SECRET_BUF, messageAuthenticator: false }).length - 20
        if (size + wire > 4096) break
        size += wire
        samples.push(s)
      }
      crossCheck(code, samples)
    }
  })

  it('an attribute-less packet is 20 octets in both', () => {
    const { ours, lib } = encodeBoth(4, [])
    expect(ours.length).toBe(20)
    expect(ours).toEqual(lib)
  })

  it('values of exactly 253 octets (standard) and 247 (in a VSA) encode the same; a longer value is refused by both', () => {
    const long = 'r'.repeat(253)
    crossCheck(2, [{ name: 'Reply-Message', ours: long, lib: long, oursDecoded: long, libDecoded: long }])
    const vsa = 'a'.repeat(247)
    crossCheck(2, [{ name: 'Mikrotik-Address-List', ours: vsa, lib: vsa, oursDecoded: vsa, libDecoded: vsa }])
    expect(() => encodeBoth(2, [{ name: 'Reply-Message', ours: long + 'x', lib: long + 'x', oursDecoded: '', libDecoded: '' }])).toThrow()
    expect(() => encodeRequest({ code: 4, identifier: 1, secret: SECRET_BUF, attributes: [['Mikrotik-Address-List', vsa + 'b']] })).toThrow(/at most 247/)
    // The package writes a 254-octet VSA value as a sub-attribute of length 256: Buffer.writeUInt8 throws.
    expect(() => radius.encode({ code: 'Accounting-Request', secret: SECRET, attributes: libAttributeList([['Mikrotik-Address-List', vsa + 'b']]) })).toThrow()
  })

  it('a packet of exactly 4096 octets is identical in both; one more attribute makes ours refuse it (RFC 2865 §3)', () => {
    // 15 × 255-octet Class attributes + 20 header octets = 3845; one more of 251 octets (249 of value) reaches 4096.
    const samples: Sample[] = Array.from({ length: 15 }, (_, i) => {
      const b = Buffer.alloc(253, i)
      return { name: 'Class' as AttributeName, ours: b, lib: b, oursDecoded: b, libDecoded: b }
    })
    const last = Buffer.alloc(249, 0xee)
    samples.push({ name: 'Class', ours: last, lib: last, oursDecoded: last, libDecoded: last })
    const { ours } = encodeBoth(4, samples)
    expect(ours.length).toBe(4096)
    crossCheck(4, samples)
    expect(() => encodeRequest({ code: 4, identifier: 1, secret: SECRET_BUF, messageAuthenticator: false,
      attributes: [...samples.map((s) => [s.name, s.ours] as const), ['Class', Buffer.alloc(1)]] })).toThrow(/more than 4096/)
  })

  it('multi-valued attributes keep their order in both (Class, Reply-Message, Mikrotik-Address-List, Framed-Route)', () => {
    const samples: Sample[] = []
    for (const name of ['Reply-Message', 'Class', 'Mikrotik-Address-List', 'Framed-Route', 'Reply-Message', 'Class', 'Framed-Route', 'Mikrotik-Address-List'] as const) {
      const v = `${name}-${samples.length}`
      const value = findAttribute(name)!.type === 'octets' ? Buffer.from(v) : v
      samples.push({ name, ours: value, lib: value, oursDecoded: value, libDecoded: value })
    }
    crossCheck(2, samples)
  })
})
