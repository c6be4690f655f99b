/**
 * Tenants (ISPs). Platform operators manage every tenant (/api/tenants); an owner sees and brands their own
 * (/api/tenant). M-Pesa credentials are write-only: stored encrypted, answered only as `credentialsSet`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import {
  createAdminUser, createTenant, findTenantById, hashPassword, searchTenantsAcrossPlatform, secretContext, updateTenant,
  type Executor, type MpesaCredentials, type TenantUpdate,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { OWNER_ROLES, PLATFORM_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import {
  CreateTenantBodySchema, ListTenantsQuerySchema, MpesaCredentialsBodySchema, TenantSchema, tenantSnapshot, toTenant,
  UpdateOwnTenantBodySchema, UpdateTenantBodySchema, type MpesaCredentialsBody,
} from './tenants.schemas.js'

type TenantChanges = Partial<{
  name: string; timezone: string; branding: Record<string, unknown>; saasPlan: string; saasMonthlyFee: number
  saasBillingDay: number; saasPaidUntil: string | null; saasGraceDays: number; saasBillingStatus: 'ACTIVE' | 'BLOCKED'
  saasBlockedReason: string | null; saasBillingBasis: 'FLAT' | 'PER_SUBSCRIBER'; saasPricePerSubscriber: number
}>

function toUpdate(body: TenantChanges, blockedBefore: boolean): TenantUpdate {
  const u: TenantUpdate = {}
  if (body.name !== undefined) u.name = body.name
  if (body.timezone !== undefined) u.timezone = body.timezone
  if (body.branding !== undefined) u.branding_config = body.branding
  if (body.saasPlan !== undefined) u.saas_plan = body.saasPlan
  if (body.saasMonthlyFee !== undefined) u.saas_monthly_fee = body.saasMonthlyFee
  if (body.saasBillingDay !== undefined) u.saas_billing_day = body.saasBillingDay
  if (body.saasPaidUntil !== undefined) u.saas_paid_until = body.saasPaidUntil === null ? null : new Date(body.saasPaidUntil)
  if (body.saasGraceDays !== undefined) u.saas_grace_days = body.saasGraceDays
  if (body.saasBlockedReason !== undefined) u.saas_blocked_reason = body.saasBlockedReason
  if (body.saasBillingBasis !== undefined) u.saas_billing_basis = body.saasBillingBasis
  if (body.saasPricePerSubscriber !== undefined) u.saas_price_per_subscriber = body.saasPricePerSubscriber
  if (body.saasBillingStatus !== undefined) {
    u.saas_billing_status = body.saasBillingStatus
    if (body.saasBillingStatus === 'BLOCKED' && !blockedBefore) u.saas_blocked_at = new Date()
    if (body.saasBillingStatus === 'ACTIVE') { u.saas_blocked_at = null; u.saas_blocked_reason = null }
  }
  return u
}

async function changeTenant(db: Executor, request: FastifyRequest, tenantId: string, body: TenantChanges) {
  const before = await findTenantById(db, tenantId)
  if (!before) throw new AppError('NOT_FOUND', 'Tenant not found')
  const changes = toUpdate(body, before.saas_billing_status === 'BLOCKED')
  const after = Object.keys(changes).length ? (await updateTenant(db, tenantId, changes))! : before
  await audit(db, request, { action: 'tenant.updated', entityType: 'tenant', entityId: tenantId, tenantId, before: tenantSnapshot(before), after: tenantSnapshot(after) })
  return toTenant(after)
}

async function storeCredentials(db: Executor, request: FastifyRequest, tenantId: string, body: MpesaCredentialsBody) {
  const box = request.server.secretBox
  const credentials: MpesaCredentials = {
    consumerKey: body.consumerKey, consumerSecret: body.consumerSecret, passkey: body.passkey,
    ...(body.tillNumber ? { tillNumber: body.tillNumber } : {}),
    ...(body.initiatorName ? { initiatorName: body.initiatorName } : {}),
    ...(body.securityCredential ? { securityCredential: body.securityCredential } : {}),
  }
  const before = await findTenantById(db, tenantId)
  if (!before) throw new AppError('NOT_FOUND', 'Tenant not found')
  const after = (await updateTenant(db, tenantId, {
    mpesa_shortcode: body.shortcode, mpesa_environment: body.environment, mpesa_transaction_type: body.transactionType,
    mpesa_credentials: box.encrypt(JSON.stringify(credentials), secretContext('tenants', 'mpesa_credentials', tenantId)),
  }))!
  await audit(db, request, { action: 'tenant.mpesa-credentials-set', entityType: 'tenant', entityId: tenantId, tenantId, before: tenantSnapshot(before), after: tenantSnapshot(after) })
  return toTenant(after)
}

/** /api/tenants (platform) and /api/tenant (own). */
export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  const platform = requireRole(PLATFORM_ROLES)
  const tags = ['tenants']

  app.get('/tenants', {
    schema: { tags, summary: 'List tenants (platform)', querystring: ListTenantsQuerySchema, response: { 200: pageOf(TenantSchema), ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => {
    const { rows, total } = await searchTenantsAcrossPlatform(app.db, request.query)
    return { items: rows.map(toTenant), total, limit: request.query.limit, offset: request.query.offset }
  })

  app.post('/tenants', {
    schema: { tags, summary: 'Create a tenant, optionally with its first owner (platform)', body: CreateTenantBodySchema, response: { 201: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request, reply) => {
    const b = request.body
    const passwordHash = b.owner ? await hashPassword(b.owner.password) : undefined
    const tenant = await app.db.transaction().execute(async (trx) => {
      const row = await createTenant(trx, {
        name: b.name, subdomain: b.subdomain, timezone: b.timezone, currency: b.currency, branding_config: b.branding,
        saas_plan: b.saasPlan, saas_monthly_fee: b.saasMonthlyFee,
      })
      if (b.owner && passwordHash) {
        await createAdminUser(trx, { tenant_id: row.id, role: 'TENANT_OWNER', email: b.owner.email, full_name: b.owner.fullName, password_hash: passwordHash })
      }
      await audit(trx, request, { action: 'tenant.created', entityType: 'tenant', entityId: row.id, tenantId: row.id, after: tenantSnapshot(row) })
      return row
    })
    return reply.code(201).send(toTenant(tenant))
  })

  app.get('/tenants/:id', {
    schema: { tags, summary: 'Show a tenant (platform)', params: IdParamsSchema, response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => {
    const row = await findTenantById(app.db, request.params.id)
    if (!row) throw new AppError('NOT_FOUND', 'Tenant not found')
    return toTenant(row)
  })

  app.patch('/tenants/:id', {
    schema: { tags, summary: 'Update a tenant, its SaaS subscription and status (platform)', params: IdParamsSchema, body: UpdateTenantBodySchema, response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => {
    const before = await findTenantById(app.db, request.params.id)
    const after = await app.db.transaction().execute((trx) => changeTenant(trx, request, request.params.id, request.body))
    // A BLOCKED/ACTIVE change reaches the tenant's routers through the routers queue (retried while unreachable).
    if (before && before.saas_billing_status !== after.saas.status) await app.queueTenantEnforcement(after.id)
    return after
  })

  app.put('/tenants/:id/mpesa-credentials', {
    schema: { tags, summary: 'Set M-Pesa credentials (write-only, platform)', params: IdParamsSchema, body: MpesaCredentialsBodySchema, response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => app.db.transaction().execute((trx) => storeCredentials(trx, request, request.params.id, request.body)))

  app.get('/tenant', {
    schema: { tags, summary: 'Your own tenant', response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => toTenant((await findTenantById(trx, tenantId))!)))

  app.patch('/tenant', {
    schema: { tags, summary: 'Rename or re-brand your tenant (owner)', body: UpdateOwnTenantBodySchema, response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => request.withTenant((trx, tenantId) => changeTenant(trx, request, tenantId, request.body)))

  app.put('/tenant/mpesa-credentials', {
    schema: { tags, summary: 'Set your M-Pesa credentials (write-only, owner)', body: MpesaCredentialsBodySchema, response: { 200: TenantSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => request.withTenant((trx, tenantId) => storeCredentials(trx, request, tenantId, request.body)))
}
