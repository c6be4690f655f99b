/**
 * How the dashboard writes numbers, money, bytes and times. Money arrives in minor units (cents); times are ISO
 * instants shown on the ISP's clock (the tenant's time zone).
 */
import { formatMoney } from '@mnetifi/db/domain'

export { formatMoney }

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-KE').format(n)
}

/** Bytes in binary units: 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`
}

/** A span of seconds the way people say it: "2 h 5 min", "3 d 4 h", "45 s". */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return `${m} min`
  return `${s} s`
}

/** An instant on the tenant's clock: "3 Dec 2026, 14:05". */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—'
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(
    new Date(iso),
  )
}

/** A local day 'YYYY-MM-DD' as "3 Dec". */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** 2547XXXXXXXX → "0712 345 678" (how Kenyans write numbers). */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—'
  const m = /^254(\d{3})(\d{3})(\d{3})$/.exec(phone)
  return m ? `0${m[1]} ${m[2]} ${m[3]}` : phone
}

/** "in 3 h", "2 d ago". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—'
  const diff = (new Date(iso).getTime() - now) / 1000
  return diff >= 0 ? `in ${formatSpan(diff)}` : `${formatSpan(-diff)} ago`
}
