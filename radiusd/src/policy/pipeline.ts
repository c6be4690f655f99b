/**
 * The authorise pipeline: an explicit ordered list of stages (like FreeRADIUS's `authorize {}` section),
 * run until one ends the request. Produces an Access-Accept, an Access-Reject, or nothing (`fail`).
 */
import type { AttributeName } from '../dictionary/index.js'
import type { AttributeValue } from '../protocol/codec.js'
import { authenticateStage, simultaneousUseStage } from './authenticate.js'
import { nativeAccountStage, tenantStatusStage } from './native-account.js'
import { operatorRowsStage } from './operator-rows.js'
import { NOOP, OK, REPLY_MESSAGES, type AccessContext, type Outcome, type PolicyStage } from './types.js'

const MAC = /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})$/i

/** `AA-BB-CC-DD-EE-FF`, `aabbccddeeff` or `AA:BB:…` → `aa:bb:cc:dd:ee:ff`; undefined if not a MAC (gotcha 23). */
export function normaliseMac(text: string): string | undefined {
  const m = MAC.exec(text.trim())
  return m ? m.slice(1, 7).join(':').toLowerCase() : undefined
}

/** The NAS address of a client matched by `a.b.c.d` or `a.b.c.d/nn` (no array per request). */
function nasIpOf(name: string): string {
  const slash = name.indexOf('/')
  return slash < 0 ? name : name.slice(0, slash)
}

/** Stage 1: the single database round trip. A database error is `fail`: no reply, the NAS retries. */
export const fetchStage: PolicyStage = {
  name: 'sql-fetch',
  async run(ctx): Promise<Outcome> {
    const userName = ctx.attributes.get('User-Name')?.[0]
    if (typeof userName !== 'string' || userName === '') {
      return { kind: 'reject', replyMessage: REPLY_MESSAGES.unknownUser, reason: 'no User-Name' }
    }
    const calling = ctx.attributes.get('Calling-Station-Id')?.[0]
    const mac = ctx.client.hotspot?.macAuthEnabled ? normaliseMac(userName) ?? null : null
    try {
      ctx.data = await ctx.hotPath.authorize({
        tenantId: ctx.client.tenantId,
        username: userName,
        mac,
        callingStationId: typeof calling === 'string' ? calling : null,
        nasIp: nasIpOf(ctx.client.name),
        intervalS: ctx.client.hotspot?.acctInterimInterval ?? ctx.defaultInterimS,
      })
    } catch (error) {
      return { kind: 'fail', reason: 'database unavailable', error }
    }
    ctx.subjectName = userName
    return OK
  },
}

/** The stages in the order they run. */
export const AUTHORIZE_STAGES: readonly PolicyStage[] = Object.freeze([
  fetchStage, tenantStatusStage, nativeAccountStage, operatorRowsStage, authenticateStage, simultaneousUseStage,
])

export type AccessDecision =
  | { readonly kind: 'accept'; readonly attributes: ReadonlyArray<readonly [AttributeName, AttributeValue]> }
  | { readonly kind: 'reject'; readonly attributes: ReadonlyArray<readonly [AttributeName, AttributeValue]>; readonly reason: string; readonly stage: string }
  | { readonly kind: 'fail'; readonly reason: string; readonly error?: unknown }

/**
 * An Access-Reject as FreeRADIUS sends it: the reply list survives a reject and attr_filter.access_reject keeps
 * its Reply-Message rows, so an operator's own messages (radreply, then radgroupreply, all of them, in order) go
 * out unchanged; our readable default only when the operator configured none, or when FreeRADIUS itself replaces
 * the reply (Simultaneous-Use). Then MS-CHAP-Error or a counter's message, which FreeRADIUS appends.
 */
function rejectAttributes(ctx: AccessContext, outcome: Extract<Outcome, { kind: 'reject' | 'userlock' }>): Array<readonly [AttributeName, AttributeValue]> {
  const operator = outcome.kind === 'reject' && outcome.replacesReply ? undefined : ctx.operatorReplyMessages
  const messages = operator && operator.length > 0 ? operator : [outcome.replyMessage]
  return [...messages.map((m) => ['Reply-Message', m] as const), ...ctx.rejectExtras]
}

/** Runs the stages. Rejects carry only Reply-Message (+ MS-CHAP-Error) — RFC 2865 §5.44, gotcha 21. */
export async function runAccessPolicy(ctx: AccessContext, stages: readonly PolicyStage[] = AUTHORIZE_STAGES): Promise<AccessDecision> {
  for (const stage of stages) {
    const outcome = await stage.run(ctx)
    switch (outcome.kind) {
      case 'ok':
      case 'noop':
        continue
      case 'fail':
        return { kind: 'fail', reason: `${stage.name}: ${outcome.reason}`, error: outcome.error }
      case 'notfound':
        return { kind: 'reject', attributes: [['Reply-Message', REPLY_MESSAGES.unknownUser]], reason: 'unknown user', stage: stage.name }
      case 'reject':
      case 'userlock':
        return { kind: 'reject', reason: outcome.reason, stage: stage.name, attributes: rejectAttributes(ctx, outcome) }
    }
  }
  if (!ctx.subject) {
    return { kind: 'reject', attributes: [['Reply-Message', REPLY_MESSAGES.unknownUser]], reason: 'unknown user', stage: 'end' }
  }
  return { kind: 'accept', attributes: ctx.reply }
}
