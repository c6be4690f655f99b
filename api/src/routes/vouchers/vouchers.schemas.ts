import { z } from 'zod'
import { VOUCHER_STATUSES } from '@mnetifi/db/domain'
import type { VoucherRow } from '@mnetifi/db'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'
import { UserSchema } from '../users/users.schemas.js'

export const CreateBatchBodySchema = z.object({
  planId: z.uuid(),
  count: z.number().int().min(1).max(1000),
  validUntil: IsoDateTime.optional().describe('Unredeemed vouchers stop working after this'),
}).strict()

export const ListVouchersQuerySchema = PaginationQuerySchema.extend({
  batchId: z.uuid().optional(), status: z.enum(VOUCHER_STATUSES).optional(), planId: z.uuid().optional(),
})

export const RedeemBodySchema = z.object({
  code: z.string().min(1).max(40),
  userId: z.uuid().optional(),
  phoneNumber: z.string().max(20).optional(),
}).strict().refine((b) => !(b.userId && b.phoneNumber), { message: 'give userId or phoneNumber, not both', path: ['phoneNumber'] })

export const BatchParamsSchema = z.object({ batchId: z.uuid() })

export const VoucherSchema = z.object({
  id: z.uuid(), batchId: z.uuid(), code: z.string(), planId: z.uuid(), status: z.enum(VOUCHER_STATUSES),
  redeemedByUserId: z.uuid().nullable(), redeemedAt: IsoDateTime.nullable(), validUntil: IsoDateTime.nullable(), createdAt: IsoDateTime,
})

export const BatchSchema = z.object({ batchId: z.uuid(), vouchers: z.array(VoucherSchema) })
export const RedemptionSchema = z.object({ voucher: VoucherSchema, user: UserSchema, createdUser: z.boolean() })

/** Voucher row → API shape. */
export function toVoucher(row: VoucherRow): z.infer<typeof VoucherSchema> {
  return {
    id: row.id, batchId: row.batch_id, code: row.code, planId: row.plan_id, status: row.status, redeemedByUserId: row.redeemed_by_user_id,
    redeemedAt: iso(row.redeemed_at), validUntil: iso(row.valid_until), createdAt: row.created_at.toISOString(),
  }
}
