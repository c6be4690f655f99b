/**
 * Vouchers: owners generate batches for a plan and export them (CSV, printable PDF) or revoke unused ones;
 * staff may list and redeem (redeeming credits a user exactly once, see vouchers.service.ts).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { createVouchers, findPlanById, findVoucherById, findTenantById, listVoucherBatch, revokeVoucher, searchVouchers, type Executor } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import { normalisePhoneField } from '../users/users.service.js'
import { toUser } from '../users/users.schemas.js'
import { generateVoucherCode } from './voucher-codes.js'
import { vouchersToCsv, vouchersToPdf } from './vouchers.exports.js'
import { redeemVoucher, type RedeemTarget } from './vouchers.service.js'
import { BatchParamsSchema, BatchSchema, CreateBatchBodySchema, ListVouchersQuerySchema, RedeemBodySchema, RedemptionSchema, toVoucher, VoucherSchema } from './vouchers.schemas.js'

async function loadBatch(trx: Executor, tenantId: string, batchId: string) {
  const vouchers = await listVoucherBatch(trx, tenantId, batchId)
  if (vouchers.length === 0) throw new AppError('NOT_FOUND', 'Batch not found')
  const plan = (await findPlanById(trx, tenantId, vouchers[0]!.plan_id))!
  const tenant = (await findTenantById(trx, tenantId))!
  return { vouchers, plan, ispName: tenant.branding_config?.name ?? tenant.name }
}

/** /api/vouchers */
export const voucherRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['vouchers']
  const owner = requireRole(OWNER_ROLES)
  const staff = requireRole(STAFF_ROLES)
  const fileResponse = { 200: z.any().describe('file download'), ...ERROR_RESPONSES }

  app.post('/batches', {
    schema: { tags, summary: 'Generate a batch of vouchers for a plan', body: CreateBatchBodySchema, response: { 201: BatchSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request, reply) => {
    const { planId, count, validUntil } = request.body
    const batchId = randomUUID()
    const rows = await request.withTenant(async (trx, tenantId) => {
      const plan = await findPlanById(trx, tenantId, planId)
      if (!plan || plan.archived_at) throw new AppError('NOT_FOUND', 'Plan not found', { details: [{ path: 'body.planId', message: 'no such plan' }] })
      // Duplicates within a batch are astronomically unlikely (54-bit codes) but cheap to rule out here.
      const codes = new Set<string>()
      while (codes.size < count) codes.add(generateVoucherCode())
      const created = await createVouchers(trx, [...codes].map((code) => ({
        tenant_id: tenantId, batch_id: batchId, code, plan_id: plan.id, created_by: request.admin!.id, valid_until: validUntil ? new Date(validUntil) : null,
      })))
      await audit(trx, request, { action: 'vouchers.generated', entityType: 'voucher_batch', entityId: batchId, after: { planId, count, validUntil: validUntil ?? null } })
      return created
    })
    return reply.code(201).send({ batchId, vouchers: rows.map(toVoucher) })
  })

  app.get('/', {
    schema: { tags, summary: 'List vouchers by batch, status or plan', querystring: ListVouchersQuerySchema, response: { 200: pageOf(VoucherSchema), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const { rows, total } = await searchVouchers(trx, tenantId, request.query)
    return { items: rows.map(toVoucher), total, limit: request.query.limit, offset: request.query.offset }
  }))

  app.get('/batches/:batchId/export.csv', {
    schema: { tags, summary: 'Export a batch as CSV', params: BatchParamsSchema, produces: ['text/csv'], response: fileResponse },
    preHandler: owner,
  }, async (request, reply) => {
    const { vouchers, plan } = await request.withTenant((trx, tenantId) => loadBatch(trx, tenantId, request.params.batchId))
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="vouchers-${request.params.batchId}.csv"`).send(vouchersToCsv(vouchers, plan))
  })

  app.get('/batches/:batchId/export.pdf', {
    schema: { tags, summary: 'Printable PDF sheet of a batch (24 cards per A4 page)', params: BatchParamsSchema, produces: ['application/pdf'], response: fileResponse },
    preHandler: owner,
  }, async (request, reply) => {
    const batch = await request.withTenant((trx, tenantId) => loadBatch(trx, tenantId, request.params.batchId))
    const pdf = await vouchersToPdf(batch.vouchers, batch.plan, batch.ispName)
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="vouchers-${request.params.batchId}.pdf"`).send(pdf)
  })

  app.post('/redeem', {
    schema: { tags, summary: 'Redeem a voucher for a user, a phone number, or a new code-named user (exactly once)', body: RedeemBodySchema, response: { 200: RedemptionSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => {
    const { code, userId, phoneNumber } = request.body
    const target: RedeemTarget = userId ? { userId } : phoneNumber ? { phoneNumber: normalisePhoneField(phoneNumber) } : {}
    const result = await request.withTenant(async (trx, tenantId) => {
      const r = await redeemVoucher(trx, tenantId, code, target)
      await audit(trx, request, { action: 'voucher.redeemed', entityType: 'voucher', entityId: r.voucher.id, before: { status: 'UNUSED' }, after: { status: 'REDEEMED', userId: r.user.id, expiryTime: r.user.expiry_time } })
      return r
    })
    return { voucher: toVoucher(result.voucher), user: toUser(result.user), createdUser: result.createdUser }
  })

  app.post('/:id/revoke', {
    schema: { tags, summary: 'Revoke an unused voucher', params: IdParamsSchema, response: { 200: VoucherSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const row = await revokeVoucher(trx, tenantId, request.params.id)
    if (!row) {
      const exists = await findVoucherById(trx, tenantId, request.params.id)
      if (!exists) throw new AppError('NOT_FOUND', 'Voucher not found')
      throw new AppError('CONFLICT', `This voucher is already ${exists.status.toLowerCase()}`)
    }
    await audit(trx, request, { action: 'voucher.revoked', entityType: 'voucher', entityId: row.id, before: { status: 'UNUSED' }, after: { status: 'REVOKED' } })
    return toVoucher(row)
  }))
}
