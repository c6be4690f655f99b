/**
 * rlm_sqlcounter arithmetic over fixed instants: reset boundaries in a non-UTC zone, the stock period query's
 * "only the part after the reset" sum, the limit, the Session-Timeout reset rule, and the operator-rows stage.
 */
import { describe, expect, it } from 'vitest'
import type { AttributeName } from '../dictionary/index.js'
import type { NasClient } from '../clients.js'
import type { AttributeMap, AttributeValue, RadiusPacket } from '../protocol/codec.js'
import type { HotPath } from '../store/hot-path.js'
import { authenticateStage } from './authenticate.js'
import { operatorRowsStage } from './operator-rows.js'
import { runAccessPolicy, type AccessDecision } from './pipeline.js'
import type { RadRow, RadRows } from './rlm-sql.js'
import { applyLimit, lowerReply, resetWindow, sessionTimeSince, type CounterSums, type Reset } from './sqlcounter.js'
import type { AccessContext } from './types.js'

const at = (iso: string) => Date.parse(iso) / 1000

describe('reset boundaries (rlm_sqlcounter find_prev_reset / find_next_reset, in the tenant zone)', () => {
  // Asia/Kolkata is UTC+05:30: its midnight is 18:30 UTC the day before, so a UTC reading misplaces every boundary.
  // 2026-03-04 is a Wednesday, 2026-03-08 a Sunday.
  const K = 'Asia/Kolkata'
  const cases: [reset: Reset, now: string, zone: string, start: string, next: string][] = [
    ['daily', '2026-03-04T23:59:59+05:30', K, '2026-03-04T00:00:00+05:30', '2026-03-05T00:00:00+05:30'],
    ['daily', '2026-03-05T00:00:00+05:30', K, '2026-03-05T00:00:00+05:30', '2026-03-06T00:00:00+05:30'],
    ['daily', '2026-03-04T18:29:59Z', K, '2026-03-04T00:00:00+05:30', '2026-03-05T00:00:00+05:30'],
    ['daily', '2026-03-04T18:30:00Z', K, '2026-03-05T00:00:00+05:30', '2026-03-06T00:00:00+05:30'],
    ['weekly', '2026-03-04T12:00:00+05:30', K, '2026-03-01T00:00:00+05:30', '2026-03-08T00:00:00+05:30'],
    ['weekly', '2026-03-07T23:59:59+05:30', K, '2026-03-01T00:00:00+05:30', '2026-03-08T00:00:00+05:30'],
    ['weekly', '2026-03-08T00:00:00+05:30', K, '2026-03-08T00:00:00+05:30', '2026-03-15T00:00:00+05:30'],
    ['monthly', '2026-02-28T23:59:59+05:30', K, '2026-02-01T00:00:00+05:30', '2026-03-01T00:00:00+05:30'],
    ['monthly', '2026-03-01T00:00:00+05:30', K, '2026-03-01T00:00:00+05:30', '2026-04-01T00:00:00+05:30'],
    ['monthly', '2026-12-31T12:00:00+05:30', K, '2026-12-01T00:00:00+05:30', '2027-01-01T00:00:00+05:30'],
    // New York's DST starts 2026-03-08 02:00: that day has 23 hours; the boundaries stay on local midnight.
    ['daily', '2026-03-08T12:00:00-04:00', 'America/New_York', '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00'],
    ['monthly', '2026-03-20T12:00:00-04:00', 'America/New_York', '2026-03-01T00:00:00-05:00', '2026-04-01T00:00:00-04:00'],
    // Santiago skips 2024-09-08 00:00 (clocks go to 01:00): that day starts at the jump.
    ['daily', '2024-09-08T12:00:00-03:00', 'America/Santiago', '2024-09-08T01:00:00-03:00', '2024-09-09T00:00:00-03:00'],
  ]
  it.each(cases)('%s at %s in %s: [%s, %s)', (reset, now, zone, start, next) => {
    expect(resetWindow(reset, at(now), zone)).toEqual([at(start), at(next)])
  })

  it('never resets: [0, 0]', () => {
    expect(resetWindow('never', at('2026-03-04T12:00:00Z'), K)).toEqual([0, 0])
  })
})

