import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyHashedPassword } from './password-hashes.js'

const h = (alg: string, s: string, salt = Buffer.alloc(0)) => createHash(alg).update(s).update(salt).digest()
const salt = Buffer.from('a1b2c3d4', 'hex')

describe('hashed known-good passwords (rlm_pap)', () => {
  it.each([
    ['MD5-Password', h('md5', 'pw1').toString('hex')],
    ['MD5-Password', h('md5', 'pw1').toString('base64')],
    ['SMD5-Password', Buffer.concat([h('md5', 'pw1', salt), salt]).toString('base64')],
    ['SHA-Password', h('sha1', 'pw1').toString('hex')],
    ['SSHA-Password', Buffer.concat([h('sha1', 'pw1', salt), salt]).toString('base64')],
    ['SHA2-256-Password', h('sha256', 'pw1').toString('hex')],
    ['SSHA2-512-Password', Buffer.concat([h('sha512', 'pw1', salt), salt]).toString('base64')],
    // Source: RFC 2759 §9.2, NtPasswordHash("clientPass") = 44EBBA8D5312B8D611474411F56989AE.
    ['NT-Password', '44EBBA8D5312B8D611474411F56989AE'],
    ['Password-With-Header', `{ssha}${Buffer.concat([h('sha1', 'pw1', salt), salt]).toString('base64')}`],
    ['Password-With-Header', '{clear}pw1'],
    // `openssl passwd -1 -salt 5a1t pw1`: Crypt-Password, also behind rlm_pap's {crypt} header (any case)
    ['Crypt-Password', '$1$5a1t$WyI11YaEzPdSm0mHIM4k80'],
    ['Password-With-Header', '{crypt}$1$5a1t$WyI11YaEzPdSm0mHIM4k80'],
    ['Password-With-Header', '{CRYPT}$1$5a1t$WyI11YaEzPdSm0mHIM4k80'],
  ])('%s %s accepts the right password and refuses a wrong one', async (name, value) => {
    const right = name === 'NT-Password' ? 'clientPass' : 'pw1'
    expect(await verifyHashedPassword(name, value, right)).toBe(true)
    expect(await verifyHashedPassword(name, value, 'wrong')).toBe(false)
  })

  it('answers at once for every scheme but Crypt-Password (no Promise on the common PAP path)', () => {
    expect(verifyHashedPassword('MD5-Password', h('md5', 'pw1').toString('hex'), 'pw1')).toBe(true)
    expect(verifyHashedPassword('Crypt-Password', '$1$5a1t$WyI11YaEzPdSm0mHIM4k80', 'pw1')).toBeInstanceOf(Promise)
  })

  it.each([
    ['MD5-Password', 'nothex!'], ['SHA-Password', 'abcd'], ['Password-With-Header', '{unknown}x'],
    ['Password-With-Header', '{crypt}$y$j9T$x$y'], ['Crypt-Password', '$y$j9T$x$y'],
  ])('%s %j is unusable, not a match', async (name, value) => {
    expect(await verifyHashedPassword(name, value, 'pw1')).toBeUndefined()
  })
})
