/**
 * How template variables look to the customer: dates in the tenant's time zone, durations and failure reasons
 * in the customer's language. Money goes through @mnetifi/db/domain's formatMoney (the one place money becomes text).
 */
import type { NotificationLanguage } from '@mnetifi/db'

const dateFormats = new Map<string, Intl.DateTimeFormat>()

/** 2026-11-27T07:15Z in Africa/Nairobi → "27 Nov 2026 10:15" (the same in both languages). */
export function formatDateTime(at: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    dateFormats.set(timeZone, f)
  }
  const p: Record<string, string> = {}
  for (const { type, value } of f.formatToParts(at)) p[type] = value
  return `${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute}`
}

/** A calendar day in the tenant's zone: "27 Nov 2026". */
export function formatDate(at: Date, timeZone: string): string {
  return formatDateTime(at, timeZone).split(' ').slice(0, 3).join(' ')
}

const UNITS = {
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'] },
  // Swahili puts the unit first and does not inflect it for number: "siku 3", "saa 1", "dakika 30".
  sw: { day: ['siku', 'siku'], hour: ['saa', 'saa'], minute: ['dakika', 'dakika'] },
} as const

/** 259200 s → "3 days" / "siku 3"; rounded to the largest whole unit (reminders fire at whole offsets). */
export function formatDuration(seconds: number, language: NotificationLanguage): string {
  const s = Math.max(0, Math.round(seconds))
  const [n, unit] = s >= 86_400 ? [Math.round(s / 86_400), 'day' as const] : s >= 3600 ? [Math.round(s / 3600), 'hour' as const] : [Math.max(1, Math.round(s / 60)), 'minute' as const]
  const word = UNITS[language][unit][n === 1 ? 0 : 1]
  return language === 'sw' ? `${word} ${n}` : `${n} ${word}`
}

const FAILURE_REASONS: Readonly<Record<string, Readonly<Record<NotificationLanguage, string>>>> = Object.freeze({
  CANCELLED: { en: 'cancelled on the phone', sw: 'ilisitishwa kwenye simu' },
  TIMEOUT: { en: 'no answer on the phone in time', sw: 'hakuna jibu kwenye simu kwa wakati' },
  INSUFFICIENT_FUNDS: { en: 'not enough M-Pesa balance', sw: 'salio la M-Pesa halitoshi' },
  WRONG_PIN: { en: 'wrong M-Pesa PIN', sw: 'PIN ya M-Pesa si sahihi' },
})

/** A payment's stable failure reason (payments/daraja/result-codes.ts) in words. */
export function describeFailure(reason: string | null | undefined, language: NotificationLanguage): string {
  return FAILURE_REASONS[reason ?? '']?.[language] ?? (language === 'sw' ? 'malipo hayakukamilika' : 'payment not completed')
}
