/**
 * rlm_sqlcounter (FreeRADIUS 3.2.1 `src/modules/rlm_sqlcounter/rlm_sqlcounter.c` `mod_authorize`) with Debian's
 * `mods-available/sqlcounter` instances and PostgreSQL counter queries, plus the `quotalimit` instance that
 * PHPNuxBill and daloRADIUS install guides add (check `Max-Data`, reply `Mikrotik-Total-Limit`, query
 * `SUM(acctinputoctets) + SUM(acctoutputoctets)`, reset never). Pure: the sums come from radiusd_authorize()
 * (`rad.counters`, migration 2026_11_26_600300), the instant and zone from the caller.
 *
 * Per counter, as mod_authorize does it: limit ≤ used ⇒ reject; otherwise remaining = limit − used, and when the
 * reply attribute is Session-Timeout and the counter resets before the remaining time runs out
 * (remaining ≥ seconds to the reset) it becomes seconds to the reset + the whole limit; the reply attribute is
 * then lowered to it, never raised.
 *
 * Reset boundaries: FreeRADIUS uses the server's local time (`localtime_r`/`mktime`): the day starts at 00:00,
 * the week on Sunday 00:00, the month on the 1st (`reset_day = 1`). radiusd uses the NAS tenant's zone, like
 * Login-Time, or the process's zone without one; local midnight is found exactly across DST changes.
 */
import type { AttributeName } from '../dictionary/index.js'
import type { AttributeValue } from '../protocol/codec.js'
import { localMidnight, localTimeAt } from './zoned-clock.js'

/** What radiusd_authorize() returns for a user with counter check items. */
export interface CounterSums {
  /** SUM(acctsessiontime) over all the user's sessions. */
  readonly time: number
  /** SUM(acctinputoctets) + SUM(acctoutputoctets). */
  readonly octets: number
  /** Earliest acctstarttime (epoch seconds), null when the user never logged in. */
  readonly firstLogin: number | null
  /** [acctstarttime epoch, acctsessiontime] of every session that ends in the last 33 days. */
  readonly recent: ReadonlyArray<readonly [number, number]>
}

export type Reset = 'daily' | 'weekly' | 'monthly' | 'never'

export interface CounterDefinition {
  /** The control (check) item holding the limit. */
  readonly check: string
  readonly reset: Reset
  /** What `used` means: session time since the reset, seconds since the first login, or octets. */
  readonly counts: 'session-time' | 'since-first-login' | 'octets'
  readonly reply: 'Session-Timeout' | 'Mikrotik-Total-Limit'
  /** Reply-Message of the reject. */
  readonly message: string
}

/**
 * The counters in the order they run (Debian's sqlcounter file order, then quotalimit): the first one over its
 * limit decides the reject. Daily/weekly/monthly messages are rlm_sqlcounter's ("Your maximum %s usage time has
 * been reached", %s = the reset); for reset = never it would read "Your maximum never usage time…", so those say
 * what ran out instead.
 */
export const COUNTERS: readonly CounterDefinition[] = Object.freeze([
  { check: 'Max-Daily-Session', reset: 'daily', counts: 'session-time', reply: 'Session-Timeout', message: 'Your maximum daily usage time has been reached' },
  { check: 'Max-Weekly-Session', reset: 'weekly', counts: 'session-time', reply: 'Session-Timeout', message: 'Your maximum weekly usage time has been reached' },
  { check: 'Max-Monthly-Session', reset: 'monthly', counts: 'session-time', reply: 'Session-Timeout', message: 'Your maximum monthly usage time has been reached' },
  { check: 'Max-All-Session', reset: 'never', counts: 'session-time', reply: 'Session-Timeout', message: 'Your maximum usage time has been reached' },
  { check: 'Expire-After', reset: 'never', counts: 'since-first-login', reply: 'Session-Timeout', message: 'Your access period has ended' },
  { check: 'Max-Data', reset: 'never', counts: 'octets', reply: 'Mikrotik-Total-Limit', message: 'Your maximum data usage has been reached' },
] as const)

/** The counter check item names, for the control-list lookups and the INTERNAL set. */
export const COUNTER_CHECK_ITEMS: readonly string[] = Object.freeze(COUNTERS.map((c) => c.check))

/** The current period of `reset` at `now`: [start, next reset] in epoch seconds; [0, 0] for `never`. */
export function resetWindow(reset: Reset, now: number, timeZone?: string | null): readonly [start: number, next: number] {
  if (reset === 'never') return [0, 0]
  const t = localTimeAt(now, timeZone)
  switch (reset) {
    case 'daily':
      return [localMidnight(t.year, t.month, t.day, timeZone), localMidnight(t.year, t.month, t.day + 1, timeZone)]
    case 'weekly':
      return [localMidnight(t.year, t.month, t.day - t.weekday, timeZone), localMidnight(t.year, t.month, t.day - t.weekday + 7, timeZone)]
    case 'monthly':
      return [localMidnight(t.year, t.month, 1, timeZone), localMidnight(t.year, t.month + 1, 1, timeZone)]
  }
}

