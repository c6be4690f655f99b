/**
 * Crypt-Password for PAP, as rlm_pap's `pap_auth_crypt` does it: `crypt(typed, stored)` with the stored hash as
 * the setting, then a plain comparison with the stored text (FreeRADIUS 3.2 `fr_crypt_check` on Debian's
 * libxcrypt). Schemes: MD5-crypt `$1$`, SHA-256-crypt `$5$` and SHA-512-crypt `$6$` (`rounds=` included),
 * bcrypt `$2a$`/`$2b$`/`$2y$`, and traditional 13-character DES crypt — what daloRADIUS writes
 * (`crypt($password, 'SALT_DALORADIUS')`, salt `SA`). Anything else (yescrypt `$y$`, `$2x$`, BSDi `_…`) is
 * reported as unusable, not as a mismatch.
 *
 * The MD5- and SHA-crypt loops follow Poul-Henning Kamp's md5crypt and Ulrich Drepper's "Unix crypt using
 * SHA-256 and SHA-512" specification, with libxcrypt's stricter setting rules (rounds 1000–999999999 without a
 * leading zero; no `!*:;\`, space, control or non-ASCII characters anywhere in the setting). They are written
 * here on Node's one-shot digests because no maintained, permissively licensed npm package covers both SHA
 * variants; the tests pin them to `openssl passwd` and libxcrypt outputs. bcrypt is `@node-rs/bcrypt` (its
 * `verify` runs on libuv's thread pool), DES is `unix-crypt-td-js`.
 *
 * None of these block the event loop for long: bcrypt is off-thread, and the SHA-crypt loop yields between
 * batches of {@link ROUNDS_PER_TURN} rounds, so a login with `rounds=` in the millions delays other requests
 * by one batch at a time, not by the whole computation (MD5-crypt's fixed 1,000 rounds and DES's 25
 * encryptions are short enough to run at once).
 */
import { timingSafeEqual } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { verify as verifyBcrypt } from '@node-rs/bcrypt'
import unixCryptDes from 'unix-crypt-td-js'
import { digestOf } from '../protocol/crypto.js'

/** Digest rounds computed before giving the event loop a turn (about 0.7 ms of SHA-512 on the 2-core dev box). */
export const ROUNDS_PER_TURN = 1000

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Characters for which Debian 12's libxcrypt (4.4.33) answers `*0` wherever they are in the setting. */
const BAD_SETTING = /[^\x21-\x7e]|[!*:;\\]/
const DES = /^[./0-9A-Za-z]{2}/
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/
const EMPTY = Buffer.alloc(0)

/** crypt(3)'s base-64 of a 24-bit group, least significant six bits first. */
function to64(out: string[], b2: number, b1: number, b0: number, chars: number): void {
  let w = (b2 << 16) | (b1 << 8) | b0
  for (let k = 0; k < chars; k++, w >>= 6) out.push(ITOA64[w & 0x3f]!)
}

/** `length` bytes of `block` repeated (the spec's "P sequence" and "S sequence"). */
function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  for (let at = 0; at < length; at += block.length) block.copy(out, at, 0, Math.min(block.length, length - at))
  return out
}

/** MD5-crypt (`$1$`): the whole crypt(3) output for `password` under `setting` (1,000 MD5s: no need to yield). */
function md5Crypt(password: Buffer, setting: string): string {
  const saltText = setting.slice(3).split('$', 1)[0]!.slice(0, 8)
  const salt = Buffer.from(saltText, 'latin1')
  const magic = Buffer.from('$1$', 'latin1')
  const alternate = digestOf('md5', password, salt, password)
  const parts = [password, magic, salt, repeatTo(alternate, password.length)]
  const zero = Buffer.alloc(1)
  const first = password.subarray(0, 1)
  for (let i = password.length; i > 0; i >>= 1) parts.push(i & 1 ? zero : first)
  let final = digestOf('md5', ...parts)
  for (let i = 0; i < 1000; i++) {
    final = digestOf('md5', i & 1 ? password : final, i % 3 ? salt : EMPTY, i % 7 ? password : EMPTY, i & 1 ? final : password)
  }
  const out: string[] = ['$1$', saltText, '$']
  const f = final
  to64(out, f[0]!, f[6]!, f[12]!, 4); to64(out, f[1]!, f[7]!, f[13]!, 4); to64(out, f[2]!, f[8]!, f[14]!, 4)
  to64(out, f[3]!, f[9]!, f[15]!, 4); to64(out, f[4]!, f[10]!, f[5]!, 4); to64(out, 0, 0, f[11]!, 2)
  return out.join('')
}

