/**
 * `POST /api/plans/:id/apply-to-live-sessions` (owner): after a plan's rate or burst changed, gives every live
 * session on it the new Mikrotik-Rate-Limit. A CoA-Request changes a session's speed in place, so that is tried
 * first; a session whose router NAKs or ignores it is ended through the router's RouterOS API instead — the device
 * logs in again and RADIUS gives it the new rate. The answer says which path each part took.
 */
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findPlanById, listLiveSessionsForPlan, type LiveSessionRow } from '@mnetifi/db'
import { AppError, renderRateLimit } from '@mnetifi/db/domain'
import { audit } from '../../lib/audit.js'
import { identify } from '../../lib/live-session.js'
import { OWNER_ROLES, requireRole } from '../../plugins/auth.js'
import { removeSessionsViaRouters } from '../../routeros/session-actions.js'
import { ERROR_RESPONSES, IdParamsSchema } from '../common.schemas.js'

const ResultSchema = z.object({
  rateLimit: z.string().describe('The Mikrotik-Rate-Limit sent'),
  sessions: z.number().int(),
  coa: z.object({ acked: z.number().int(), outcomes: z.array(z.enum(['ack', 'nak', 'timeout', 'unavailable'])) }),
  routerApi: z.union([
    z.object({ path: z.literal('router-api'), sessions: z.number().int().describe('sessions ended so they re-login at the new rate'), routers: z.number().int() }),
    z.object({ path: z.literal('not-used'), reason: z.enum(['no-live-session', 'not-configured', 'unreachable', 'not-needed']) }),
  ]),
  unreached: z.number().int().describe('sessions neither path could change: they get the rate at their next login'),
})

/** Registers the route (mount at `/api/plans`). */
export const planRateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/:id/apply-to-live-sessions', {
    schema: { tags: ['plans'], summary: 'Give live sessions a plan\'s current rate and burst (CoA, else the RouterOS API)', params: IdParamsSchema, response: { 200: ResultSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => {
    const { plan, sessions, tenantId } = await request.withTenant(async (trx, tenantId) => {
      const plan = await findPlanById(trx, tenantId, request.params.id)
      if (!plan) throw new AppError('NOT_FOUND', 'Plan not found')
      await audit(trx, request, { action: 'plan.rate-applied', entityType: 'plan', entityId: plan.id, after: { rate_limit: renderRateLimit(plan) } })
      return { plan, sessions: await listLiveSessionsForPlan(trx, tenantId, plan.id), tenantId }
    })
    const rateLimit = renderRateLimit(plan)
    const control = app.sessionControl
    const outcomes = await Promise.all(sessions.map(async (s): Promise<'ack' | 'nak' | 'timeout' | 'unavailable'> => {
      if (!control || s.radius_secret === null || s.coa_port === null) return 'unavailable'
      const o = await control.changeAuthorization({ nasIp: s.nasipaddress, port: s.coa_port, secret: s.radius_secret }, { ...identify(s), 'Mikrotik-Rate-Limit': rateLimit })
      return o.kind
    }))
    const failed: LiveSessionRow[] = sessions.filter((_, i) => outcomes[i] !== 'ack')
    const { effect, rest } = failed.length
      ? await removeSessionsViaRouters(app.db, tenantId, failed, (h) => app.routerClientFor(h))
      : { effect: { path: 'not-used' as const, reason: sessions.length ? 'not-needed' as const : 'no-live-session' as const }, rest: [] }
    return { rateLimit, sessions: sessions.length, coa: { acked: outcomes.filter((o) => o === 'ack').length, outcomes }, routerApi: effect, unreached: rest.length }
  })
}
