/**
 * UUCP-style time strings as FreeRADIUS 3.2's rlm_logintime reads them (`src/modules/rlm_logintime/timestr.c`,
 * `timestr_match`): `Login-Time` in control, and the `Current-Time` check item. Pure: the caller gives the
 * instant and the time zone, so tests are table-driven over fixed instants.
 *
 * The format: comma- or `|`-separated parts, each day codes (`Mo Tu We Th Fr Sa Su`, `Wk` = Mo–Fr, `Any`/`Al` =
 * every day, ranges like `Mo-Fr`, codes run together like `MoWe`) then an optional `HHMM` or `HHMM-HHMM`. Ported
 * quirk for quirk, because an operator's strings were tuned against FreeRADIUS (each checked against
 * `timestr_match` from Debian's rlm_logintime.so, see login-time.test.ts):
 * - a range's end minute is allowed (`0800-1700` allows 17:00–17:00:59); a range that wraps (`2305-0855`)
 *   wraps inside the same day: Monday's part allows Monday 00:00–08:55 and 23:05–23:59;
 * - a lone `HHMM` is that one minute; no time means the whole day; minutes ≥ 60 just add (`0875` = 09:15);
 * - case is ignored, but a part that starts with a digit matches nothing (timestr.c substitutes "Al" for the
 *   missing day code and then compares it case-sensitively with "al"), nor does a part that starts with a
 *   space or an unknown code; a malformed time (`08:00-17:00`, `080-1700`) allows none of that part's days;
 * - only the first 255 characters count (3.2.1 copies the string into a 256-byte buffer; older timestr.c had 128);
 * - a day range that ends in `Wk`, `Any` or `Al` (`Mo-Wk`) never returns in FreeRADIUS (its day loop cannot
 *   reach day 7–9): radiusd answers `never` and the caller rejects.
 */
import { localTimeAt } from './zoned-clock.js'

/** The local wall clock timestr_match reads (`localtime_r`): weekday 0 = Sunday, minute of the day, second. */
export interface WallClock {
  readonly weekday: number
  readonly minute: number
  readonly second: number
}

export type TimeStringMatch =
  /** Now is not an allowed minute. */
  | { readonly kind: 'outside' }
  /** Every minute of the week is allowed (timestr_match's 0): no Session-Timeout. */
  | { readonly kind: 'unlimited' }
  /**
   * Allowed. `minutes`: allowed minutes from the current one on (FreeRADIUS's Session-Timeout is `minutes × 60`,
   * counting the current minute whole); `seconds`: the exact time left until the first minute not allowed.
   */
  | { readonly kind: 'inside'; readonly minutes: number; readonly seconds: number }
  /** FreeRADIUS would loop forever on this string. */
  | { readonly kind: 'never' }

const DAY_CODES = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa', 'wk', 'any', 'al'] as const
const DAY_MINUTES = 24 * 60
const WEEK_MINUTES = 7 * DAY_MINUTES
const MAX_LENGTH = 255
const LONG_MAX = 0x7fff_ffff_ffff_ffffn

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const digitValue = (c: string | undefined): number => (isDigit(c) ? c!.charCodeAt(0) - 48 : 0)

/** C's `atoi` as glibc computes it: `(int) strtol(s, NULL, 10)` — leading space, a sign, digits, saturation. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(text)!
  if (m[2] === '') return 0
  if (m[2]!.length <= 15) return (m[1] === '-' ? -1 : 1) * Number(m[2])
  const magnitude = BigInt(m[2]!)
  const value = m[1] === '-' ? (magnitude > LONG_MAX + 1n ? -LONG_MAX - 1n : -magnitude) : (magnitude > LONG_MAX ? LONG_MAX : magnitude)
  return Number(BigInt.asIntN(32, value))
}

/** strcode: the day code at `at` (its index in DAY_CODES) and where it ends, or undefined. */
function dayCode(text: string, at: number): readonly [code: number, end: number] | undefined {
  for (let i = 0; i < DAY_CODES.length; i++) {
    const code = DAY_CODES[i]!
    if (code.length <= text.length - at && text.startsWith(code, at)) return [i, at + code.length]
  }
  return undefined
}

