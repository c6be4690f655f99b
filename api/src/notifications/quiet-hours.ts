/**
 * Quiet hours: a window of local time (tenant's zone) in which messages that can wait are held back. The window
 * may wrap midnight (22:00–07:00). Minutes after local midnight, start inclusive, end exclusive.
 */

const minuteFormats = new Map<string, Intl.DateTimeFormat>()

/** Minutes after local midnight of `at` in `timeZone`. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  let f = minuteFormats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    minuteFormats.set(timeZone, f)
  }
  const p: Record<string, string> = {}
  for (const { type, value } of f.formatToParts(at)) p[type] = value
  return Number(p.hour) * 60 + Number(p.minute)
}

/** Whether `minute` lies in [start, end), wrapping midnight when start > end. */
export function isInQuietWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return false
  return start < end ? minute >= start && minute < end : minute >= start || minute < end
}

/**
 * The earliest instant ≥ `at` outside quiet hours: `at` itself when outside (or no window), else the window's
 * end. Computed by whole local minutes from `at` (seconds dropped), so a zone's DST jump inside the window moves
 * the answer by that hour at most — the zones our tenants use (Africa/Nairobi…) have none.
 */
export function nextSendTime(at: Date, timeZone: string, quiet: { start: number | null; end: number | null }): Date {
  if (quiet.start === null || quiet.end === null) return at
  const minute = localMinuteOfDay(at, timeZone)
  if (!isInQuietWindow(minute, quiet.start, quiet.end)) return at
  const wait = (quiet.end - minute + 1440) % 1440
  const startOfMinute = Math.floor(at.getTime() / 60_000) * 60_000
  return new Date(startOfMinute + wait * 60_000)
}
