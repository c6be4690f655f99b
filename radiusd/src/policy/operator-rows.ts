/**
 * Stage for operator rows in rad* tables (users migrated from FreeRADIUS, daloRADIUS, PHPNuxBill): rlm_sql
 * authorize, then what `expiration`/`logintime`/`pap`/`session` would do with the control list.
 */
import type { AttributeValue } from '../protocol/codec.js'
import { findAttribute, type AttributeName } from '../dictionary/index.js'
import { HASHED_PASSWORD_ATTRIBUTES } from '../auth/password-hashes.js'
import { matchTimeString, wallClockAt } from './login-time.js'
import { evaluateRlmSql, parseFreeradiusDate, type TextPair } from './rlm-sql.js'
import { applyLimit, COUNTER_CHECK_ITEMS, COUNTERS, counterValue, lowerReply, parseLimit } from './sqlcounter.js'
import { NOOP, OK, REPLY_MESSAGES, type Outcome, type PolicyStage } from './types.js'

/** FreeRADIUS-internal attributes: meaningful in control, never encoded on the wire (gotcha 26). */
const INTERNAL = new Set(['Fall-Through', 'SQL-Group', 'User-Profile', 'Cleartext-Password', 'NT-Password',
  'Simultaneous-Use', 'Expiration', 'Auth-Type', 'Crypt-Password', 'Login-Time', ...COUNTER_CHECK_ITEMS, ...HASHED_PASSWORD_ATTRIBUTES])

const NONE: readonly string[] = Object.freeze([])

/** The first value of `name` in `pairs` (FreeRADIUS reads the first instance of a control attribute). */
function firstValue(pairs: readonly TextPair[], name: string): string | undefined {
  for (let k = 0; k < pairs.length; k++) if (pairs[k]!.name === name) return pairs[k]!.value
  return undefined
}

function valuesOf(pairs: readonly TextPair[], name: string): string[] {
  let out: string[] | undefined
  for (let k = 0; k < pairs.length; k++) if (pairs[k]!.name === name) (out ??= []).push(pairs[k]!.value)
  return out ?? (NONE as string[])
}

/** Hashed known-good passwords in control, first instance of each name, in order (NT-Password has its own path). */
function hashedPasswords(control: readonly TextPair[]): Array<readonly [string, string]> | undefined {
  let out: Array<readonly [string, string]> | undefined
  for (let k = 0; k < control.length; k++) {
    const { name, value } = control[k]!
    if (name === 'NT-Password' || !HASHED_PASSWORD_ATTRIBUTES.includes(name)) continue
    if (out?.some(([n]) => n === name)) continue
    (out ??= []).push([name, value])
  }
  return out
}

/** Session-Timeout = min(existing, `seconds`): expiration and logintime never raise a lower one. */
function lowerSessionTimeout(reply: Array<[AttributeName, AttributeValue]>, seconds: number): void {
  const index = reply.findIndex(([name]) => name === 'Session-Timeout')
  if (index < 0) reply.push(['Session-Timeout', seconds])
  else if (Number(reply[index]![1]) > seconds) reply[index] = ['Session-Timeout', seconds]
}

