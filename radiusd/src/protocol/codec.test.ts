import { describe, expect, it } from 'vitest'
import { decodePacket, encodeRequest, encodeResponse, MalformedPacketError, PacketCode } from './codec.js'
import { computeMessageAuthenticator, hidePassword, revealPassword, saltDecrypt, saltEncrypt } from './crypto.js'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')
const SECRET = Buffer.from('xyzzy5461')
// Source: RFC 2865 §7.1 (User Telnet to Specified Host): PAP Access-Request and its Access-Accept.
const RFC2865_7_1_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f
  02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`)
const RFC2865_7_1_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01
  0f 06 00 00 00 00 0e 06 c0 a8 01 03`)

describe('codec', () => {
  it('decodes the RFC 2865 §7.1 Access-Request and reveals the PAP password', () => {
    const p = decodePacket(RFC2865_7_1_REQUEST, SECRET)
    expect(p.code).toBe(PacketCode.AccessRequest)
    expect(p.attributes.get('User-Name')).toEqual(['nemo'])
    expect(p.attributes.get('User-Password')).toEqual(['arctangent'])
    expect(p.attributes.get('NAS-IP-Address')).toEqual(['192.168.1.16'])
    expect(p.attributes.get('NAS-Port')).toEqual([3])
  })

  it('encodes the RFC 2865 §7.1 Access-Accept byte for byte (without Message-Authenticator)', () => {
    const req = decodePacket(RFC2865_7_1_REQUEST, SECRET)
    const out = encodeResponse({
      code: PacketCode.AccessAccept, identifier: 0, requestAuthenticator: req.authenticator, secret: SECRET,
      messageAuthenticator: false,
      attributes: [['Service-Type', 'Login-User'], ['Login-Service', 'Telnet'], ['Login-IP-Host', '192.168.1.3']],
    })
    expect(out.toString('hex')).toBe(RFC2865_7_1_ACCEPT.toString('hex'))
    expect(decodePacket(out, SECRET, { requestAuthenticator: req.authenticator }).attributes.get('Login-Service')).toEqual(['Telnet'])
  })

  it('puts Message-Authenticator first in every Access-Accept and it verifies', () => {
    const auth = Buffer.alloc(16, 7)
    const out = encodeResponse({ code: PacketCode.AccessReject, identifier: 9, requestAuthenticator: auth, secret: SECRET,
      attributes: [['Reply-Message', 'no']] })
    expect(out[20]).toBe(80)
    expect(out[21]).toBe(18)
    expect(computeMessageAuthenticator(out, auth, 22, SECRET)).toEqual(out.subarray(22, 38))
    expect(decodePacket(out, SECRET, { requestAuthenticator: auth }).hasMessageAuthenticator).toBe(true)
  })

  it('round-trips accounting requests with vendor attributes, IPv6 prefixes and enums', () => {
    const out = encodeRequest({ code: PacketCode.AccountingRequest, identifier: 3, secret: SECRET, attributes: [
      ['Acct-Status-Type', 'Interim-Update'], ['Acct-Terminate-Cause', 'NAS-Reboot'], ['Mikrotik-Rate-Limit', '2M/5M'],
      ['Framed-IPv6-Prefix', '2001:db8::/32'], ['Class', Buffer.from([0, 255, 1])], ['Event-Timestamp', 1700000000],
    ] })
    const p = decodePacket(out, SECRET)
    expect(Object.fromEntries(p.attributes)).toEqual({
      'Acct-Status-Type': ['Interim-Update'], 'Acct-Terminate-Cause': ['NAS-Reboot'], 'Mikrotik-Rate-Limit': ['2M/5M'],
      'Framed-IPv6-Prefix': ['2001:db8::/32'], Class: [Buffer.from([0, 255, 1])], 'Event-Timestamp': [1700000000],
    })
  })

  it('sends only the prefix octets of an IPv6 prefix, bits past its length zeroed (RFC 3162 §2.3, RFC 8044 §3.11)', () => {
    const out = encodeRequest({ code: PacketCode.AccountingRequest, identifier: 1, secret: SECRET, messageAuthenticator: false,
      attributes: [['Framed-IPv6-Prefix', '2001:db8:ffff::/33']] })
    expect(out.subarray(20).toString('hex')).toBe('6109' + '0021' + '20010db880')
    expect(decodePacket(out, SECRET).attributes.get('Framed-IPv6-Prefix')).toEqual(['2001:db8:8000::/33'])
  })

  it('encodes Framed-Interface-Id from the text it decodes to (RFC 3162 §2.2)', () => {
    const out = encodeRequest({ code: PacketCode.AccountingRequest, identifier: 1, secret: SECRET, messageAuthenticator: false,
      attributes: [['Framed-Interface-Id', '21e:c2ff:fe0:1']] })
    expect(out.subarray(20).toString('hex')).toBe('600a' + '021ec2ff0fe00001')
    expect(decodePacket(out, SECRET).attributes.get('Framed-Interface-Id')).toEqual(['021e:c2ff:0fe0:0001'])
  })

  it('decodes several sub-attributes inside one Vendor-Specific attribute', () => {
    // Source: RFC 2865 §5.26 allows several vendor sub-attributes in one type-26 attribute (gotcha 2).
    const vsa = Buffer.concat([Buffer.from([26, 6 + 4 + 4, 0, 0, 0x3a, 0x8c]), Buffer.from([8, 4, 0x31, 0x4d]), Buffer.from([9, 4, 0x61, 0x62])])
    const body = Buffer.concat([Buffer.from([1, 1, 0, 20 + vsa.length]), Buffer.alloc(16), vsa])
    const p = decodePacket(body, SECRET)
    expect(p.attributes.get('Mikrotik-Rate-Limit')).toEqual(['1M'])
    expect(p.attributes.get('Mikrotik-Realm')).toEqual(['ab'])
  })

  it.each([
    ['a datagram shorter than the header', Buffer.alloc(10), 'too-short'],
    ['a Length field beyond the datagram', Buffer.from([1, 0, 0, 40, ...Buffer.alloc(16)]), 'length-mismatch'],
    ['an attribute of length 1', Buffer.from([1, 0, 0, 22, ...Buffer.alloc(16), 1, 1]), 'bad-attribute-length'],
    ['an attribute running past the end', Buffer.from([1, 0, 0, 23, ...Buffer.alloc(16), 1, 9, 65]), 'bad-attribute-length'],
    ['an IPv4 address of 3 octets', Buffer.from([1, 0, 0, 25, ...Buffer.alloc(16), 4, 5, 1, 2, 3]), 'bad-value'],
  ])('rejects %s as %s', (_name, packet, reason) => {
    expect(() => decodePacket(packet, SECRET)).toThrowError(MalformedPacketError)
    try { decodePacket(packet, SECRET) } catch (err) { expect((err as MalformedPacketError).reason).toBe(reason) }
  })

  it('drops an Accounting-Request signed with another secret', () => {
    const out = encodeRequest({ code: PacketCode.AccountingRequest, identifier: 1, secret: Buffer.from('other'), attributes: [['Acct-Status-Type', 'Start']] })
    expect(() => decodePacket(out, SECRET)).toThrow(/bad-authenticator/)
  })

  it('drops an Access-Request whose Message-Authenticator was made with another secret, and one without it when required', () => {
    const bad = encodeRequest({ code: 1, identifier: 1, secret: Buffer.from('other'), attributes: [['User-Name', 'a']] })
    expect(() => decodePacket(bad, SECRET)).toThrow(/bad-message-authenticator/)
    const none = encodeRequest({ code: 1, identifier: 1, secret: SECRET, attributes: [['User-Name', 'a']], messageAuthenticator: false })
    expect(decodePacket(none, SECRET).hasMessageAuthenticator).toBe(false)
    expect(() => decodePacket(none, SECRET, { requireMessageAuthenticator: true })).toThrow(/missing-message-authenticator/)
  })

  it('hides and reveals passwords of 1, 16 and 17 octets (RFC 2865 §5.2)', () => {
    const ra = Buffer.alloc(16, 0xab)
    for (const pw of ['x', 'a'.repeat(16), 'b'.repeat(17)]) {
      const hidden = hidePassword(Buffer.from(pw), SECRET, ra)
      expect(hidden.length % 16).toBe(0)
      expect(revealPassword(hidden, SECRET, ra)?.toString()).toBe(pw)
    }
  })

  it('salt-encrypts MPPE keys reversibly with the high bit of the salt set (RFC 2548 §2.4.2)', () => {
    const key = Buffer.alloc(16, 0x42)
    const enc = saltEncrypt(key, SECRET, Buffer.alloc(16, 1))
    expect(enc.length).toBe(34)
    expect(enc[0]! & 0x80).toBe(0x80)
    expect(saltDecrypt(enc, SECRET, Buffer.alloc(16, 1))).toEqual(key)
  })
})
