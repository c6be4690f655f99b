/**
 * Stage for operator rows in rad* tables (users migrated from FreeRADIUS, daloRADIUS, PHPNuxBill): rlm_sql
 * authorize, then what `pap`/`expiration`/`session` would do with the control list.
 */
import { findAttribute, type AttributeName } from '../dictionary/index.js'
import { HASHED_PASSWORD_ATTRIBUTES } from '../auth/password-hashes.js'
import { evaluateRlmSql, parseFreeradiusDate } from './rlm-sql.js'
import { REPLY_MESSAGES, type Outcome, type PolicyStage } from './types.js'

/** FreeRADIUS-internal attributes: meaningful in control, never encoded on the wire (gotcha 26). */
const INTERNAL = new Set(['Fall-Through', 'SQL-Group', 'User-Profile', 'Cleartext-Password', 'NT-Password',
  'Simultaneous-Use', 'Expiration', 'Auth-Type', 'Crypt-Password', 'Login-Time', ...HASHED_PASSWORD_ATTRIBUTES])

export const operatorRowsStage: PolicyStage = {
  name: 'operator-rows',
  run(ctx): Outcome {
    if (ctx.subject === 'native' || !ctx.data?.rad) return { kind: 'noop' }
    const now = new Date(ctx.data.now * 1000)
    const result = evaluateRlmSql(ctx.data.rad, ctx.attributes, now)
    if (!result.found) return { kind: 'notfound' }
    ctx.subject = 'rad'
    const control = new Map<string, string>()
    for (const pair of result.control) if (!control.has(pair.name)) control.set(pair.name, pair.value)
    ctx.operatorReplyMessages = result.reply.filter((p) => p.name === 'Reply-Message').map((p) => p.value)

    const authType = control.get('Auth-Type')
    if (authType?.toLowerCase() === 'reject') {
      return { kind: 'reject', replyMessage: ctx.operatorReplyMessages[0] ?? REPLY_MESSAGES.rejectedByPolicy, reason: 'Auth-Type := Reject' }
    }
    ctx.skipAuthentication = authType?.toLowerCase() === 'accept'
    ctx.cleartext = control.get('Cleartext-Password')
    const nt = control.get('NT-Password')
    if (nt !== undefined && /^(0x)?[0-9a-f]{32}$/i.test(nt)) ctx.ntHash = Buffer.from(nt.replace(/^0x/i, ''), 'hex')
    ctx.hashedPasswords = [...control].filter(([name]) => name !== 'NT-Password' && HASHED_PASSWORD_ATTRIBUTES.includes(name))
    const limit = control.get('Simultaneous-Use')
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
    const expiration = control.get('Expiration')
    if (expiration !== undefined) {
      const until = parseFreeradiusDate(expiration)
      if (until === undefined || until <= ctx.data.now) {
        return { kind: 'userlock', replyMessage: ctx.operatorReplyMessages[0] ?? REPLY_MESSAGES.expired, reason: 'Expiration' }
      }
      const left = Math.floor(until - ctx.data.now)
      const index = ctx.reply.findIndex(([name]) => name === 'Session-Timeout')
      if (index < 0) ctx.reply.push(['Session-Timeout', left])
      else if (Number(ctx.reply[index]![1]) > left) ctx.reply[index] = ['Session-Timeout', left]
    }
    return { kind: 'ok' }
  },
}
