/**
 * CHAP (RFC 2865 §5.3, §5.40; RFC 1994 §4.1): Response = MD5(Ident ‖ secret ‖ challenge), where the challenge
 * is CHAP-Challenge when present, else the Request Authenticator. MikroTik hotspot's default login method.
 */
import { timingSafeEqual } from 'node:crypto'
import { md5 } from '../protocol/crypto.js'

/**
 * Verifies a 17-octet CHAP-Password (ident ‖ 16-octet response) against the stored cleartext password.
 * Returns false for a malformed CHAP-Password.
 */
export function verifyChap(chapPassword: Buffer, challenge: Buffer, cleartext: string): boolean {
  if (chapPassword.length !== 17) return false
  const expected = md5(chapPassword.subarray(0, 1), Buffer.from(cleartext, 'utf8'), challenge)
  return timingSafeEqual(expected, chapPassword.subarray(1))
}

/** Builds a CHAP-Password for `password` (used by tests and the benchmark's client side). */
export function computeChapPassword(ident: number, password: string, challenge: Buffer): Buffer {
  const digest = md5(Buffer.from([ident]), Buffer.from(password, 'utf8'), challenge)
  return Buffer.concat([Buffer.from([ident]), digest])
}
