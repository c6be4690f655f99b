/**
 * The parts of the codec a generic value table cannot cover, against the `radius` package and, where the package
 * is wrong, against FreeRADIUS's radclient: User-Password hiding, CHAP, salt-encrypted keys, Message-Authenticator
 * in every packet kind, Proxy-State echo. Each departure of the package from the RFCs is asserted as such.
 */
import { spawn } from 'node:child_process'
import { createHash, createHmac } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { decodePacket, encodeRequest, encodeResponse, MalformedPacketError } from '../../src/protocol/codec.js'
import { computeChapPassword, verifyChap } from '../../src/auth/chap.js'
import { libAttributes, radius } from './radius-package.js'

const SECRET = 'cross-check-secret'
const SECRET_BUF = Buffer.from(SECRET)
const AUTH = Buffer.from('0f403f9473978057bd83d5cb98f4227a', 'hex')

const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest()

/** RFC 2548 §2.4.2 salt encryption, written from the RFC text as a third implementation. */
function referenceSaltEncrypt(key: Buffer, salt: Buffer, requestAuth: Buffer): Buffer {
  const plain = Buffer.alloc(Math.ceil((key.length + 1) / 16) * 16)
  plain[0] = key.length
  key.copy(plain, 1)
  const out: Buffer[] = [salt]
  let b = md5(SECRET_BUF, requestAuth, salt)
  for (let i = 0; i < plain.length; i += 16) {
    const c = Buffer.from(plain.subarray(i, i + 16).map((x, j) => x ^ b[j]!))
    out.push(c)
    b = md5(SECRET_BUF, c)
  }
  return Buffer.concat(out)
}

function referenceSaltDecrypt(data: Buffer, requestAuth: Buffer): Buffer {
  const salt = data.subarray(0, 2)
  const plain: Buffer[] = []
  let b = md5(SECRET_BUF, requestAuth, salt)
  for (let i = 2; i < data.length; i += 16) {
    const c = data.subarray(i, i + 16)
    plain.push(Buffer.from(c.map((x, j) => x ^ b[j]!)))
    b = md5(SECRET_BUF, c)
  }
  const p = Buffer.concat(plain)
  return p.subarray(1, 1 + p[0]!)
}

function accessRequestBoth(password: string): { ours: Buffer; lib: Buffer } {
  const ours = encodeRequest({ code: 1, identifier: 7, authenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false,
    attributes: [['User-Name', 'nemo'], ['User-Password', password]] })
  const lib = radius.encode({ code: 'Access-Request', identifier: 7, authenticator: Buffer.from(AUTH), secret: SECRET,
    add_message_authenticator: false, attributes: [['User-Name', 'nemo'], ['User-Password', password]] })
  return { ours, lib }
}

