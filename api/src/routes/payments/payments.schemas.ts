/** Schemas of the admin payments routes (transactions, reconciliation report, CSV export, resolve). */
import { z } from 'zod'
import { RECONCILIATION_STATUSES, TRANSACTION_KINDS, TRANSACTION_STATUSES } from '@mnetifi/db/domain'
import { TRANSACTION_SORTS, type TransactionFilter, type TransactionRow } from '@mnetifi/db'
import { iso, PaginationQuerySchema } from '../common.schemas.js'

/** Filters shared by the list, the report and the CSV export. */
export const TransactionFilterQuerySchema = z.object({
  status: z.enum(TRANSACTION_STATUSES).optional(),
  reconciliationStatus: z.enum([...RECONCILIATION_STATUSES, 'NONE']).optional(),
  kind: z.enum(TRANSACTION_KINDS).optional(),
  hotspotId: z.uuid().optional(),
  phone: z.string().regex(/^254\d{9}$/, 'use the 2547XXXXXXXX form').optional(),
  receipt: z.string().regex(/^[A-Za-z0-9]{10}$/).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  unresolved: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  userId: z.uuid().optional(),
})
export type TransactionFilterQuery = z.infer<typeof TransactionFilterQuerySchema>
/** Filters plus pagination. */
export const ListTransactionsQuerySchema = TransactionFilterQuerySchema.extend(PaginationQuerySchema.shape).extend({
  sort: z.enum(TRANSACTION_SORTS).optional().describe('default: newest first'), order: z.enum(['asc', 'desc']).optional(),
})

/** Query → db filter. */
export function toFilter(q: TransactionFilterQuery): TransactionFilter {
  return {
    ...(q.status ? { status: q.status } : {}), ...(q.reconciliationStatus ? { reconciliationStatus: q.reconciliationStatus } : {}),
    ...(q.kind ? { kind: q.kind } : {}), ...(q.hotspotId ? { hotspotId: q.hotspotId } : {}), ...(q.phone ? { phone: q.phone } : {}),
    ...(q.receipt ? { receipt: q.receipt } : {}), ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.unresolved ? { unresolved: true } : {}), ...(q.userId ? { userId: q.userId } : {}),
  }
}

/** A transaction as the admin API shows it (amount in minor units). */
export const TransactionSchema = z.object({
  id: z.uuid(), kind: z.enum(TRANSACTION_KINDS), status: z.enum(TRANSACTION_STATUSES), amount: z.number().int().describe('minor units'),
  currency: z.string(), phone: z.string(), userId: z.uuid().nullable(), planId: z.uuid().nullable(), hotspotId: z.uuid().nullable(),
  macAddress: z.string().nullable(), receipt: z.string().nullable(), checkoutRequestId: z.string().nullable(),
  resultCode: z.string().nullable(), resultDesc: z.string().nullable(), failureReason: z.string().nullable(),
  reconciliationStatus: z.enum(RECONCILIATION_STATUSES).nullable(), reconciliationNote: z.string().nullable(),
  settledBy: z.string().nullable(), resolution: z.enum(['CREDITED', 'REFUNDED']).nullable(), resolvedAt: z.string().nullable(),
  creditedAt: z.string().nullable(), completedAt: z.string().nullable(), createdAt: z.string(),
})
export type TransactionDto = z.infer<typeof TransactionSchema>
export const TransactionDetailSchema = TransactionSchema.extend({
  providerLog: z.array(z.object({ at: z.string(), kind: z.string(), data: z.unknown() })),
})

/** Row → API shape. */
export function toTransaction(t: TransactionRow): TransactionDto {
  return {
    id: t.id, kind: t.kind, status: t.status, amount: t.amount, currency: t.currency, phone: t.user_phone, userId: t.user_id,
    planId: t.plan_id, hotspotId: t.hotspot_id, macAddress: t.mac_address, receipt: t.mpesa_receipt, checkoutRequestId: t.checkout_request_id,
    resultCode: t.result_code, resultDesc: t.result_desc, failureReason: t.failure_reason, reconciliationStatus: t.reconciliation_status,
    reconciliationNote: t.reconciliation_note, settledBy: t.settled_by, resolution: t.resolution, resolvedAt: iso(t.resolved_at),
    creditedAt: iso(t.credited_at), completedAt: iso(t.completed_at), createdAt: t.created_at.toISOString(),
  }
}

const BucketSchema = z.object({
  key: z.string(), status: z.enum(TRANSACTION_STATUSES), reconciliationStatus: z.enum(RECONCILIATION_STATUSES).nullable(),
  count: z.number().int(), amount: z.number().int(), credited: z.number().int(),
})
export const ReportSchema = z.object({
  timeZone: z.string(), total: z.array(BucketSchema), byDay: z.array(BucketSchema), byHotspot: z.array(BucketSchema),
})

export const ResolveBodySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('credit'), planId: z.uuid(), phone: z.string().min(9).max(20), note: z.string().max(500).optional() }),
  z.object({ action: z.literal('refund'), note: z.string().min(1).max(500) }),
])
