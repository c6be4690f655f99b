/**
 * Crypt-Password (rlm_pap `pap_auth_crypt`): every stored value below was produced by another implementation,
 * never by ours, and is kept as a literal.
 */
import { describe, expect, it } from 'vitest'
import { verifyCryptPassword } from './crypt-password.js'

describe('verifyCryptPassword: crypt(3) hashes from other implementations', () => {
  const cases: [label: string, stored: string, right: string, wrong: string][] = [
    // `openssl passwd -1 -salt saltsalt crypt-pw` (OpenSSL 3.0.19)
    ['MD5-crypt $1$', '$1$saltsalt$gRuvu5qMAkXQIOyHmo2Pm1', 'crypt-pw', 'crypt-pW'],
    // Python 3.11 `crypt.crypt('pässwörd', '$1$ab')` (Debian 12 libxcrypt 4.4.33): UTF-8 bytes, a 2-character salt
    ['MD5-crypt $1$, non-ASCII password', '$1$ab$bRZzLnQPD1ql12pSoshc71', 'pässwörd', 'passwort'],
    // `crypt.crypt('p', '$1$')` (libxcrypt): an empty salt
    ['MD5-crypt $1$, empty salt', '$1$$dw./IUNZ6iMTMiAolemFa0', 'p', 'q'],
    // `openssl passwd -5 -salt saltsalt crypt-pw`
    ['SHA-256-crypt $5$', '$5$saltsalt$UFhJz/zyM5QWMtu5FeGTxNeVcEibqrghzidJfPeWN4C', 'crypt-pw', 'crypt-p'],
    // Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512", test vectors 1 and 2 of sha256crypt
    ['SHA-256-crypt $5$, spec vector', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'Hello world!', 'Hello world'],
    ['SHA-256-crypt $5$ rounds=10000, salt cut to 16', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA', 'Hello world!', 'hello world!'],
    // `openssl passwd -5 -salt 'rounds=1000$roundsalt' crypt-pw`: the smallest rounds libxcrypt accepts
    ['SHA-256-crypt $5$ rounds=1000', '$5$rounds=1000$roundsalt$f8xAI6O5A3VHo.XP9FnRT3KoB6Zh3gEf5RUThKvCqR.', 'crypt-pw', 'crypt-pw '],
    // `crypt.crypt('x' * 70, '$5$rounds=1234$q')` (libxcrypt): a password longer than the digest
    ['SHA-256-crypt $5$, long password', '$5$rounds=1234$q$7uW9A.jiPCJfJTTHZc9DtXCyj1vwE/S1j0HCWAOqhE.', 'x'.repeat(70), 'x'.repeat(69)],
    // `openssl passwd -6 -salt saltsalt crypt-pw`
    ['SHA-512-crypt $6$', '$6$saltsalt$Z0obe1tdhkfMWvzAZ4GPwvf8Oc51wuWIcx2X0o9mLIRHw8Vs6TT7XunSMGl8UnXIe0V9qSGr.aT/0rIzqLji60', 'crypt-pw', 'crypt-pw2'],
    // `openssl passwd -6 -salt 'rounds=10000$saltsalt' crypt-pw`
    ['SHA-512-crypt $6$ rounds=10000', '$6$rounds=10000$saltsalt$ZhrKvLXbPhfifwwhn8iZ.wW61Xt96cY54MgqvZnbjO/Uz4iBigQhUBdKqezqMvAn61q0YwS0hpP4LgOs0w.9V1', 'crypt-pw', 'crypt'],
    // Drepper's sha512crypt test vector 1
    ['SHA-512-crypt $6$, spec vector', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'Hello world!', 'Hello world?'],
    // `crypt.crypt('', '$6$x')` (libxcrypt): the empty password
    ['SHA-512-crypt $6$, empty password', '$6$x$QSmr1Bx2g4O6BzKvdkgOcyU6H91X6I/XBv5pSalMhSPkwdH6Beo3F455xZJg0v//bxVK5F4OE5k1.0xuR26MK0', '', ' '],
    // `crypt.crypt('crypt-pw', '$2b$04$abcdefghijklmnopqrstuu')` (libxcrypt), and the same hash as $2a$/$2y$
    ['bcrypt $2b$', '$2b$04$abcdefghijklmnopqrstuuZLKvp8umIHBP0aWUbg5NDlbmPfkL3N6', 'crypt-pw', 'crypt-pv'],
    ['bcrypt $2a$', '$2a$04$abcdefghijklmnopqrstuuZLKvp8umIHBP0aWUbg5NDlbmPfkL3N6', 'crypt-pw', 'CRYPT-PW'],
    ['bcrypt $2y$', '$2y$04$abcdefghijklmnopqrstuuZLKvp8umIHBP0aWUbg5NDlbmPfkL3N6', 'crypt-pw', ''],
    // Openwall crypt_blowfish's published test vector ("U*U")
    ['bcrypt $2a$, crypt_blowfish vector', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'U*U', 'U*U*'],
    // What daloRADIUS stores: PHP `crypt('crypt-pw', 'SALT_DALORADIUS')` = libxcrypt DES with salt "SA"
    // (`crypt.crypt('crypt-pw', 'SALT_DALORADIUS')`)
    ['DES crypt, daloRADIUS', 'SAy0b2iljUnAk', 'crypt-pw', 'crypt-p'],
    // unix-crypt-td-js's and Seventh Edition Unix's vector, confirmed with `crypt.crypt('foo', 'ba')`
    ['DES crypt', 'ba4TuD1iozTxw', 'foo', 'fop'],
  ]
  it.each(cases)('%s accepts the right password and refuses a wrong one', async (_label, stored, right, wrong) => {
    expect(await verifyCryptPassword(stored, right)).toBe(true)
    expect(await verifyCryptPassword(stored, wrong)).toBe(false)
  })

  it('DES uses only the first eight characters of the password, as crypt(3) does', async () => {
    expect(await verifyCryptPassword('SAy0b2iljUnAk', 'crypt-pw and more')).toBe(true)
  })

  it('a well-formed setting whose stored text differs from crypt\'s output (salt longer than 16) never matches', async () => {
    // crypt('Hello world!', this) = '$5$rounds=10000$saltstringsaltst$3xv…': the stored text has the uncut salt.
    expect(await verifyCryptPassword('$5$rounds=10000$saltstringsaltstring$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA', 'Hello world!')).toBe(false)
  })

  // libxcrypt returns its failure token "*0" for these settings, so FreeRADIUS rejects; radiusd calls them unusable.
  it.each([
    ['rounds below 1000', '$5$rounds=999$abc$x'],
    ['rounds with a leading zero', '$5$rounds=01000$abc$x'],
    ['rounds above 999999999', '$6$rounds=1000000000$abc$x'],
    ['rounds not a number', '$6$rounds=many$abc$x'],
    ['a colon in the setting', '$5$ab:c$x'],
    ['a space in the setting', 'S A0b2iljUnAk'],
    ['non-ASCII in the setting', '$1$sälz$x'],
    ['DES salt outside [./0-9A-Za-z]', 'S#y0b2iljUnAk'],
    ['bcrypt, truncated', '$2b$04$abcdefghijklmnopqrstuu'],
    ['bcrypt $2x$ (not supported)', '$2x$04$abcdefghijklmnopqrstuuZLKvp8umIHBP0aWUbg5NDlbmPfkL3N6'],
    ['yescrypt $y$ (not supported)', '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7'],
    ['BSDi extended DES (not supported)', '_J9..CCCCXBrJUJV154M'],
    ['a one-character value', 'a'],
    ['empty', ''],
  ])('%s (%j) is unusable, not a match', async (_label, stored) => {
    expect(await verifyCryptPassword(stored, 'crypt-pw')).toBeUndefined()
  })
})
