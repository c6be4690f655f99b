import { z } from 'zod'
import type { PlanRow } from '@mnetifi/db'
import { ACCOUNT_TYPES, renderRateLimit } from '@mnetifi/db/domain'
import { iso, IsoDateTime } from '../common.schemas.js'

const bps = z.number().int().positive().describe('bits per second')

const PlanFieldsSchema = z.object({
  name: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
  price: z.number().int().min(0).describe('minor units (cents)'),
  durationSeconds: z.number().int().positive().describe('exact to the second'),
  uploadLimit: bps,
  downloadLimit: bps,
  burstRateUp: bps.nullable().optional(),
  burstRateDown: bps.nullable().optional(),
  burstThresholdUp: bps.nullable().optional(),
  burstThresholdDown: bps.nullable().optional(),
  burstTime: z.number().int().positive().nullable().optional().describe('seconds'),
  priority: z.number().int().min(1).max(8).nullable().optional(),
  dataQuota: z.number().int().positive().nullable().optional().describe('bytes'),
  accountTypes: z.array(z.enum(ACCOUNT_TYPES)).min(1).refine((a) => new Set(a).size === a.length, 'must not repeat a type'),
  simultaneousUse: z.number().int().min(1).optional(),
  acctInterimInterval: z.number().int().min(60).nullable().optional(),
  idleTimeout: z.number().int().positive().nullable().optional(),
  isActive: z.boolean().optional(),
})
export const CreatePlanBodySchema = PlanFieldsSchema.strict()
export type CreatePlanBody = z.infer<typeof CreatePlanBodySchema>
export const UpdatePlanBodySchema = PlanFieldsSchema.partial().strict()
export type UpdatePlanBody = z.infer<typeof UpdatePlanBodySchema>

export const ListPlansQuerySchema = z.object({
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  accountType: z.enum(ACCOUNT_TYPES).optional(),
})

export const PlanSchema = z.object({
  id: z.uuid(), name: z.string(), description: z.string(), price: z.number().int(), currency: z.string(),
  durationSeconds: z.number().int(), uploadLimit: z.number().int(), downloadLimit: z.number().int(),
  burstRateUp: z.number().int().nullable(), burstRateDown: z.number().int().nullable(),
  burstThresholdUp: z.number().int().nullable(), burstThresholdDown: z.number().int().nullable(),
  burstTime: z.number().int().nullable(), priority: z.number().int().nullable(), dataQuota: z.number().int().nullable(),
  accountTypes: z.array(z.enum(ACCOUNT_TYPES)), simultaneousUse: z.number().int(),
  acctInterimInterval: z.number().int().nullable(), idleTimeout: z.number().int().nullable(), isActive: z.boolean(),
  rateLimit: z.string().describe('The Mikrotik-Rate-Limit value the router receives'),
  archivedAt: IsoDateTime.nullable(), createdAt: IsoDateTime, updatedAt: IsoDateTime,
})
export type Plan = z.infer<typeof PlanSchema>

/** Plan row → API shape, with the rendered rate limit. */
export function toPlan(row: PlanRow): Plan {
  return {
    id: row.id, name: row.name, description: row.description, price: row.price, currency: row.currency,
    durationSeconds: row.duration_seconds, uploadLimit: row.upload_limit, downloadLimit: row.download_limit,
    burstRateUp: row.burst_rate_up, burstRateDown: row.burst_rate_down, burstThresholdUp: row.burst_threshold_up,
    burstThresholdDown: row.burst_threshold_down, burstTime: row.burst_time, priority: row.priority, dataQuota: row.data_quota,
    accountTypes: row.account_types, simultaneousUse: row.simultaneous_use, acctInterimInterval: row.acct_interim_interval,
    idleTimeout: row.idle_timeout, isActive: row.is_active, rateLimit: renderRateLimit(row),
    archivedAt: iso(row.archived_at), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  }
}