export const operatorRowsStage: PolicyStage = {
  name: 'operator-rows',
  run(ctx): Outcome {
    if (ctx.subject === 'native' || !ctx.data?.rad) return NOOP
    const now = new Date(ctx.data.now * 1000)
    const result = evaluateRlmSql(ctx.data.rad, ctx.attributes, now, ctx.timeZone)
    if (!result.found) return { kind: 'notfound' }
    ctx.subject = 'rad'
    // The control list is a handful of pairs: first-wins lookups by scanning it (no Map per request).
    const control = result.control
    ctx.operatorReplyMessages = valuesOf(result.reply, 'Reply-Message')

    const authType = firstValue(control, 'Auth-Type')
    if (authType?.toLowerCase() === 'reject') {
      return { kind: 'reject', replyMessage: REPLY_MESSAGES.rejectedByPolicy, reason: 'Auth-Type := Reject' }
    }
    ctx.skipAuthentication = authType?.toLowerCase() === 'accept'
    ctx.cleartext = firstValue(control, 'Cleartext-Password')
    const nt = firstValue(control, 'NT-Password')
    if (nt !== undefined && /^(0x)?[0-9a-f]{32}$/i.test(nt)) ctx.ntHash = Buffer.from(nt.replace(/^0x/i, ''), 'hex')
    ctx.hashedPasswords = hashedPasswords(control)
    const limit = firstValue(control, 'Simultaneous-Use')
    if (limit !== undefined && /^\d+$/.test(limit)) ctx.simultaneousUse = Number(limit)

    for (const pair of result.reply) {
      if (INTERNAL.has(pair.name)) continue
      const def = findAttribute(pair.name)
      if (!def) continue // unknown names in old rows are skipped, never sent raw (gotcha 7)
      const numeric = def.type === 'integer' || def.type === 'date'
      const value = numeric && /^\d+$/.test(pair.value) ? Number(pair.value) : pair.value
      ctx.reply.push([pair.name as AttributeName, value])
    }

    // rlm_expiration: past ⇒ userlock; otherwise Session-Timeout = min(existing, seconds left).
    const expiration = firstValue(control, 'Expiration')
    if (expiration !== undefined) {
      const until = parseFreeradiusDate(expiration)
      if (until === undefined || until <= ctx.data.now) {
        return { kind: 'userlock', replyMessage: REPLY_MESSAGES.expired, reason: 'Expiration' }
      }
      lowerSessionTimeout(ctx.reply, Math.floor(until - ctx.data.now))
    }

    // rlm_logintime, after expiration as in FreeRADIUS's default authorize section: outside the time string ⇒
    // userlock; inside ⇒ Session-Timeout = min(existing, the exact seconds until the first minute not allowed).
    // FreeRADIUS counts the current minute whole (up to 59 s more); its minimum_timeout (60) never rejects a
    // login that is inside, since that count is at least 60.
    const loginTime = firstValue(control, 'Login-Time')
    if (loginTime !== undefined) {
      const match = matchTimeString(loginTime, wallClockAt(ctx.data.now, ctx.timeZone))
      if (match.kind === 'outside' || match.kind === 'never') {
        return { kind: 'userlock', replyMessage: REPLY_MESSAGES.outsideLoginTime,
          reason: match.kind === 'never' ? `Login-Time ${JSON.stringify(loginTime)}: FreeRADIUS never answers (a day range ending in Wk/Any/Al)`
            : `outside Login-Time ${JSON.stringify(loginTime)}` }
      }
      if (match.kind === 'inside') lowerSessionTimeout(ctx.reply, match.seconds)
    }

    // rlm_sqlcounter instances after logintime (src/policy/sqlcounter.ts): the first counter over its limit
    // rejects, with its Reply-Message after the operator's (FreeRADIUS appends it to the reply); the others lower
    // Session-Timeout / Mikrotik-Total-Limit to what is left.
    for (const counter of COUNTERS) {
      const limit = parseLimit(firstValue(control, counter.check))
      if (limit === undefined) continue
      const sums = ctx.data.rad.counters
      if (!sums) return { kind: 'fail', reason: `${counter.check} in control but radiusd_authorize() returned no counter sums` }
      const now = Math.floor(ctx.data.now)
      const { used, nextReset } = counterValue(counter, sums, now, ctx.timeZone)
      const outcome = applyLimit(limit, used, now, nextReset, counter.reply, counter.message)
      if (outcome.kind === 'reject') {
        // After the operator's messages when there are some (the pipeline sends those first), else alone.
        if (ctx.operatorReplyMessages.length > 0) ctx.rejectExtras.push(['Reply-Message', outcome.message])
        return { kind: 'reject', replyMessage: outcome.message, reason: `${counter.check} ${limit} reached (used ${used})` }
      }
      lowerReply(ctx.reply, counter.reply, outcome.value)
    }
    return OK
  },
}
