/** How plans, prices and times read to a customer, in either language. */
import type { Lang, MessageKey, Translate } from '../i18n/index.js'

/** 5000 (KES minor units) → "KSh 50"; cents only when there are any. */
export function priceText(minor: number, currency: string): string {
  const major = minor / 100
  const digits = Number.isInteger(major) ? 0 : 2
  const amount = major.toLocaleString('en-KE', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return currency === 'KES' ? `KSh ${amount}` : `${currency} ${amount}`
}

/** 5_000_000 bit/s → "5 Mbps"; 512_000 → "512 kbps"; 0 (no limit) → "Full speed". */
export function speedText(bps: number, t: Translate): string {
  if (bps <= 0) return t('speed.unlimited')
  if (bps >= 1_000_000) return `${trim(bps / 1_000_000)} Mbps`
  return `${trim(bps / 1000)} kbps`
}

/** 86_400 → "24 hours"; 604_800 → "1 week"; 2_592_000 → "30 days" (what ISPs call a month plan). */
export function durationText(seconds: number, t: Translate): string {
  const count = (n: number, one: MessageKey, many: MessageKey) => (n === 1 ? t(one) : t(many, { n }))
  // Up to two days reads best in hours ("24 hours", "48 hours"); beyond, whole weeks or days.
  if (seconds % 604_800 === 0) return count(seconds / 604_800, 'duration.week', 'duration.weeks')
  if (seconds > 172_800 && seconds % 86_400 === 0) return count(seconds / 86_400, 'duration.day', 'duration.days')
  if (seconds % 3600 === 0) return count(seconds / 3600, 'duration.hour', 'duration.hours')
  return count(Math.max(1, Math.round(seconds / 60)), 'duration.minute', 'duration.minutes')
}

/** 1_073_741_824 → "1 GB". */
export function dataText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${trim(bytes / 1024 ** 3)} GB`
  return `${trim(bytes / 1024 ** 2)} MB`
}

/**
 * "You're online until 18:42" in the tenant's zone; a different calendar day there adds the day ("Wed 3 Dec").
 */
export function onlineUntilText(expiresAt: Date, timeZone: string, now: Date, lang: Lang, t: Translate): string {
  const locale = lang === 'sw' ? 'sw-KE' : 'en-KE'
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(expiresAt)
  const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
  if (dayOf(expiresAt) === dayOf(now)) return t('online.until', { time })
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(expiresAt)
  return t('online.untilDay', { day, time })
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '')
}
