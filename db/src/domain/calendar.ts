/**
 * Local calendar days in a tenant's time zone: reports and the dashboard count "today", "this week" and "this
 * month" as the ISP's clock shows them, not UTC's. Days are 'YYYY-MM-DD' strings (what the report API takes).
 */

/** The local day of `instant` in `timeZone` ('YYYY-MM-DD'). */
export function localDay(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

/** `day` moved by `days` (negative goes back). Calendar arithmetic, no time zone involved. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The Monday that starts the ISO week of `day`. */
export function startOfWeek(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7))
}

/** The first day of the month of `day`. */
export function startOfMonth(day: string): string {
  return `${day.slice(0, 8)}01`
}

/** Every day from `from` to `to` inclusive (a chart's x axis without gaps). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}