/** hour_fill: marks the minutes of `time` (`''`, `HHMM` or `HHMM-HHMM`) in the day at `offset`. */
function fillHours(week: Uint8Array, offset: number, time: string): void {
  let start: number
  let end = -1
  const dash = time.indexOf('-')
  if (dash >= 0) {
    const p = dash + 1
    if (p !== 5 || time.length - p < 4 || !isDigit(time[p])) return
    end = 600 * digitValue(time[p]) + 60 * digitValue(time[p + 1]) + atoi(time.slice(p + 2))
  }
  if (time === '') {
    start = 0
    end = DAY_MINUTES - 1
  } else {
    if (time.length < 4 || !isDigit(time[0])) return
    start = 600 * digitValue(time[0]) + 60 * digitValue(time[1]) + atoi(time.slice(2))
    if (end < 0) end = start
  }
  if (end < 0) end = 0
  if (start < 0) start = 0
  if (end >= DAY_MINUTES) end = DAY_MINUTES - 1
  if (start >= DAY_MINUTES) start = DAY_MINUTES - 1
  for (let i = start; ; i = (i + 1) % DAY_MINUTES) {
    week[offset + i] = 1
    if (i === end) break
  }
}

/** day_fill for one comma/pipe-separated part; false when FreeRADIUS would never return. */
function fillDays(week: Uint8Array, part: string): boolean {
  let digit = 0
  while (digit < part.length && !isDigit(part[digit])) digit++
  const time = part.slice(digit)
  // timestr.c: `if (hr == tm) tm = "Al";` — upper-case, so it never matches the lower-cased codes.
  const days = digit === 0 ? 'Al' : part
  let at = 0
  for (let found = dayCode(days, at); found; found = dayCode(days, at)) {
    let [start, next] = found
    let end = start
    if (days[next] === '-') {
      const last = dayCode(days, next + 1)
      if (!last) break
      ;[end, next] = last
    }
    at = next
    if (start === 7) [start, end] = [1, 5]
    else if (start > 7) [start, end] = [0, 6]
    if (end > 6) return false
    for (let n = start; ; n = (n + 1) % 7) {
      fillHours(week, n * DAY_MINUTES, time)
      if (n === end) break
    }
  }
  return true
}

/** Lower-cases ASCII only, like C's `tolower` in the C locale. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))

/** timestr_match: whether `clock` falls in `timeString`, and how long it stays allowed. */
export function matchTimeString(timeString: string, clock: WallClock): TimeStringMatch {
  const week = new Uint8Array(WEEK_MINUTES)
  for (const part of asciiLower(timeString.slice(0, MAX_LENGTH)).split(/[,|]/)) {
    if (part !== '' && !fillDays(week, part)) return { kind: 'never' }
  }
  const now = clock.weekday * DAY_MINUTES + clock.minute
  let minutes = 0
  let i = now
  do {
    if (!week[i]) break
    minutes++
    i = (i + 1) % WEEK_MINUTES
  } while (i !== now)
  if (minutes === 0) return { kind: 'outside' }
  if (minutes === WEEK_MINUTES) return { kind: 'unlimited' }
  return { kind: 'inside', minutes, seconds: minutes * 60 - clock.second }
}

/**
 * The wall clock at `epochSeconds` (fractions dropped, like FreeRADIUS's `request->timestamp`) in the IANA
 * `timeZone`, or in the process's local zone (`TZ`, FreeRADIUS's choice) when none is given or ICU does not
 * know it.
 */
export function wallClockAt(epochSeconds: number, timeZone?: string | null): WallClock {
  const t = localTimeAt(Math.floor(epochSeconds), timeZone)
  return { weekday: t.weekday, minute: t.hour * 60 + t.minute, second: t.second }
}