/** Output byte order of SHA-crypt's final base-64 (Drepper's spec, step 22), three bytes per group. */
const SHA256_ORDER = [0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29]
const SHA512_ORDER = [0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51,
  31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41]

/** SHA-256-/SHA-512-crypt (`$5$`/`$6$`): the crypt(3) output, or undefined for a setting libxcrypt refuses. */
async function shaCrypt(password: Buffer, setting: string): Promise<string | undefined> {
  const id = setting[1]!
  const algorithm = id === '5' ? 'sha256' : 'sha512'
  let rest = setting.slice(3)
  let rounds = 5000
  let roundsText = ''
  if (rest.startsWith('rounds=')) {
    const m = /^rounds=([1-9]\d*)\$/.exec(rest)
    if (!m) return undefined
    rounds = Number(m[1])
    if (rounds < 1000 || rounds > 999_999_999) return undefined
    roundsText = `rounds=${m[1]}$`
    rest = rest.slice(m[0].length)
  }
  const saltText = rest.split('$', 1)[0]!.slice(0, 16)
  const salt = Buffer.from(saltText, 'latin1')
  const size = id === '5' ? 32 : 64

  const b = digestOf(algorithm, password, salt, password)
  const parts = [password, salt, repeatTo(b, password.length)]
  for (let n = password.length; n > 0; n >>= 1) parts.push(n & 1 ? b : password)
  const a = digestOf(algorithm, ...parts)
  const p = repeatTo(digestOf(algorithm, ...new Array<Buffer>(password.length).fill(password)), password.length)
  const s = repeatTo(digestOf(algorithm, ...new Array<Buffer>(16 + a[0]!).fill(salt)), salt.length)
  let c = a
  for (let i = 0; i < rounds; i++) {
    if (i > 0 && i % ROUNDS_PER_TURN === 0) await nextTurn()
    c = digestOf(algorithm, i & 1 ? p : c, i % 3 ? s : EMPTY, i % 7 ? p : EMPTY, i & 1 ? c : p)
  }
  const out: string[] = ['$', id, '$', roundsText, saltText, '$']
  const order = size === 32 ? SHA256_ORDER : SHA512_ORDER
  for (let k = 0; k < order.length; k += 3) to64(out, c[order[k]!]!, c[order[k + 1]!]!, c[order[k + 2]!]!, 4)
  if (size === 32) to64(out, 0, c[31]!, c[30]!, 3)
  else to64(out, 0, 0, c[63]!, 2)
  return out.join('')
}

/** Equal text in constant time for equal lengths. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1')
  const y = Buffer.from(b, 'latin1')
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Whether the password a user typed matches a stored Crypt-Password (rlm_pap, protocol digest §2.6): true or
 * false, or undefined when the stored value is not a crypt(3) hash radiusd can check (an unsupported scheme or
 * a setting libxcrypt would refuse) — the caller then treats the row as absent.
 */
export async function verifyCryptPassword(stored: string, typed: string): Promise<boolean | undefined> {
  if (stored === '' || BAD_SETTING.test(stored)) return undefined
  const password = Buffer.from(typed, 'utf8')
  if (stored.startsWith('$1$')) return sameText(md5Crypt(password, stored), stored)
  if (stored.startsWith('$5$') || stored.startsWith('$6$')) {
    const computed = await shaCrypt(password, stored)
    return computed === undefined ? undefined : sameText(computed, stored)
  }
  if (stored.startsWith('$2')) return BCRYPT.test(stored) ? verifyBcrypt(password, stored) : undefined
  if (stored.startsWith('$') || stored.startsWith('_') || !DES.test(stored)) return undefined
  // DES: the first eight characters' low seven bits are the key, the first two of the stored value the salt.
  return sameText(unixCryptDes(password, stored.slice(0, 2)), stored)
}