describe("the stock period sum: only the part of a session after the reset counts", () => {
  const b = at('2026-03-05T00:00:00+05:30')
  const cases: [label: string, sessions: [number, number][], expected: number][] = [
    ['a session started after the reset counts whole', [[b + 60, 500]], 500],
    ['a session straddling the reset counts from the reset on', [[b - 100, 300]], 200],
    ['a session that ended exactly at the reset counts nothing (end > b)', [[b - 300, 300]], 0],
    ['a session that ended before the reset counts nothing', [[b - 1000, 300]], 0],
    ['several, summed', [[b - 100, 300], [b + 60, 500], [b - 5000, 100]], 700],
    ['fractions are dropped from the sum, as atoi does', [[b - 0.5, 10], [b + 1, 0.25]], 9],
    ['no sessions: 0', [], 0],
  ]
  it.each(cases)('%s', (_label, sessions, expected) => {
    expect(sessionTimeSince(sessions, b)).toBe(expected)
  })
})

describe('the limit and the reply value (mod_authorize)', () => {
  const now = at('2026-03-04T12:00:00Z')
  const message = 'Your maximum daily usage time has been reached'
  const cases: [label: string, limit: number, used: number, nextReset: number, reply: 'Session-Timeout' | 'Mikrotik-Total-Limit', expected: object][] = [
    ['limit reached exactly: reject', 3600, 3600, now + 10_000, 'Session-Timeout', { kind: 'reject', message, used: 3600, limit: 3600 }],
    ['over the limit: reject', 3600, 4000, now + 10_000, 'Session-Timeout', { kind: 'reject', message, used: 4000, limit: 3600 }],
    ['one second left', 3600, 3599, now + 10_000, 'Session-Timeout', { kind: 'allow', value: 1 }],
    ['the reset comes later than the time runs out: what is left', 3600, 0, now + 3601, 'Session-Timeout', { kind: 'allow', value: 3600 }],
    ['left = time to the reset: extended to the reset plus a whole limit', 3600, 0, now + 3600, 'Session-Timeout', { kind: 'allow', value: 7200 }],
    ['the reset comes first: extended to the reset plus a whole limit', 3600, 1000, now + 600, 'Session-Timeout', { kind: 'allow', value: 4200 }],
    ['never resets: what is left', 3600, 1000, 0, 'Session-Timeout', { kind: 'allow', value: 2600 }],
    ['no reset rule for Mikrotik-Total-Limit', 5000, 1000, now + 10, 'Mikrotik-Total-Limit', { kind: 'allow', value: 4000 }],
  ]
  it.each(cases)('%s', (_label, limit, used, nextReset, reply, expected) => {
    expect(applyLimit(limit, used, now, nextReset, reply, message)).toEqual(expected)
  })

  it('lowers Session-Timeout, never raises it; Mikrotik-Total-Limit above 4 GiB carries its Gigawords', () => {
    const reply: Array<[AttributeName, AttributeValue]> = [['Session-Timeout', 100]]
    lowerReply(reply, 'Session-Timeout', 500)
    expect(reply).toEqual([['Session-Timeout', 100]])
    lowerReply(reply, 'Session-Timeout', 50)
    expect(reply).toEqual([['Session-Timeout', 50]])
    const data: Array<[AttributeName, AttributeValue]> = []
    lowerReply(data, 'Mikrotik-Total-Limit', 5 * 2 ** 30)
    expect(data).toEqual([['Mikrotik-Total-Limit', 2 ** 30], ['Mikrotik-Total-Limit-Gigawords', 1]])
    lowerReply(data, 'Mikrotik-Total-Limit', 1000)
    expect(data).toEqual([['Mikrotik-Total-Limit', 1000]])
    lowerReply(data, 'Mikrotik-Total-Limit', 2000)
    expect(data).toEqual([['Mikrotik-Total-Limit', 1000]])
  })
})

