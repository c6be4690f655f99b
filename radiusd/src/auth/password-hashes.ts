/**
 * PAP against the hashed "known good" passwords an operator's FreeRADIUS database may hold (rlm_pap,
 * protocol digest §2.6): MD5-, SMD5-, SHA-, SSHA-, SHA2-, SSHA2-{224,256,384,512}-, NT-Password, and
 * Password-With-Header (`{md5}…`, `{ssha}…`, `{clear}…`, …). Values are hex or base64, as rlm_pap accepts.
 * Crypt-Password (crypt(3), `{crypt}` with a header) is checked by `crypt-password.ts` and answers
 * asynchronously. CHAP and MS-CHAPv2 cannot use any of these (they need the cleartext or, for MS-CHAPv2, the NT
 * hash).
 */
import { timingSafeEqual } from 'node:crypto'
import { digestOf } from '../protocol/crypto.js'
import { verifyCryptPassword } from './crypt-password.js'
import { ntPasswordHash } from './mschapv2.js'

type Scheme = { readonly algorithm: string | 'nt'; readonly salted: boolean; readonly digestBytes: number }

const SCHEMES: Readonly<Record<string, Scheme>> = Object.freeze({
  'MD5-Password': { algorithm: 'md5', salted: false, digestBytes: 16 },
  'SMD5-Password': { algorithm: 'md5', salted: true, digestBytes: 16 },
  'SHA-Password': { algorithm: 'sha1', salted: false, digestBytes: 20 },
  'SHA1-Password': { algorithm: 'sha1', salted: false, digestBytes: 20 },
  'SSHA-Password': { algorithm: 'sha1', salted: true, digestBytes: 20 },
  'SSHA1-Password': { algorithm: 'sha1', salted: true, digestBytes: 20 },
  'SHA2-224-Password': { algorithm: 'sha224', salted: false, digestBytes: 28 },
  'SHA2-256-Password': { algorithm: 'sha256', salted: false, digestBytes: 32 },
  'SHA2-384-Password': { algorithm: 'sha384', salted: false, digestBytes: 48 },
  'SHA2-512-Password': { algorithm: 'sha512', salted: false, digestBytes: 64 },
  'SSHA2-224-Password': { algorithm: 'sha224', salted: true, digestBytes: 28 },
  'SSHA2-256-Password': { algorithm: 'sha256', salted: true, digestBytes: 32 },
  'SSHA2-384-Password': { algorithm: 'sha384', salted: true, digestBytes: 48 },
  'SSHA2-512-Password': { algorithm: 'sha512', salted: true, digestBytes: 64 },
  'NT-Password': { algorithm: 'nt', salted: false, digestBytes: 16 },
})

/** Password-With-Header prefixes (lower-case) and the attribute they stand for. */
const HEADERS: Readonly<Record<string, string>> = Object.freeze({
  '{clear}': 'Cleartext-Password', '{cleartext}': 'Cleartext-Password', '{crypt}': 'Crypt-Password', '{md5}': 'MD5-Password',
  '{smd5}': 'SMD5-Password', '{sha}': 'SHA-Password', '{ssha}': 'SSHA-Password', '{sha256}': 'SHA2-256-Password',
  '{sha512}': 'SHA2-512-Password', '{ssha256}': 'SSHA2-256-Password', '{ssha512}': 'SSHA2-512-Password',
  '{nt}': 'NT-Password', '{nthash}': 'NT-Password', '{x-nthash}': 'NT-Password',
})

/** The attribute names this module understands (the policy copies them from the control list). */
export const HASHED_PASSWORD_ATTRIBUTES: readonly string[] = Object.freeze([...Object.keys(SCHEMES), 'Crypt-Password', 'Password-With-Header'])

/** Hex when it is exactly hex of at least `min` bytes, else base64 (rlm_pap's normalisation). */
function decode(value: string, min: number): Buffer | undefined {
  const v = value.replace(/^0x/i, '')
  if (/^[0-9a-f]+$/i.test(v) && v.length % 2 === 0 && v.length / 2 >= min) return Buffer.from(v, 'hex')
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const b = Buffer.from(value, 'base64')
    return b.length >= min ? b : undefined
  }
  return undefined
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/**
 * Whether `typed` matches the stored `value` of hash attribute `name`; undefined when the value is unusable.
 * A Promise only for Crypt-Password (bcrypt and SHA-crypt must not hold the event loop); the other schemes
 * answer at once, so the PAP path of every other user allocates no Promise.
 */
export function verifyHashedPassword(name: string, value: string, typed: string): boolean | undefined | Promise<boolean | undefined> {
  if (name === 'Crypt-Password') return verifyCryptPassword(value, typed)
  if (name === 'Password-With-Header') {
    const m = /^(\{[a-z0-9-]+\})(.*)$/i.exec(value)
    const as = m ? HEADERS[m[1]!.toLowerCase()] : undefined
    if (!m || !as) return undefined
    if (as === 'Cleartext-Password') return same(Buffer.from(typed, 'utf8'), Buffer.from(m[2]!, 'utf8'))
    return verifyHashedPassword(as, m[2]!, typed)
  }
  const scheme = SCHEMES[name]
  if (!scheme) return undefined
  const stored = decode(value, scheme.digestBytes)
  if (!stored || (!scheme.salted && stored.length !== scheme.digestBytes)) return undefined
  if (scheme.algorithm === 'nt') return same(ntPasswordHash(typed), stored)
  const digest = stored.subarray(0, scheme.digestBytes)
  const salt = stored.subarray(scheme.digestBytes)
  const computed = digestOf(scheme.algorithm, Buffer.from(typed, 'utf8'), salt)
  return same(computed, digest)
}
