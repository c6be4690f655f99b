/**
 * Wall-clock time in an IANA time zone, for the policies FreeRADIUS evaluates in the server's local time
 * (Login-Time, sqlcounter resets): radiusd uses the NAS tenant's zone instead, or the process's zone (`TZ`) when
 * there is none or ICU does not know the name.
 */

/** A local calendar date and time of day in a zone. */
export interface LocalTime {
  readonly year: number
  readonly month: number // 0-11
  readonly day: number
  readonly weekday: number // 0 = Sunday
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const WEEKDAYS: Readonly<Record<string, number>> = Object.freeze({ Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 })
const formatters = new Map<string, Intl.DateTimeFormat | null>()

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric',
        month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    } catch {
      formatter = null
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The local time at `epochSeconds` in `timeZone` (the process's zone when absent or unknown to ICU). */
export function localTimeAt(epochSeconds: number, timeZone: string | null | undefined): LocalTime {
  const date = new Date(epochSeconds * 1000)
  const formatter = timeZone ? formatterFor(timeZone) : null
  if (!formatter) {
    return { year: date.getFullYear(), month: date.getMonth(), day: date.getDate(), weekday: date.getDay(),
      hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds() }
  }
  const parts: Record<string, string> = {}
  for (const { type, value } of formatter.formatToParts(date)) parts[type] = value
  return { year: Number(parts.year), month: Number(parts.month) - 1, day: Number(parts.day), weekday: WEEKDAYS[parts.weekday!] ?? 0,
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) }
}

/**
 * The epoch of 00:00 local time on (year, month, day) — month and day may overflow, like mktime's. When the zone
 * skips midnight (a DST change at 00:00) it is the first instant of that day.
 */
export function localMidnight(year: number, month: number, day: number, timeZone?: string | null): number {
  const formatter = timeZone ? formatterFor(timeZone) : null
  if (!formatter) return new Date(year, month, day).getTime() / 1000
  const wall = Date.UTC(year, month, day) / 1000
  // The zone's offset near that wall time, applied twice so a DST change between the guess and the answer is met.
  let guess = wall
  for (let i = 0; i < 3; i++) {
    const local = localTimeAt(guess, timeZone)
    const offset = Date.UTC(local.year, local.month, local.day, local.hour, local.minute, local.second) / 1000 - guess
    const next = wall - offset
    if (next === guess) break
    guess = next
  }
  // A skipped midnight (DST starting at 00:00): the guess reads as the previous evening; the day starts at the jump.
  const at = localTimeAt(guess, timeZone)
  if (Date.UTC(at.year, at.month, at.day) / 1000 < wall) guess += 86400 - (at.hour * 3600 + at.minute * 60 + at.second)
  return guess
}
