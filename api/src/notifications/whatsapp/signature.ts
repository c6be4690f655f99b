/**
 * Meta's webhook signature (digest §3.4): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`,
 * computed over the exact bytes received (re-serialised JSON would not match), compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Whether `header` signs `rawBody` with `appSecret`. */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  const got = Buffer.from(header.slice(7), 'hex')
  return got.length === expected.length && timingSafeEqual(got, expected)
}

/** The header value Meta would send for `rawBody` (the emulator and tests sign with it). */
export function metaSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`
}

/** Constant-time string equality (the verify token of the subscription handshake). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