/**
 * Debian's period query: `SUM(AcctSessionTime - GREATEST((b - EXTRACT(epoch FROM AcctStartTime)), 0))` over
 * sessions with `EXTRACT(epoch FROM AcctStartTime) + AcctSessionTime > b` — only the part after the reset counts.
 * rlm_sqlcounter reads the sum as an integer (fractions dropped).
 */
export function sessionTimeSince(sessions: ReadonlyArray<readonly [number, number]>, since: number): number {
  let sum = 0
  for (const [start, time] of sessions) {
    if (start + time > since) sum += time - Math.max(since - start, 0)
  }
  return Math.floor(sum)
}

export type CounterOutcome =
  | { readonly kind: 'reject'; readonly message: string; readonly used: number; readonly limit: number }
  /** `value`: what the reply attribute is lowered to. */
  | { readonly kind: 'allow'; readonly value: number }

/**
 * mod_authorize's arithmetic for one counter: `now` and `nextReset` are whole seconds (request->timestamp);
 * `nextReset` is 0 for counters that never reset.
 */
export function applyLimit(limit: number, used: number, now: number, nextReset: number, reply: CounterDefinition['reply'], message: string): CounterOutcome {
  if (limit <= used) return { kind: 'reject', message, used, limit }
  let remaining = limit - used
  if (reply === 'Session-Timeout' && nextReset !== 0 && remaining >= nextReset - now) remaining = nextReset - now + limit
  return { kind: 'allow', value: remaining }
}

/** What the counter counts at `now` (whole seconds). */
export function counterValue(counter: CounterDefinition, sums: CounterSums, now: number, timeZone?: string | null): { used: number; nextReset: number } {
  switch (counter.counts) {
    case 'octets':
      return { used: Math.floor(sums.octets), nextReset: 0 }
    case 'since-first-login':
      // expire_on_login.conf: EXTRACT(EPOCH FROM (NOW() - acctstarttime)) of the first session; none ⇒ 0.
      return { used: sums.firstLogin === null ? 0 : Math.max(Math.floor(now - sums.firstLogin), 0), nextReset: 0 }
    case 'session-time': {
      if (counter.reset === 'never') return { used: Math.floor(sums.time), nextReset: 0 }
      const [start, next] = resetWindow(counter.reset, now, timeZone)
      return { used: sessionTimeSince(sums.recent, start), nextReset: next }
    }
  }
}

/** A limit as rlm_sql would parse the integer64 check item: digits only, else the row is unusable. */
export function parseLimit(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined
}

const GIGAWORD = 2 ** 32

/** Lowers (never raises) `name` in `reply` to `value`; Mikrotik-Total-Limit above 4 GiB gets its Gigawords. */
export function lowerReply(reply: Array<[AttributeName, AttributeValue]>, name: CounterDefinition['reply'], value: number): void {
  const current = currentValue(reply, name)
  if (current !== undefined && current <= value) return
  setOne(reply, name, name === 'Mikrotik-Total-Limit' ? value % GIGAWORD : value)
  if (name === 'Mikrotik-Total-Limit') {
    const gigawords = Math.floor(value / GIGAWORD)
    if (gigawords > 0) setOne(reply, 'Mikrotik-Total-Limit-Gigawords', gigawords)
    else removeAll(reply, 'Mikrotik-Total-Limit-Gigawords')
  }
}

function currentValue(reply: ReadonlyArray<readonly [AttributeName, AttributeValue]>, name: CounterDefinition['reply']): number | undefined {
  const index = reply.findIndex(([n]) => n === name)
  if (index < 0) return undefined
  const value = Number(reply[index]![1])
  if (name !== 'Mikrotik-Total-Limit') return value
  const gigawords = reply.find(([n]) => n === 'Mikrotik-Total-Limit-Gigawords')
  return value + (gigawords ? Number(gigawords[1]) * GIGAWORD : 0)
}

function setOne(reply: Array<[AttributeName, AttributeValue]>, name: AttributeName, value: number): void {
  const index = reply.findIndex(([n]) => n === name)
  if (index < 0) reply.push([name, value])
  else reply[index] = [name, value]
}

function removeAll(reply: Array<[AttributeName, AttributeValue]>, name: AttributeName): void {
  for (let i = reply.length - 1; i >= 0; i--) if (reply[i]![0] === name) reply.splice(i, 1)
}
