/**
 * PAP (RFC 2865 §5.2): the codec has already un-hidden User-Password; compare it with the stored cleartext.
 */
import { timingSafeEqual } from 'node:crypto'

/** Whether the password the user typed equals the stored cleartext (constant time for equal lengths). */
export function verifyPap(typed: string, cleartext: string): boolean {
  const a = Buffer.from(typed, 'utf8')
  const b = Buffer.from(cleartext, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