describe('User-Password and CHAP against the radius package', () => {
  it.each([1, 15, 16, 17, 32, 100, 128])('a %i-octet User-Password hides to the same bytes and reveals the same both ways (RFC 2865 §5.2)', (n) => {
    // Exactly n octets of UTF-8, multi-byte characters included.
    const pw = (n % 2 ? 'p' : '') + 'é'.repeat(Math.floor(n / 2))
    expect(Buffer.byteLength(pw)).toBe(n)
    const { ours, lib } = accessRequestBoth(pw)
    expect(ours.toString('hex')).toBe(lib.toString('hex'))
    expect(radius.decode({ packet: ours, secret: SECRET }).attributes['User-Password']).toBe(pw)
    expect(decodePacket(lib, SECRET_BUF).attributes.get('User-Password')).toEqual([pw])
  })

  it('an empty User-Password: ours sends 16 octets of padding, the package a zero-length value (its bug: RFC 2865 §5.2 says Length ≥ 18)', () => {
    const { ours, lib } = accessRequestBoth('')
    expect(ours.readUInt16BE(2)).toBe(20 + 6 + 18)
    expect(lib.readUInt16BE(2)).toBe(20 + 6 + 2)
    expect(radius.decode({ packet: ours, secret: SECRET }).attributes['User-Password']).toBe('')
    // RFC 2865 §5.2 / §5: a value of the wrong length is malformed, so the package's packet is dropped.
    expect(() => decodePacket(lib, SECRET_BUF)).toThrow(/bad-value: User-Password length 0/)
  })

  it('a 129-octet User-Password: ours refuses to encode it, the package encodes 144 octets its own decoder refuses (RFC 2865 §5.2: at most 128)', () => {
    expect(() => accessRequestBoth('x'.repeat(129))).toThrow(/longer than 128 octets/)
    const lib = radius.encode({ code: 'Access-Request', authenticator: Buffer.from(AUTH), secret: SECRET, add_message_authenticator: false,
      attributes: [['User-Password', 'x'.repeat(129)]] })
    expect(lib[21]).toBe(146)
    expect(() => radius.decode({ packet: lib, secret: SECRET })).toThrow(/too long/)
    expect(() => decodePacket(lib, SECRET_BUF)).toThrow(/not a multiple of 16/)
  })

  it('CHAP-Password and CHAP-Challenge travel byte for byte and the response verifies (RFC 1994 §4.1, RFC 2865 §5.3)', () => {
    const challenge = Buffer.from('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex')
    const chap = computeChapPassword(0x2a, 'secret-pw', challenge)
    // Independent CHAP response: MD5(ident ‖ password ‖ challenge).
    expect(chap).toEqual(Buffer.concat([Buffer.from([0x2a]), md5(Buffer.from([0x2a]), Buffer.from('secret-pw'), challenge)]))
    const attrs = [['User-Name', 'hs-user'], ['CHAP-Password', chap], ['CHAP-Challenge', challenge]] as const
    const ours = encodeRequest({ code: 1, identifier: 3, authenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false, attributes: attrs })
    const lib = radius.encode({ code: 'Access-Request', identifier: 3, authenticator: Buffer.from(AUTH), secret: SECRET,
      add_message_authenticator: false, attributes: attrs.map(([n, v]) => [n, v]) })
    expect(ours.toString('hex')).toBe(lib.toString('hex'))
    const decoded = decodePacket(lib, SECRET_BUF).attributes
    expect(verifyChap(decoded.get('CHAP-Password')![0] as Buffer, decoded.get('CHAP-Challenge')![0] as Buffer, 'secret-pw')).toBe(true)
    expect(libAttributes(radius.decode({ packet: ours, secret: SECRET })).get('CHAP-Password')).toEqual([chap])
  })
})

describe('salt-encrypted attributes (which the package cannot hide) against the RFC 2548 algorithm', () => {
  it('MS-MPPE-Send-Key and MS-MPPE-Recv-Key: ours decrypt with the RFC text, and values encrypted by it decode in ours', () => {
    const send = Buffer.from('8b7cdc149b993a1ba118cb153f56dcd8', 'hex') // RFC 3079 §3.5.3 MasterSendKey
    const recv = Buffer.from('d5f0e9521e3ea9589667e2e1d2f2d3ad', 'hex')
    const ours = encodeResponse({ code: 2, identifier: 1, requestAuthenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false,
      attributes: [['MS-MPPE-Send-Key', send], ['MS-MPPE-Recv-Key', recv]] })
    const lib = libAttributes(radius.decode({ packet: ours, secret: SECRET }))
    const [sendWire, recvWire] = [lib.get('MS-MPPE-Send-Key')![0] as Buffer, lib.get('MS-MPPE-Recv-Key')![0] as Buffer]
    expect(sendWire.length).toBe(2 + 32)
    expect(sendWire[0]! & 0x80).toBe(0x80) // RFC 2548 §2.4.2: the salt's high bit is set
    expect(sendWire.subarray(0, 2)).not.toEqual(recvWire.subarray(0, 2)) // and each salt is unique
    expect(referenceSaltDecrypt(sendWire, AUTH)).toEqual(send)
    expect(referenceSaltDecrypt(recvWire, AUTH)).toEqual(recv)

    const fromLib = radius.encode({ code: 'Access-Accept', identifier: 1, authenticator: Buffer.from(AUTH), secret: SECRET, add_message_authenticator: false,
      attributes: [['Vendor-Specific', 311, [['MS-MPPE-Send-Key', referenceSaltEncrypt(send, Buffer.from([0x85, 0x01]), AUTH)]]]] })
    expect(decodePacket(fromLib, SECRET_BUF, { requestAuthenticator: AUTH }).attributes.get('MS-MPPE-Send-Key')).toEqual([send])
  })

  it('Tunnel-Password carries tag 0 then the RFC 2868 §3.5 salt encryption', () => {
    const ours = encodeResponse({ code: 2, identifier: 1, requestAuthenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false,
      attributes: [['Tunnel-Password', 'l2tp-secret']] })
    const raw = radius.decode({ packet: ours, secret: SECRET }).raw_attributes.find(([t]) => t === 69)![1]
    expect(raw[0]).toBe(0)
    expect(referenceSaltDecrypt(raw.subarray(1), AUTH).toString()).toBe('l2tp-secret')
  })
})

