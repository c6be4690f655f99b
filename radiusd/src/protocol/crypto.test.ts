import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { digestOf, hmacMd5, md5 } from './crypto.js'

const hex = (s: string): Buffer => Buffer.from(s, 'hex')

describe('one-shot digests', () => {
  it('HMAC-MD5 matches the RFC 2104 / RFC 2202 test vectors', () => {
    // RFC 2202 §2, test cases 1, 2 and 6 (a key longer than the 64-byte block is hashed first).
    expect(hmacMd5(Buffer.alloc(16, 0x0b), Buffer.from('Hi There')).toString('hex')).toBe('9294727a3638bb1c13f48ef8158bfc9d')
    expect(hmacMd5(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')).toString('hex')).toBe('750c783e6ab0b503eaa86e310a5db738')
    expect(hmacMd5(Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')).toString('hex'))
      .toBe('6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd')
  })

  it('HMAC-MD5, MD5 and SHA-1 agree with createHmac/createHash for random keys and split inputs', () => {
    for (let round = 0; round < 300; round++) {
      const key = randomBytes(round % 130) // 0 … 129 bytes: empty, shorter, equal to and longer than a block
      const parts = Array.from({ length: 1 + (round % 5) }, (_, k) => randomBytes((round * 7 + k * 13) % 300))
      const whole = Buffer.concat(parts)
      expect(hmacMd5(key, ...parts).equals(createHmac('md5', key).update(whole).digest())).toBe(true)
      expect(md5(...parts).equals(createHash('md5').update(whole).digest())).toBe(true)
      expect(digestOf('sha1', ...parts).equals(createHash('sha1').update(whole).digest())).toBe(true)
    }
  })

  it('grows its scratch buffer for an input larger than it and stays correct afterwards', () => {
    const big = randomBytes(20_000)
    expect(md5(big, big).equals(createHash('md5').update(big).update(big).digest())).toBe(true)
    expect(md5(hex('00ff')).toString('hex')).toBe(createHash('md5').update(hex('00ff')).digest('hex'))
  })
})
