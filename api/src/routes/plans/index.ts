/**
 * Plans: price, exact duration, speeds and burst (validated by the shared domain rule), quota, account
 * types. Every answer shows the rendered Mikrotik-Rate-Limit so an admin sees what the router gets.
 * Owners manage plans; staff may read them (to help users choose).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { createPlan, findPlanById, listPlans, updatePlan, type NewPlan, type PlanRow, type PlanUpdate } from '@mnetifi/db'
import { AppError, RATE_LIMIT_FIELD_NAMES, validateRateLimit } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import { CreatePlanBodySchema, ListPlansQuerySchema, PlanSchema, toPlan, UpdatePlanBodySchema, type UpdatePlanBody } from './plans.schemas.js'

function toColumns(body: UpdatePlanBody): PlanUpdate {
  const u: PlanUpdate = {}
  const map: [keyof UpdatePlanBody, keyof PlanUpdate][] = [
    ['name', 'name'], ['description', 'description'], ['price', 'price'], ['durationSeconds', 'duration_seconds'],
    ['uploadLimit', 'upload_limit'], ['downloadLimit', 'download_limit'], ['burstRateUp', 'burst_rate_up'],
    ['burstRateDown', 'burst_rate_down'], ['burstThresholdUp', 'burst_threshold_up'], ['burstThresholdDown', 'burst_threshold_down'],
    ['burstTime', 'burst_time'], ['priority', 'priority'], ['dataQuota', 'data_quota'], ['accountTypes', 'account_types'],
    ['simultaneousUse', 'simultaneous_use'], ['acctInterimInterval', 'acct_interim_interval'], ['idleTimeout', 'idle_timeout'],
    ['isActive', 'is_active'],
  ]
  for (const [from, to] of map) if (body[from] !== undefined) (u as Record<string, unknown>)[to] = body[from]
  return u
}

/** Throws 400 with body field paths when the speed settings break the burst rules. */
function assertValidSpeeds(plan: Pick<PlanRow, 'upload_limit' | 'download_limit' | 'burst_rate_up' | 'burst_rate_down' | 'burst_threshold_up' | 'burst_threshold_down' | 'burst_time' | 'priority'>): void {
  const errors = validateRateLimit(plan)
  const entries = Object.entries(errors)
  if (entries.length) {
    throw new AppError('VALIDATION_FAILED', 'The speed settings are invalid', {
      details: entries.map(([field, message]) => ({ path: `body.${RATE_LIMIT_FIELD_NAMES[field] ?? field}`, message })),
    })
  }
}

/** /api/plans */
export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['plans']
  const owner = requireRole(OWNER_ROLES)

  app.get('/', {
    schema: { tags, summary: 'List plans (cheapest first)', querystring: ListPlansQuerySchema, response: { 200: pageOf(PlanSchema), ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    let rows = await listPlans(trx, tenantId, { includeArchived: request.query.includeArchived ?? false })
    if (request.query.accountType) rows = rows.filter((p) => p.account_types.includes(request.query.accountType!))
    return { items: rows.map(toPlan), total: rows.length, limit: rows.length, offset: 0 }
  }))

  app.post('/', {
    schema: { tags, summary: 'Create a plan', body: CreatePlanBodySchema, response: { 201: PlanSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request, reply) => {
    const cols = toColumns(request.body)
    const candidate = { burst_rate_up: null, burst_rate_down: null, burst_threshold_up: null, burst_threshold_down: null, burst_time: null, priority: null, ...cols } as PlanRow
    assertValidSpeeds(candidate)
    const row = await request.withTenant(async (trx, tenantId) => {
      const created = await createPlan(trx, { ...(cols as Omit<NewPlan, 'tenant_id'>), tenant_id: tenantId })
      await audit(trx, request, { action: 'plan.created', entityType: 'plan', entityId: created.id, after: created })
      return created
    })
    return reply.code(201).send(toPlan(row))
  })

  app.get('/:id', {
    schema: { tags, summary: 'Show a plan', params: IdParamsSchema, response: { 200: PlanSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const row = await findPlanById(trx, tenantId, request.params.id)
    if (!row) throw new AppError('NOT_FOUND', 'Plan not found')
    return toPlan(row)
  }))

  app.patch('/:id', {
    schema: { tags, summary: 'Update a plan (live users get the change at their next login or CoA)', params: IdParamsSchema, body: UpdatePlanBodySchema, response: { 200: PlanSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await findPlanById(trx, tenantId, request.params.id)
    if (!before) throw new AppError('NOT_FOUND', 'Plan not found')
    const changes = toColumns(request.body)
    assertValidSpeeds({ ...before, ...changes } as PlanRow)
    const after = Object.keys(changes).length ? (await updatePlan(trx, tenantId, before.id, changes))! : before
    await audit(trx, request, { action: 'plan.updated', entityType: 'plan', entityId: before.id, before, after })
    return toPlan(after)
  }))

  app.delete('/:id', {
    schema: { tags, summary: 'Archive a plan (hidden and no longer sold)', params: IdParamsSchema, response: { 200: PlanSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await findPlanById(trx, tenantId, request.params.id)
    if (!before) throw new AppError('NOT_FOUND', 'Plan not found')
    if (before.archived_at) return toPlan(before)
    const after = (await updatePlan(trx, tenantId, before.id, { archived_at: new Date(), is_active: false }))!
    await audit(trx, request, { action: 'plan.archived', entityType: 'plan', entityId: before.id, before, after })
    return toPlan(after)
  }))
}
