import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { chapLoginPassword, unescapeOctal } from './chap.js'

/** The octal-escaped text the router renders for bytes (`$(chap-challenge)`). */
const octal = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')

describe('HTTP-CHAP as MikroTik login.html computes it', () => {
  it('matches the real RouterOS 7 http-chap login (digest §4.3 trace: user thepumper)', () => {
    // Source: radiusd/test/fixtures/routeros/README.md — CHAP-Password 34 b7226284e0fdeddd5b12a8ee74e8b25c for
    // Cleartext-Password lkfgxifde and CHAP-Challenge 19a63ce2e283187f977609b470b01368: the router sends the
    // chap-id (0x34) first, then the MD5 the login page put in the password field.
    const challenge = Buffer.from('19a63ce2e283187f977609b470b01368', 'hex')
    expect(chapLoginPassword('\\064', 'lkfgxifde', octal(challenge))).toBe('b7226284e0fdeddd5b12a8ee74e8b25c')
  })

  it('unescapes the octal text of every byte value, including those above 0x7f', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    expect(Buffer.from(unescapeOctal(octal(all)), 'latin1')).toEqual(all)
    expect(unescapeOctal('\\371\\0\\15x')).toBe('\u00f9\u0000\u000dx')
  })

  it('equals MD5(id ‖ password ‖ challenge) over bytes for random challenges', () => {
    for (let i = 0; i < 50; i++) {
      const id = Buffer.from([Math.floor(Math.random() * 256)])
      const challenge = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256)))
      const password = `pw${i}x${Math.random().toString(36).slice(2, 8)}`
      const expected = createHash('md5')
        .update(Buffer.concat([id, Buffer.from(password), challenge]))
        .digest('hex')
      expect(chapLoginPassword(octal(id), password, octal(challenge))).toBe(expected)
    }
  })

  it('accepts values the browser already unescaped (raw bytes as characters)', () => {
    const challenge = Buffer.from('00ff10203040506070808090a0b0c0d0', 'hex')
    const expected = createHash('md5')
      .update(Buffer.concat([Buffer.from([0xf9]), Buffer.from('demo1234'), challenge]))
      .digest('hex')
    expect(chapLoginPassword('\u00f9', 'demo1234', challenge.toString('latin1'))).toBe(expected)
  })
})