describe('Message-Authenticator against the radius package (RFC 3579 §3.2, RFC 2869 §5.14)', () => {
  const attrs = [['User-Name', 'nemo'], ['NAS-IP-Address', '192.168.1.16']] as const

  it('ours puts it first in an Access-Request and the package verifies it; one changed octet fails both', () => {
    const ours = encodeRequest({ code: 1, identifier: 5, authenticator: AUTH, secret: SECRET_BUF, attributes: attrs })
    expect(ours[20]).toBe(80)
    expect(radius.decode({ packet: ours, secret: SECRET }).attributes['Message-Authenticator']).toEqual(ours.subarray(22, 38))
    const tampered = Buffer.from(ours)
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1
    expect(() => radius.decode({ packet: tampered, secret: SECRET })).toThrow(/Message-Authenticator mismatch/)
    expect(() => decodePacket(tampered, SECRET_BUF)).toThrow(/bad-message-authenticator/)
  })

  it('the package puts it last in an Access-Request and ours verifies it, and refuses it under another secret', () => {
    const lib = radius.encode({ code: 'Access-Request', identifier: 5, authenticator: Buffer.from(AUTH), secret: SECRET,
      add_message_authenticator: true, attributes: attrs.map(([n, v]) => [n, v]) })
    expect(lib[lib.length - 18]).toBe(80)
    expect(decodePacket(lib, SECRET_BUF).hasMessageAuthenticator).toBe(true)
    expect(() => decodePacket(lib, Buffer.from('other'))).toThrow(/bad-message-authenticator/)
  })

  it('an Access-Accept from ours (first) passes the package\'s verify_response, and one from the package (last) passes ours', () => {
    const request = encodeRequest({ code: 1, identifier: 5, authenticator: AUTH, secret: SECRET_BUF, attributes: attrs })
    const accept = encodeResponse({ code: 2, identifier: 5, requestAuthenticator: AUTH, secret: SECRET_BUF, attributes: [['Session-Timeout', 3600]] })
    expect(radius.verify_response({ request, response: Buffer.from(accept), secret: SECRET })).toBe(true)
    const bad = Buffer.from(accept)
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1
    expect(radius.verify_response({ request, response: bad, secret: SECRET })).toBe(false)

    const libAccept = radius.encode_response({ packet: radius.decode({ packet: request, secret: SECRET }), code: 'Access-Accept', secret: SECRET,
      attributes: [['Session-Timeout', 3600]] })
    expect(libAccept[libAccept.length - 18]).toBe(80)
    const decoded = decodePacket(libAccept, SECRET_BUF, { requestAuthenticator: AUTH })
    expect(decoded.hasMessageAuthenticator).toBe(true)
    expect(decoded.attributes.get('Session-Timeout')).toEqual([3600])
  })

  it('a Status-Server from ours carries it (RFC 5997 §3) and the package verifies it', () => {
    const ours = encodeRequest({ code: 12, identifier: 9, authenticator: AUTH, secret: SECRET_BUF, attributes: [] })
    expect(radius.decode({ packet: ours, secret: SECRET }).code).toBe('Status-Server')
  })

  it('in an Accounting-Request the package signs the authenticator before the Message-Authenticator, so its own decoder refuses its packet; ours signs as radclient does (RFC 2866 §3)', async () => {
    // RFC 2866 §3: the Request Authenticator is MD5 over the attributes as sent, Message-Authenticator included,
    // so the HMAC must be computed first (with a zero authenticator, as FreeRADIUS's rad_sign does).
    const lib = radius.encode({ code: 'Accounting-Request', identifier: 2, secret: SECRET, add_message_authenticator: true,
      attributes: [['Acct-Status-Type', 'Start'], ['User-Name', 'nemo']] })
    expect(() => radius.decode({ packet: lib, secret: SECRET })).toThrow(/authenticator mismatch/)
    expect(() => decodePacket(lib, SECRET_BUF)).toThrow(MalformedPacketError)

    const fromRadclient = await captureRadclient('acct', 'Acct-Status-Type = Start\nUser-Name = "nemo"\nMessage-Authenticator = 0x00')
    const decoded = decodePacket(fromRadclient, SECRET_BUF)
    expect(decoded.hasMessageAuthenticator).toBe(true)
    expect(decoded.attributes.get('User-Name')).toEqual(['nemo'])
    // Ours, checked by hand: HMAC-MD5 over the packet with authenticator and Message-Authenticator zeroed, then
    // the authenticator MD5 over the packet as sent.
    const ours = encodeRequest({ code: 4, identifier: 2, secret: SECRET_BUF, attributes: [['Acct-Status-Type', 'Start'], ['User-Name', 'nemo']] })
    const zeroed = Buffer.from(ours)
    zeroed.fill(0, 4, 20)
    zeroed.fill(0, 22, 38)
    expect(createHmac('md5', SECRET_BUF).update(zeroed).digest()).toEqual(ours.subarray(22, 38))
    const unsigned = Buffer.from(ours)
    unsigned.fill(0, 4, 20)
    expect(md5(unsigned, SECRET_BUF)).toEqual(ours.subarray(4, 20))
  })
})

