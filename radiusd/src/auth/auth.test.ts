import { describe, expect, it } from 'vitest'
import { verifyPap } from './pap.js'
import { computeChapPassword, verifyChap } from './chap.js'
import { authenticatorResponse, challengeHash, generateNtResponse, mppeKeys, ntPasswordHash, verifyMsChapV2 } from './mschapv2.js'

const hex = (s: string): Buffer => Buffer.from(s, 'hex')
// Source: RFC 2759 §9.2 (MS-CHAPv2 sample data).
const AUTH_CHALLENGE = hex('5B5D7C7D7B3F2F3E3C2C602132262628')
const PEER_CHALLENGE = hex('21402324255E262A28295F2B3A337C7E')
const NT_RESPONSE = hex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF')

describe('PAP', () => {
  it('accepts the same password and rejects a different or longer one', () => {
    expect(verifyPap('pw1', 'pw1')).toBe(true)
    expect(verifyPap('pw2', 'pw1')).toBe(false)
    expect(verifyPap('pw11', 'pw1')).toBe(false)
  })
})

describe('CHAP (RFC 1994 §4.1)', () => {
  it('accepts MD5(ident ‖ password ‖ challenge) and rejects a wrong password or a short value', () => {
    const challenge = hex('0123456789abcdef0123456789abcdef')
    const chap = computeChapPassword(7, 'secret', challenge)
    expect(verifyChap(chap, challenge, 'secret')).toBe(true)
    expect(verifyChap(chap, challenge, 'Secret')).toBe(false)
    expect(verifyChap(chap.subarray(0, 16), challenge, 'secret')).toBe(false)
  })
})

describe('MS-CHAPv2 (RFC 2759 §9.2, RFC 3079 §3.5.3)', () => {
  it('reproduces the RFC 2759 §9.2 intermediate values', () => {
    expect(challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, 'User').toString('hex').toUpperCase()).toBe('D02E4386BCE91226')
    expect(ntPasswordHash('clientPass').toString('hex').toUpperCase()).toBe('44EBBA8D5312B8D611474411F56989AE')
    expect(generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, 'User', ntPasswordHash('clientPass'))).toEqual(NT_RESPONSE)
    expect(authenticatorResponse(ntPasswordHash('clientPass'), NT_RESPONSE, PEER_CHALLENGE, AUTH_CHALLENGE, 'User'))
      .toBe('S=407A5589115FD0D6209F510FE9C04566932CDA56')
  })

  it('derives the RFC 3079 §3.5.3 master key and 128-bit start key', () => {
    const keys = mppeKeys(ntPasswordHash('clientPass'), NT_RESPONSE)
    expect(keys.masterKey.toString('hex').toUpperCase()).toBe('FDECE3717A8C838CB388E527AE3CDD31')
    expect(keys.sendKey.toString('hex').toUpperCase()).toBe('8B7CDC149B993A1BA118CB153F56DCCB')
  })

  it('verifies an MS-CHAP2-Response, strips DOMAIN\\ and answers with ident ‖ S=…', () => {
    const response = Buffer.concat([Buffer.from([0x11, 0]), PEER_CHALLENGE, Buffer.alloc(8), NT_RESPONSE])
    const ok = verifyMsChapV2(response, AUTH_CHALLENGE, 'WORKGROUP\\User', ntPasswordHash('clientPass'))
    expect(ok.ok).toBe(true)
    if (ok.ok) expect(ok.success.toString('latin1')).toBe('\x11S=407A5589115FD0D6209F510FE9C04566932CDA56')
    const bad = verifyMsChapV2(response, AUTH_CHALLENGE, 'User', ntPasswordHash('wrong'))
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.subarray(1).toString()).toBe(`E=691 R=1 C=${AUTH_CHALLENGE.toString('hex').toUpperCase()} V=3 M=Authentication rejected`)
  })
})
