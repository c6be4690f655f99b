/**
 * Admin manual actions on a user, each audited with before/after and applied to live sessions through
 * RFC 5176 once the change has committed:
 * - recharge / change plan (owner: they give away airtime) → CoA with the new Session-Timeout and rate;
 * - move to another hotspot → Disconnect on the old one;
 * - suspend / activate → the mirror trigger makes RADIUS reject (or accept) new logins; suspend also
 *   disconnects.
 * Ending sessions (suspend, move) goes through the router's RouterOS API where the hotspot has API credentials,
 * with RFC 5176 Disconnect as the fallback for the rest; rate and time changes stay CoA (it does them live).
 * Answers say which path each part took (`routerApi`, `liveSession`).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import { listLiveSessionsForUsername, lockWifiUserById, updateWifiUser, type Database, type LiveSessionRow, type PlanRow, type WifiUserRow, type WifiUserUpdate } from '@mnetifi/db'
import { AppError, extendExpiry, renderRateLimit, secondsUntil } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { changeSessions, disconnectSessions } from '../../lib/live-session.js'
import type { LiveSessionEffect } from '../../lib/session-control.js'
import { removeSessionsViaRouters, type RouterApiEffect } from '../../routeros/session-actions.js'
import { ERROR_RESPONSES, IdParamsSchema, IsoDateTime } from '../common.schemas.js'
import { toUser, UserSchema, userSnapshot } from './users.schemas.js'
import { assertHotspot, getPlanFor, getUser } from './users.service.js'

const LiveSessionEffectSchema = z.union([
  z.object({ path: z.literal('none'), reason: z.enum(['no-live-session', 'handled-by-router-api']) }),
  z.object({ path: z.literal('unavailable'), reason: z.literal('no-coa-client') }),
  z.object({ path: z.enum(['radius-disconnect', 'radius-coa']), sessions: z.number().int(), outcomes: z.array(z.enum(['ack', 'nak', 'timeout'])) }),
])
export const ActionResultSchema = z.object({
  user: UserSchema,
  enforcement: z.object({
    radius: z.enum(['accepts', 'rejects']).describe('What RADIUS now answers this user'),
    liveSession: LiveSessionEffectSchema,
    routerApi: z.union([
      z.object({ path: z.literal('router-api'), sessions: z.number().int().describe('sessions removed on the routers'), routers: z.number().int() }),
      z.object({ path: z.literal('not-used'), reason: z.enum(['no-live-session', 'not-configured', 'unreachable', 'not-needed']) }),
    ]).describe('What the RouterOS API did; sessions it could not handle went by RADIUS (liveSession)'),
  }),
})

const RechargeBodySchema = z.object({
  planId: z.uuid().optional().describe('Defaults to the current plan'),
  durationSeconds: z.number().int().positive().optional().describe('Overrides the plan duration'),
}).strict()
const ChangePlanBodySchema = z.object({ planId: z.uuid(), expiryTime: IsoDateTime.optional().describe('Set the expiry exactly') }).strict()
const MoveBodySchema = z.object({ hotspotId: z.uuid() }).strict()
const SuspendBodySchema = z.object({ reason: z.string().max(500).optional() }).strict()

type Change = (trx: Transaction<Database>, tenantId: string, user: WifiUserRow) => Promise<{ update: WifiUserUpdate; plan?: PlanRow }>
type Enforcement = { liveSession: LiveSessionEffect; routerApi: RouterApiEffect }
type Effect = (sessions: LiveSessionRow[], after: WifiUserRow, plan?: PlanRow) => Promise<Enforcement>

async function act(request: FastifyRequest, userId: string, action: string, change: Change, effect: Effect, extra: Record<string, unknown> = {}) {
  const { after, sessions, plan } = await request.withTenant(async (trx, tenantId) => {
    await getUser(trx, tenantId, userId)
    const before = (await lockWifiUserById(trx, tenantId, userId))!
    const { update, plan } = await change(trx, tenantId, before)
    const after = (await updateWifiUser(trx, tenantId, before.id, update))!
    await audit(trx, request, { action, entityType: 'wifi_user', entityId: before.id, before: userSnapshot(before), after: { ...userSnapshot(after), ...extra } })
    return { after, sessions: await listLiveSessionsForUsername(trx, tenantId, before.username), plan }
  })
  const { liveSession, routerApi } = await effect(sessions, after, plan)
  request.log.info({ userId: after.id, action, liveSession, routerApi }, 'user action applied')
  return { user: toUser(after), enforcement: { radius: after.status === 'ACTIVE' ? 'accepts' as const : 'rejects' as const, liveSession, routerApi } }
}

/** /api/users/:id/<action> */
export const userActionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users']
  const response = { 200: ActionResultSchema, ...ERROR_RESPONSES }
  const schema = <B extends z.ZodType>(summary: string, body: B) => ({ tags, summary, params: IdParamsSchema, body, response })
  // CoA changes Session-Timeout and the rate of a live session in place: the router API is not needed.
  const coaFor = async (sessions: LiveSessionRow[], after: WifiUserRow, plan?: PlanRow): Promise<Enforcement> => ({
    liveSession: await changeSessions(app.sessionControl, sessions, {
      'Session-Timeout': after.expiry_time ? secondsUntil(after.expiry_time, new Date()) : 0,
      ...(plan ? { 'Mikrotik-Rate-Limit': renderRateLimit(plan) } : {}),
    }),
    routerApi: { path: 'not-used', reason: sessions.length ? 'not-needed' : 'no-live-session' },
  })
  // Ending sessions: the router API first, Disconnect-Request for whatever it could not reach.
  const endSessions = async (sessions: LiveSessionRow[], after: WifiUserRow): Promise<Enforcement> => {
    const { effect, rest } = await removeSessionsViaRouters(app.db, after.tenant_id, sessions, (h) => app.routerClientFor(h))
    const liveSession: LiveSessionEffect = rest.length ? await disconnectSessions(app.sessionControl, rest)
      : { path: 'none', reason: effect.path === 'router-api' ? 'handled-by-router-api' : 'no-live-session' }
    return { liveSession, routerApi: effect }
  }

  app.post('/:id/recharge', { schema: schema('Manual recharge: extend expiry by a plan (or seconds); CoA to live sessions', RechargeBodySchema), preHandler: requireRole(OWNER_ROLES) },
    async (request) => {
      const body = request.body
      return act(request, request.params.id, 'user.recharged', async (trx, tenantId, user) => {
        const planId = body.planId ?? user.current_plan_id
        if (!planId) throw new AppError('VALIDATION_FAILED', 'The user has no plan; choose one', { details: [{ path: 'body.planId', message: 'required' }] })
        const plan = await getPlanFor(trx, tenantId, planId, user.account_type, 'body.planId')
        const expiry = extendExpiry(user.expiry_time, new Date(), body.durationSeconds ?? plan.duration_seconds)
        return { update: { current_plan_id: plan.id, expiry_time: expiry }, plan }
      }, coaFor)
    })

  app.post('/:id/change-plan', { schema: schema('Change plan (and optionally set the expiry); CoA to live sessions', ChangePlanBodySchema), preHandler: requireRole(OWNER_ROLES) },
    async (request) => {
      const body = request.body
      return act(request, request.params.id, 'user.plan-changed', async (trx, tenantId, user) => {
        const plan = await getPlanFor(trx, tenantId, body.planId, user.account_type, 'body.planId')
        return { update: { current_plan_id: plan.id, ...(body.expiryTime ? { expiry_time: new Date(body.expiryTime) } : {}) }, plan }
      }, coaFor)
    })

  app.post('/:id/move', { schema: schema('Move the user to another hotspot; disconnects sessions on the old one', MoveBodySchema), preHandler: requireRole(STAFF_ROLES) },
    async (request) => {
      const body = request.body
      return act(request, request.params.id, 'user.moved', async (trx, tenantId) => {
        await assertHotspot(trx, tenantId, body.hotspotId, 'body.hotspotId')
        return { update: { home_hotspot_id: body.hotspotId } }
      }, (sessions, after) => endSessions(sessions.filter((s) => s.hotspot_id !== body.hotspotId), after))
    })

  app.post('/:id/suspend', { schema: schema('Suspend: RADIUS rejects new logins and live sessions are disconnected', SuspendBodySchema), preHandler: requireRole(STAFF_ROLES) },
    async (request) => {
      const body = request.body
      return act(request, request.params.id, 'user.suspended', async () => ({ update: { status: 'SUSPENDED' } }),
        endSessions, { reason: body.reason ?? null })
    })

  app.post('/:id/activate', { schema: { tags, summary: 'Activate a suspended user: RADIUS accepts them again', params: IdParamsSchema, response }, preHandler: requireRole(STAFF_ROLES) },
    async (request) => act(request, request.params.id, 'user.activated', async () => ({ update: { status: 'ACTIVE' } }), async () => ({ liveSession: { path: 'none', reason: 'no-live-session' }, routerApi: { path: 'not-used', reason: 'not-needed' } })))
}
