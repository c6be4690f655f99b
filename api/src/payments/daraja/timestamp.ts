/** Daraja's clock and password conventions (digest §1.3): timestamps are East Africa Time, no zone marker. */

const EAT_OFFSET_MS = 3 * 3600_000

/** `YYYYMMDDHHmmss` in Africa/Nairobi (UTC+3, no DST), as Daraja's `Timestamp` wants it. */
export function darajaTimestamp(at: Date = new Date()): string {
  return new Date(at.getTime() + EAT_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** The UTC instant of a Daraja `yyyyMMddHHmmss` EAT time, or undefined when malformed. */
export function parseDarajaTime(value: string | number): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(String(value))
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  const t = Date.UTC(y, mo - 1, d, h, mi, s) - EAT_OFFSET_MS
  return Number.isNaN(t) ? undefined : new Date(t)
}

/** `base64(BusinessShortCode + Passkey + Timestamp)`: plain concatenation, no separators. */
export function stkPassword(shortCode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortCode}${passkey}${timestamp}`).toString('base64')
}
