/**
 * Stages for MnetiFi subscribers (wifi_users + plans): who may log in, and the Access-Accept attributes.
 * The same decisions as the mirror trigger writes for FreeRADIUS (migration 090400), so both servers agree.
 */
import { renderRateLimit } from '@mnetifi/db/domain'
import { NOOP, OK, REPLY_MESSAGES, type Outcome, type PolicyStage } from './types.js'

const UINT32_MAX = 0xffffffff
const GIGA = 4294967296

/** Tenant BLOCKED (SaaS bill unpaid) rejects every subscriber of that tenant. */
export const tenantStatusStage: PolicyStage = {
  name: 'tenant-status',
  run(ctx): Outcome {
    if (ctx.client.tenantId !== null && ctx.data?.tenantStatus === 'BLOCKED') {
      return { kind: 'reject', replyMessage: REPLY_MESSAGES.tenantBlocked, reason: 'tenant blocked' }
    }
    return NOOP
  },
}

/**
 * Native user checks in the order the mirror trigger uses (status before password, like its
 * `Auth-Type := Reject`), then the reply: rate limit, Session-Timeout to the expiry second, interim and idle
 * timers (plan first, then hotspot), quota, PPPoE/static addressing and Class.
 */
export const nativeAccountStage: PolicyStage = {
  name: 'native-account',
  run(ctx): Outcome {
    const data = ctx.data
    const user = data?.user
    if (!data || !user) return NOOP
    ctx.subject = 'native'
    ctx.subjectName = user.username
    const plan = data.plan
    if (user.status === 'SUSPENDED') return { kind: 'userlock', replyMessage: REPLY_MESSAGES.suspended, reason: 'suspended' }
    if (!plan || !plan.active || user.expiry === null) return { kind: 'reject', replyMessage: REPLY_MESSAGES.noPlan, reason: 'no plan' }
    if (!plan.accountTypes.includes(user.accountType)) {
      return { kind: 'reject', replyMessage: REPLY_MESSAGES.wrongAccountType, reason: `plan does not serve ${user.accountType}` }
    }
    // Whole seconds left, rounded down so the router never keeps a session past the expiry second.
    const secondsLeft = Math.floor(user.expiry - data.now)
    if (secondsLeft <= 0) return { kind: 'userlock', replyMessage: REPLY_MESSAGES.expired, reason: 'expired' }

    ctx.cleartext = user.password
    ctx.skipAuthentication = user.viaMac
    ctx.simultaneousUse = plan.simultaneousUse
    const hotspot = ctx.client.hotspot
    ctx.reply.push(['Mikrotik-Rate-Limit', renderRateLimit(plan)])
    ctx.reply.push(['Session-Timeout', Math.min(secondsLeft, UINT32_MAX)])
    const interim = plan.interimInterval ?? hotspot?.acctInterimInterval ?? null
    if (interim !== null) ctx.reply.push(['Acct-Interim-Interval', interim])
    const idle = plan.idleTimeout ?? hotspot?.idleTimeout ?? null
    if (idle !== null) ctx.reply.push(['Idle-Timeout', idle])
    if (plan.dataQuota !== null) {
      ctx.reply.push(['Mikrotik-Total-Limit', plan.dataQuota % GIGA])
      const gigawords = Math.floor(plan.dataQuota / GIGA)
      if (gigawords > 0) ctx.reply.push(['Mikrotik-Total-Limit-Gigawords', gigawords])
    }
    if (user.accountType === 'PPPOE') ctx.reply.push(['Framed-Protocol', 'PPP'])
    if ((user.accountType === 'PPPOE' || user.accountType === 'STATIC') && user.staticIp) {
      ctx.reply.push(['Framed-IP-Address', user.staticIp])
    } else if (user.accountType === 'PPPOE' && user.framedPool) {
      ctx.reply.push(['Framed-Pool', user.framedPool])
    }
    ctx.reply.push(['Class', `mnetifi:${ctx.client.tenantId}:${user.id}:${plan.id}`])
    return OK
  },
}
