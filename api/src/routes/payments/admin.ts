/**
 * /api/payments — the admin side of payments: list and filter transactions, one transaction with its provider
 * log, the reconciliation report (counts and sums per status, per day, per hotspot), CSV export, and resolving a
 * MANUAL_REVIEW/UNMATCHED item (credit a customer or mark refunded), written to the audit log.
 */
import { stringify } from 'csv-stringify/sync'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findTenantById, findTransactionById, iterateTransactions, listTransactions, summarizeTransactions } from '@mnetifi/db'
import { DarajaError } from '../../payments/daraja/errors.js'
import { darajaClientForTenant, tenantHookUrls } from '../../payments/daraja/tenant-client.js'
import { AppError } from '@mnetifi/db/domain'
import { audit } from '../../lib/audit.js'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import type { PaymentsContext } from '../../payments/context.js'
import { resolveTransaction } from '../../payments/reconciliation.service.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import {
  ListTransactionsQuerySchema, ReportSchema, ResolveBodySchema, TransactionDetailSchema, TransactionFilterQuerySchema,
  TransactionSchema, toFilter, toTransaction,
} from './payments.schemas.js'

/** Options: the payments context (job scheduler for the CoA after an admin credit). */
export interface PaymentsAdminOptions { readonly ctx: PaymentsContext }

const CSV_COLUMNS = ['createdAt', 'id', 'kind', 'status', 'amount', 'currency', 'phone', 'receipt', 'planId', 'hotspotId', 'settledBy',
  'reconciliationStatus', 'reconciliationNote', 'resolution', 'creditedAt', 'failureReason', 'resultCode', 'resultDesc'] as const

/** Registers the admin payments routes (mount at `/api/payments`). */
export const paymentsAdminRoutes: FastifyPluginAsyncZod<PaymentsAdminOptions> = async (app, opts) => {
  const tags = ['payments']
  const staff = requireRole(STAFF_ROLES)

  app.get('/transactions', {
    schema: { tags, summary: 'List transactions (newest first unless sorted)', querystring: ListTransactionsQuerySchema, response: { 200: pageOf(TransactionSchema), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const { limit, offset, sort, order } = request.query
    const page = await listTransactions(trx, tenantId, toFilter(request.query), { limit, offset, sort, order })
    return { items: page.rows.map(toTransaction), total: page.total, limit, offset }
  }))

  app.get('/transactions/:id', {
    schema: { tags, summary: 'One transaction with its provider log', params: IdParamsSchema, response: { 200: TransactionDetailSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const tx = await findTransactionById(trx, tenantId, request.params.id)
    if (!tx) throw new AppError('NOT_FOUND', 'Transaction not found')
    return { ...toTransaction(tx), providerLog: tx.provider_log }
  }))

  app.get('/reconciliation', {
    schema: { tags, summary: 'Reconciliation report: counts and sums per status, day and hotspot', querystring: TransactionFilterQuerySchema, response: { 200: ReportSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const tenant = await findTenantById(trx, tenantId)
    const tz = tenant?.timezone ?? 'Africa/Nairobi'
    const f = toFilter(request.query)
    const [total, byDay, byHotspot] = await Promise.all([
      summarizeTransactions(trx, tenantId, f, 'total', tz), summarizeTransactions(trx, tenantId, f, 'day', tz),
      summarizeTransactions(trx, tenantId, f, 'hotspot', tz),
    ])
    return { timeZone: tz, total, byDay, byHotspot }
  }))

  app.get('/transactions.csv', {
    schema: { tags, summary: 'CSV export of the filtered transactions', querystring: TransactionFilterQuerySchema, response: { 200: z.string(), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request, reply) => {
    const csv = await request.withTenant(async (trx, tenantId) => {
      const lines: unknown[][] = [[...CSV_COLUMNS]]
      for await (const row of iterateTransactions(trx, tenantId, toFilter(request.query))) {
        const t = toTransaction(row)
        lines.push(CSV_COLUMNS.map((c) => t[c] ?? ''))
      }
      return stringify(lines)
    })
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="transactions.csv"')
    return csv
  })

  app.post('/transactions/:id/resolve', {
    schema: { tags, summary: 'Resolve a MANUAL_REVIEW/UNMATCHED item: credit a customer or mark refunded', params: IdParamsSchema, body: ResolveBodySchema, response: { 200: TransactionSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => {
    const result = await request.withTenant(async (trx, tenantId) => {
      const r = await resolveTransaction(opts.ctx, trx, tenantId, request.params.id, request.body, request.admin?.id ?? null)
      await audit(trx, request, {
        action: `transaction.resolve.${request.body.action}`, entityType: 'transaction', entityId: r.after.id,
        before: toTransaction(r.before), after: toTransaction(r.after),
      })
      return { ...r, tenantId }
    })
    if (result.credited) {
      await opts.ctx.jobs.scheduleCoa({ tenantId: result.tenantId, transactionId: result.after.id }).catch((err) => request.log.error({ err }, 'could not schedule CoA'))
    }
    return toTransaction(result.after)
  })

  app.post('/c2b/register-urls', {
    schema: {
      tags, summary: 'Register this tenant\'s C2B confirmation/validation URLs with Daraja (paybill payments made directly)',
      body: z.object({ responseType: z.enum(['Completed', 'Cancelled']).default('Completed') }),
      response: { 200: z.object({ confirmationUrl: z.string(), validationUrl: z.string(), daraja: z.unknown() }), ...ERROR_RESPONSES },
    },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => {
    const tenant = await request.withTenant((trx, tenantId) => findTenantById(trx, tenantId))
    if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found')
    const urls = tenantHookUrls(tenant, opts.ctx.config)
    try {
      const daraja = await darajaClientForTenant(tenant, opts.ctx).registerC2bUrls({ confirmationUrl: urls.c2bConfirm, validationUrl: urls.c2bValidate, responseType: request.body.responseType })
      await request.withTenant((trx) => audit(trx, request, { action: 'mpesa.c2b.register-urls', entityType: 'tenant', entityId: tenant.id, after: { confirmationUrl: urls.c2bConfirm } }))
      return { confirmationUrl: urls.c2bConfirm, validationUrl: urls.c2bValidate, daraja }
    } catch (err) {
      // "Urls are already registered" in production: they must be deleted on the M-Pesa portal first.
      if (err instanceof DarajaError) throw new AppError('PROVIDER_REJECTED', `Daraja refused the registration: ${err.details.errorMessage ?? err.message}`, { cause: err })
      throw err
    }
  })
}
