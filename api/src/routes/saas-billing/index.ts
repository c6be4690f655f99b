/**
 * MnetiFi billing its tenants, and the router side of a block:
 * - platform operators: `GET /api/tenants/:id/invoices`, `POST /api/tenants/:id/invoices/:invoiceId/pay`,
 *   `POST /api/platform/billing/run` (issue due invoices and block overdue tenants now, as the hourly job does),
 *   `GET /api/tenants/:id/router-enforcement`;
 * - the tenant's own admins: `GET /api/tenant/invoices`, `GET /api/tenant/router-enforcement`.
 * A status change queues `routers.enforce-tenant` for each router; its per-router progress is the enforcement list.
 */
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { listRouterEnforcements, listSaasInvoices, type RouterEnforcementRow, type SaasInvoiceRow } from '@mnetifi/db'
import { audit } from '../../lib/audit.js'
import { withTenantScope } from '../../lib/tenant-scope.js'
import { PLATFORM_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { blockOverdueTenantsAcrossTenants, issueInvoicesAcrossTenants, payInvoice } from '../../saas-billing/billing.service.js'
import { ERROR_RESPONSES, IdParamsSchema } from '../common.schemas.js'

const InvoiceSchema = z.object({
  id: z.uuid(), periodStart: z.string(), periodEnd: z.string(), basis: z.enum(['FLAT', 'PER_SUBSCRIBER']), subscriberCount: z.number().int().nullable(),
  amount: z.number().int().describe('minor units'), currency: z.string(), status: z.enum(['OPEN', 'PAID', 'VOID']), dueAt: z.string(),
  paidAt: z.string().nullable(), paymentReference: z.string().nullable(),
})
const EnforcementSchema = z.object({
  hotspotId: z.uuid(), locationName: z.string(), target: z.enum(['BLOCKED', 'ACTIVE']), status: z.enum(['PENDING', 'APPLIED', 'FAILED']),
  attempts: z.number().int(), lastError: z.string().nullable(), updatedAt: z.string(),
})

function toInvoice(r: SaasInvoiceRow): z.infer<typeof InvoiceSchema> {
  return {
    id: r.id, periodStart: r.period_start, periodEnd: r.period_end, basis: r.basis, subscriberCount: r.subscriber_count, amount: r.amount,
    currency: r.currency, status: r.status, dueAt: r.due_at.toISOString(), paidAt: r.paid_at ? r.paid_at.toISOString() : null, paymentReference: r.payment_reference,
  }
}

function toEnforcement(r: RouterEnforcementRow & { location_name: string }): z.infer<typeof EnforcementSchema> {
  return { hotspotId: r.hotspot_id, locationName: r.location_name, target: r.target, status: r.status, attempts: r.attempts, lastError: r.last_error, updatedAt: r.updated_at.toISOString() }
}

/** Registers the routes (mount at `/api`). */
export const saasBillingRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['saas-billing']
  const platform = requireRole(PLATFORM_ROLES)

  app.get('/tenants/:id/invoices', {
    schema: { tags, summary: 'A tenant\'s MnetiFi invoices (platform)', params: IdParamsSchema, response: { 200: z.array(InvoiceSchema), ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => (await listSaasInvoices(app.db, request.params.id)).map(toInvoice))

  app.post('/tenants/:id/invoices/:invoiceId/pay', {
    schema: {
      tags, summary: 'Record a tenant\'s payment; the tenant becomes ACTIVE when nothing else is overdue (platform)',
      params: z.object({ id: z.uuid(), invoiceId: z.uuid() }), body: z.object({ reference: z.string().min(1).max(100) }).strict(),
      response: { 200: z.object({ invoice: InvoiceSchema, activated: z.boolean(), routersQueued: z.number().int() }), ...ERROR_RESPONSES },
    },
    preHandler: platform,
  }, async (request) => {
    const { invoice, activated } = await payInvoice(app.db, request.params.id, request.params.invoiceId, request.body.reference, new Date())
    await audit(app.db, request, { action: 'saas.invoice-paid', entityType: 'saas_invoice', entityId: invoice.id, tenantId: request.params.id, after: { reference: invoice.payment_reference, activated } })
    return { invoice: toInvoice(invoice), activated, routersQueued: activated ? await app.queueTenantEnforcement(request.params.id) : 0 }
  })

  app.post('/platform/billing/run', {
    schema: {
      tags, summary: 'Issue due invoices and block overdue tenants now (platform; the worker does it hourly)',
      response: { 200: z.object({ issued: z.number().int(), blocked: z.array(z.uuid()), routersQueued: z.number().int() }), ...ERROR_RESPONSES },
    },
    preHandler: platform,
  }, async () => {
    const now = new Date()
    const issued = await issueInvoicesAcrossTenants(app.db, now)
    const blocked = await blockOverdueTenantsAcrossTenants(app.db, now)
    let routersQueued = 0
    for (const tenantId of blocked) routersQueued += await app.queueTenantEnforcement(tenantId)
    return { issued: issued.length, blocked, routersQueued }
  })

  app.get('/tenants/:id/router-enforcement', {
    schema: { tags, summary: 'Per router: is the tenant\'s block or restore applied (platform)', params: IdParamsSchema, response: { 200: z.array(EnforcementSchema), ...ERROR_RESPONSES } },
    preHandler: platform,
  }, async (request) => (await withTenantScope(app.db, request.params.id, (trx) => listRouterEnforcements(trx, request.params.id))).map(toEnforcement))

  app.get('/tenant/invoices', {
    schema: { tags, summary: 'Our MnetiFi invoices', response: { 200: z.array(InvoiceSchema), ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => (await listSaasInvoices(trx, tenantId)).map(toInvoice)))

  app.get('/tenant/router-enforcement', {
    schema: { tags, summary: 'Per router: is a block or restore applied', response: { 200: z.array(EnforcementSchema), ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => (await listRouterEnforcements(trx, tenantId)).map(toEnforcement)))
}
