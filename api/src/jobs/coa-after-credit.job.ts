/**
 * `payments.coa-after-credit`: after a credit commits, every open session of the user (radacct, no stop time)
 * gets a CoA-Request with the plan's Mikrotik-Rate-Limit and the new Session-Timeout (each answer counted for the
 * router's CoA success rate), so the customer's speed
 * and time change without reconnecting. A NAK falls back to a Disconnect (the device logs in again by MAC and
 * gets the new attributes); silence is retried with backoff. No session: nothing to do, the portal logs in.
 */
import { z } from 'zod'
import { renderRateLimit, secondsUntil } from '@mnetifi/db/domain'
import { appendProviderLog, findPlanById, findTransactionById, findWifiUserById, listOpenSessionsForUser, recordCoaOutcomeAcrossTenants } from '@mnetifi/db'
import { nowOf } from '../payments/context.js'
import { RETENTION, type JobDefinition } from './job-definition.js'

/** Which credited transaction's sessions to update. */
export const CoaAfterCreditPayloadSchema = z.object({ tenantId: z.string().uuid(), transactionId: z.string().uuid() })
export type CoaAfterCreditPayload = z.infer<typeof CoaAfterCreditPayloadSchema>

/** The job definition (jobId `coa-<transaction>`: one CoA round per credit). */
export const coaAfterCreditJob = {
  name: 'payments.coa-after-credit',
  schema: CoaAfterCreditPayloadSchema,
  jobId: (p: CoaAfterCreditPayload) => `coa-${p.transactionId}`,
  options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...RETENTION },
  async handler(p, { ctx, coa }) {
    const tx = await findTransactionById(ctx.db, p.tenantId, p.transactionId)
    if (!tx?.credited_at || !tx.user_id || !tx.plan_id) return { skipped: 'not credited' }
    const [user, plan] = await Promise.all([findWifiUserById(ctx.db, p.tenantId, tx.user_id), findPlanById(ctx.db, p.tenantId, tx.plan_id)])
    if (!user?.expiry_time || !plan) return { skipped: 'user or plan gone' }
    const sessions = await listOpenSessionsForUser(ctx.db, p.tenantId, user.username)
    const results: { session: string; nasIp: string; result: string }[] = []
    for (const s of sessions) {
      const hotspot = await ctx.db.selectFrom('hotspots').selectAll().where('tenant_id', '=', p.tenantId)
        .where('nas_ip', '=', s.nasipaddress).executeTakeFirst()
      if (!hotspot) continue
      const target = { nasIp: hotspot.nas_ip, port: hotspot.coa_port, secret: hotspot.radius_secret }
      const identity = {
        'User-Name': user.username, 'Acct-Session-Id': s.acctsessionid,
        ...(s.framedipaddress ? { 'Framed-IP-Address': s.framedipaddress } : {}),
      }
      const sessionTimeout = secondsUntil(user.expiry_time, nowOf(ctx))
      let result = await coa.changeAuthorization({
        ...target, attributes: { ...identity, 'Mikrotik-Rate-Limit': renderRateLimit(plan), 'Session-Timeout': sessionTimeout },
      })
      await countCoa(ctx, hotspot.nas_ip, result.kind)
      let kind = `coa-${result.kind}`
      if (result.kind === 'nak') {
        result = await coa.disconnect({ ...target, attributes: identity })
        await countCoa(ctx, hotspot.nas_ip, result.kind)
        kind = `disconnect-${result.kind}`
      }
      results.push({ session: s.acctsessionid, nasIp: hotspot.nas_ip, result: kind })
      // Silence from a router: throw so BullMQ retries later (the router may be rebooting or the VPN down).
      if (result.kind === 'timeout') {
        await appendProviderLog(ctx.db, p.tenantId, tx.id, [{ at: nowOf(ctx).toISOString(), kind: 'coa', data: results }])
        throw new Error(`no answer from NAS ${hotspot.nas_ip}:${hotspot.coa_port} for session ${s.acctsessionid}`)
      }
    }
    await appendProviderLog(ctx.db, p.tenantId, tx.id, [{ at: nowOf(ctx).toISOString(), kind: 'coa', data: results }])
    return { sessions: results }
  },
} satisfies JobDefinition<typeof CoaAfterCreditPayloadSchema>

/** Counts a router's answer for its health page's CoA success rate; counting never fails the job. */
async function countCoa(ctx: { db: Parameters<typeof recordCoaOutcomeAcrossTenants>[0]; log: { warn(obj: object, msg: string): void } }, nasIp: string, kind: 'ack' | 'nak' | 'timeout') {
  await recordCoaOutcomeAcrossTenants(ctx.db, nasIp, kind).catch((err: unknown) => ctx.log.warn({ err, nasIp }, 'CoA outcome not counted'))
}