describe('counters in the operator-rows stage', () => {
  function contextFor(rad: RadRows, now: number, timeZone: string): AccessContext {
    const attributes = new Map([['User-Name', ['olduser']], ['User-Password', ['pw']]]) as unknown as AttributeMap
    return {
      packet: { attributes } as unknown as RadiusPacket, attributes, client: {} as NasClient, hotPath: {} as HotPath,
      defaultInterimS: 300, reply: [], rejectExtras: [], timeZone,
      data: { now, tenantStatus: 'ACTIVE', user: null, plan: null, rad, occupancy: 0, claimId: null },
    }
  }
  const decide = (rad: RadRows, iso: string, zone = 'Asia/Kolkata'): Promise<AccessDecision> =>
    runAccessPolicy(contextFor(rad, at(iso), zone), [operatorRowsStage, authenticateStage])
  const PW: RadRow = ['Cleartext-Password', ':=', 'pw']
  const sums = (over: Partial<CounterSums>): CounterSums => ({ time: 0, octets: 0, firstLogin: null, recent: [], ...over })
  const midnight = at('2026-03-05T00:00:00+05:30')

  const cases: [label: string, rad: RadRows, now: string, expected: object][] = [
    ['daily: the straddling session counts from Kolkata midnight; Session-Timeout is what is left',
      { check: [PW, ['Max-Daily-Session', ':=', '3600']], reply: [], groups: [], counters: sums({ recent: [[midnight - 600, 1000], [midnight + 3600, 200]] }) },
      '2026-03-05T10:00:00+05:30', { kind: 'accept', attributes: [['Session-Timeout', 3600 - 400 - 200]] }],
    ['daily: limit reached exactly ⇒ rlm_sqlcounter\'s message',
      { check: [PW, ['Max-Daily-Session', ':=', '600']], reply: [], groups: [], counters: sums({ recent: [[midnight - 600, 1000], [midnight + 3600, 200]] }) },
      '2026-03-05T10:00:00+05:30', { kind: 'reject', attributes: [['Reply-Message', 'Your maximum daily usage time has been reached']] }],
    ['daily from a group, 10 minutes before Kolkata midnight: extended to midnight plus the whole limit',
      { check: [PW], reply: [], groups: [{ name: 'g', check: [['Max-Daily-Session', ':=', '3600']], reply: [] }], counters: sums({}) },
      '2026-03-04T23:50:00+05:30', { kind: 'accept', attributes: [['Session-Timeout', 600 + 3600]] }],
    ['a lower Session-Timeout from radreply stays',
      { check: [PW, ['Max-All-Session', ':=', '3600']], reply: [['Session-Timeout', ':=', '120']], groups: [], counters: sums({ time: 100 }) },
      '2026-03-05T10:00:00+05:30', { kind: 'accept', attributes: [['Session-Timeout', 120]] }],
    ['Expire-After: seconds since the first login',
      { check: [PW, ['Expire-After', ':=', '86400']], reply: [], groups: [], counters: sums({ firstLogin: at('2026-03-05T09:00:00+05:30') - 0.4 }) },
      '2026-03-05T10:00:00+05:30', { kind: 'accept', attributes: [['Session-Timeout', 86400 - 3600]] }],
    ['Expire-After: never logged in ⇒ the whole period',
      { check: [PW, ['Expire-After', ':=', '86400']], reply: [], groups: [], counters: sums({}) },
      '2026-03-05T10:00:00+05:30', { kind: 'accept', attributes: [['Session-Timeout', 86400]] }],
    ['Max-Data: Mikrotik-Total-Limit is what is left',
      { check: [PW, ['Max-Data', ':=', '1000000000']], reply: [], groups: [], counters: sums({ octets: 400_000_000 }) },
      '2026-03-05T10:00:00+05:30', { kind: 'accept', attributes: [['Mikrotik-Total-Limit', 600_000_000]] }],
    ['Max-Data used up, with the operator\'s Reply-Message first',
      { check: [PW, ['Max-Data', ':=', '1000']], reply: [['Reply-Message', ':=', 'Hello']], groups: [], counters: sums({ octets: 1000 }) },
      '2026-03-05T10:00:00+05:30', { kind: 'reject', attributes: [['Reply-Message', 'Hello'], ['Reply-Message', 'Your maximum data usage has been reached']] }],
    ['the first counter over its limit decides (daily before Max-All-Session)',
      { check: [PW, ['Max-All-Session', ':=', '10'], ['Max-Daily-Session', ':=', '10']], reply: [], groups: [], counters: sums({ time: 50, recent: [[midnight, 50]] }) },
      '2026-03-05T10:00:00+05:30', { kind: 'reject', attributes: [['Reply-Message', 'Your maximum daily usage time has been reached']] }],
  ]
  it.each(cases)('%s', async (_label, rad, now, expected) => {
    expect(await decide(rad, now)).toMatchObject(expected)
  })
})
