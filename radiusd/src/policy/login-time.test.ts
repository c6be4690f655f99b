/**
 * Login-Time / Current-Time time strings, table-driven over fixed instants. Every expected value is what
 * FreeRADIUS 3.2.1's own `timestr_match(string, instant)` returned: called through Python ctypes from Debian's
 * /usr/lib/freeradius/rlm_logintime.so (freeradius 3.2.1+dfsg-4+deb12u1) with TZ=UTC (-1 = outside,
 * 0 = unlimited, N = seconds FreeRADIUS would put in Session-Timeout, i.e. whole minutes).
 */
import { describe, expect, it } from 'vitest'
import { matchTimeString, wallClockAt, type TimeStringMatch } from './login-time.js'

/** 2026-11-25 is a Wednesday. */
const at = (iso: string) => Date.parse(iso) / 1000

const expectedFrom = (freeradius: number, iso: string): TimeStringMatch => {
  if (freeradius < 0) return { kind: 'outside' }
  if (freeradius === 0) return { kind: 'unlimited' }
  return { kind: 'inside', minutes: freeradius / 60, seconds: freeradius - new Date(iso).getUTCSeconds() }
}

describe('matchTimeString: the same answers as FreeRADIUS timestr_match (UTC)', () => {
  const cases: [label: string, timeString: string, instant: string, freeradius: number][] = [
    // rlm_logintime's documented example: weekday nights, all Saturday, Sunday night to afternoon.
    ['Wed noon is outside the weekday night window', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-25T12:00:00Z', -1],
    ['Wed 23:10: to Wed 23:59, then Thursday 00:00–08:55 (the wrap is Thursday\'s own)', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-25T23:10:00Z', 35160],
    ['Thu 08:30:20: the current minute counts whole for FreeRADIUS', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-26T08:30:20Z', 1560],
    ['Saturday runs into Sunday 00:00–16:55', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-28T10:00:00Z', 111360],
    ['Sun 20:00 is in Sunday\'s gap', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-29T20:00:00Z', -1],
    ['Sun 23:30 runs into Monday\'s early hours (Wk)', 'Wk2305-0855,Sa,Su2305-1655', '2026-11-29T23:30:00Z', 33960],
    ['a wrap never crosses into the next day by itself', 'Su2305-1655', '2026-11-29T23:30:00Z', 1800],
    ['Wk ends Friday 23:59', 'Wk', '2026-11-27T23:59:30Z', 60],
    ['Wk excludes Saturday', 'Wk', '2026-11-28T00:00:00Z', -1],
    ['Wk0000-2359 ends Friday at midnight', 'Wk0000-2359', '2026-11-27T23:59:00Z', 60],
    ['Any is the whole week: unlimited', 'Any', '2026-11-25T12:00:00Z', 0],
    ['Al is the whole week: unlimited', 'Al', '2026-11-25T12:00:00Z', 0],
    ['Any0000-2359 is the whole week too', 'Any0000-2359', '2026-11-25T12:00:00Z', 0],
    ['Su-Sa is the whole week', 'Su-Sa', '2026-11-25T12:00:00Z', 0],
    ['Al with hours: the end minute 17:00 is allowed', 'Al0800-1700', '2026-11-25T12:00:00Z', 18060],
    ['Mo-Fr range', 'Mo-Fr0800-1700', '2026-11-25T12:00:00Z', 18060],
    ['Mo-Fr range excludes Saturday', 'Mo-Fr0800-1700', '2026-11-28T12:00:00Z', -1],
    ['Fr-Mo wraps the week: Sunday to Monday night', 'Fr-Mo', '2026-11-29T10:00:00Z', 136800],
    ['Sa-Su wraps the week', 'Sa-Su', '2026-11-28T12:00:00Z', 129600],
    ['Wk-Mo: Wk ignores the range end', 'Wk-Mo', '2026-11-25T12:00:00Z', 216000],
    ['Any-Mo: Any ignores the range end', 'Any-Mo', '2026-11-25T12:00:00Z', 0],
    ['codes run together', 'MoTuWe1000-1100', '2026-11-24T10:30:00Z', 1860],
    ['commas and pipes both separate; empty parts are skipped', 'Mo,Tu|We', '2026-11-25T12:00:00Z', 43200],
    ['empty parts at the ends', ',,Wk,,', '2026-11-25T12:00:00Z', 216000],
    ['case is ignored', 'wk0800-1700', '2026-11-25T12:00:00Z', 18060],
    ['case is ignored (upper)', 'WK0800-1700', '2026-11-25T12:00:00Z', 18060],
    ['a window that wraps midnight: outside in the gap', 'Wk1700-0800', '2026-11-25T12:00:00Z', -1],
    ['a window that wraps midnight: inside, through Thursday 08:00', 'Wk1700-0800', '2026-11-25T18:00:00Z', 50460],
    ['a lone HHMM is that one minute', 'Wk0800', '2026-11-25T08:00:15Z', 60],
    ['a lone HHMM: the next minute is outside', 'Wk0800', '2026-11-25T08:01:00Z', -1],
    ['2400 is clamped to 23:59', 'Wk2400', '2026-11-25T23:59:00Z', 60],
    ['minutes past 59 just add (0875 = 09:15), and 09:15-09:00 wraps', 'Wk0875-0900', '2026-11-25T09:15:00Z', 85560],
    ['an end with a fifth digit: atoi reads 005', 'Wk0800-17005', '2026-11-25T12:00:00Z', 18360],
    ['an end HH:MM: atoi of ":00" is 0', 'Wk0800-17:00', '2026-11-25T12:00:00Z', 18060],
    ['trailing junk after the end is ignored', 'Wk0800-1700x', '2026-11-25T12:00:00Z', 18060],
    ['a space between the day and the time is skipped', 'Wk 0800-1700', '2026-11-25T12:00:00Z', 18060],
    // Malformed: the part allows nothing (FreeRADIUS rejects the login).
    ['no day code: matches nothing (timestr.c compares "Al" case-sensitively)', '0800-1700', '2026-11-25T12:00:00Z', -1],
    ['the empty string', '', '2026-11-25T12:00:00Z', -1],
    ['an unknown day code', 'Xy0800-1700', '2026-11-25T12:00:00Z', -1],
    ['a range to an unknown day code fills nothing', 'Tu-Xy1000-1100', '2026-11-24T10:30:00Z', -1],
    ['a part starting with a space', 'Sa, Wk', '2026-11-25T12:00:00Z', -1],
    ['HH:MM start', 'Wk08:00-17:00', '2026-11-25T12:00:00Z', -1],
    ['a three-digit start', 'Wk080-1700', '2026-11-25T12:00:00Z', -1],
    ['a three-digit end', 'Wk0800-170', '2026-11-25T12:00:00Z', -1],
    ['a space before the dash', 'Wk0800 -1700', '2026-11-25T12:00:00Z', -1],
  ]
  it.each(cases)('%s (%j at %s → %i)', (_label, timeString, instant, freeradius) => {
    expect(matchTimeString(timeString, wallClockAt(at(instant), 'UTC'))).toEqual(expectedFrom(freeradius, instant))
  })

  it('reads only the first 255 characters (timestr_match: 43200 with 253 commas before "We", -1 with 254)', () => {
    const clock = wallClockAt(at('2026-11-25T12:00:00Z'), 'UTC')
    expect(matchTimeString(`${','.repeat(253)}We`, clock)).toEqual({ kind: 'inside', minutes: 720, seconds: 43200 })
    expect(matchTimeString(`${','.repeat(254)}We`, clock)).toEqual({ kind: 'outside' })
  })

  it.each(['Mo-Wk', 'We-Any0800', 'Sa-Al'])('%j never returns in FreeRADIUS (checked with a 5 s timeout): never', (timeString) => {
    expect(matchTimeString(timeString, wallClockAt(at('2026-11-25T12:00:00Z'), 'UTC'))).toEqual({ kind: 'never' })
  })
})

describe('wallClockAt: the NAS tenant\'s zone, or the process\'s', () => {
  it('reads the wall clock in an IANA zone (timestr_match with TZ=Africa/Nairobi: 28860 at 06:00 UTC)', () => {
    const clock = wallClockAt(at('2026-11-25T06:00:00Z'), 'Africa/Nairobi')
    expect(clock).toEqual({ weekday: 3, minute: 9 * 60, second: 0 })
    expect(matchTimeString('Wk0800-1700', clock)).toEqual({ kind: 'inside', minutes: 481, seconds: 28860 })
    expect(matchTimeString('Wk0800-1700', wallClockAt(at('2026-11-25T06:00:00Z'), 'UTC'))).toEqual({ kind: 'outside' })
  })

  it.each([
    ['a zone east of UTC moves past midnight', '2026-11-28T22:30:45Z', 'Africa/Nairobi', { weekday: 0, minute: 90, second: 45 }],
    ['a zone west of UTC with daylight saving (EDT in June)', '2026-06-01T03:00:00Z', 'America/New_York', { weekday: 0, minute: 23 * 60, second: 0 }],
    ['the same zone in winter (EST)', '2026-12-01T03:00:00Z', 'America/New_York', { weekday: 1, minute: 22 * 60, second: 0 }],
    ['fractions of a second are dropped', '2026-11-25T00:00:59.999Z', 'UTC', { weekday: 3, minute: 0, second: 59 }],
  ])('%s', (_label, iso, zone, expected) => {
    expect(wallClockAt(at(iso), zone)).toEqual(expected)
  })

  it.each([undefined, null, '', 'Not/AZone'])('without a usable zone (%j) uses the process\'s local time, like FreeRADIUS', (zone) => {
    const instant = at('2026-11-25T23:59:30Z')
    const local = new Date(instant * 1000)
    expect(wallClockAt(instant, zone)).toEqual({ weekday: local.getDay(), minute: local.getHours() * 60 + local.getMinutes(), second: local.getSeconds() })
  })
})