describe('Proxy-State against the radius package (RFC 2865 §5.33)', () => {
  it('three Proxy-State values, binary and in order, are echoed by both encoders byte for byte', () => {
    const states = [Buffer.from([0, 1, 2, 0]), Buffer.from('proxy-b'), Buffer.alloc(253, 0xfe)]
    const request = encodeRequest({ code: 1, identifier: 11, authenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false,
      attributes: [['User-Name', 'nemo'], ...states.map((s) => ['Proxy-State', s] as const)] })
    const parsed = radius.decode({ packet: request, secret: SECRET })
    expect(parsed.attributes['Proxy-State']).toEqual(states)
    const libReply = radius.encode_response({ packet: parsed, code: 'Access-Reject', secret: SECRET, attributes: [['Reply-Message', 'no']] })
    const ourReply = encodeResponse({ code: 3, identifier: 11, requestAuthenticator: AUTH, secret: SECRET_BUF, messageAuthenticator: false,
      attributes: [['Reply-Message', 'no'], ...decodePacket(request, SECRET_BUF).attributes.get('Proxy-State')!.map((s) => ['Proxy-State', s] as const)] })
    expect(ourReply.toString('hex')).toBe(libReply.toString('hex'))
    expect(decodePacket(libReply, SECRET_BUF, { requestAuthenticator: AUTH }).attributes.get('Proxy-State')).toEqual(states)
  })
})

describe('malformed input where the package is lenient', () => {
  it('an attribute running past the packet end: the package decodes a truncated value, ours drops the packet (RFC 2865 §5)', () => {
    const p = Buffer.from([4, 1, 0, 26, ...Buffer.alloc(16), 1, 9, 0x61, 0x62, 0x63, 0x64])
    expect(radius.decode({ packet: p, secret: SECRET, no_secret: true } as never).attributes['User-Name']).toBe('abcd')
    expect(() => decodePacket(p, SECRET_BUF)).toThrow(/bad-attribute-length/)
  })

  it('octets past Length are padding: ours ignores them, the package hashes them and refuses the packet (RFC 2865 §3)', () => {
    const ours = encodeRequest({ code: 4, identifier: 1, secret: SECRET_BUF, messageAuthenticator: false, attributes: [['Acct-Status-Type', 'Stop']] })
    const padded = Buffer.concat([ours, Buffer.alloc(8)])
    expect(decodePacket(padded, SECRET_BUF).attributes.get('Acct-Status-Type')).toEqual(['Stop'])
    expect(() => radius.decode({ packet: padded, secret: SECRET })).toThrow(/authenticator mismatch/)
  })
})

/** Runs Debian's radclient against a socket of ours and returns the datagram it sent (no reply: one try). */
async function captureRadclient(type: 'acct' | 'auth', input: string): Promise<Buffer> {
  const socket = createSocket('udp4')
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  const port = socket.address().port
  const received = new Promise<Buffer>((resolve) => socket.once('message', (m) => resolve(m)))
  const child = spawn('radclient', ['-r', '1', '-t', '1', `127.0.0.1:${port}`, type, SECRET], { stdio: ['pipe', 'ignore', 'ignore'] })
  child.stdin.end(input + '\n')
  const packet = await received
  child.kill()
  socket.close()
  return packet
}
