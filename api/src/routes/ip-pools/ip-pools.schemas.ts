import { z } from 'zod'
import type { IpAssignmentRow, IpPoolUsageRow } from '@mnetifi/db'
import { IsoDateTime } from '../common.schemas.js'

/** IPv4 CIDR from /16 (65,534 hosts) to /30 (2 hosts); the address is normalised to the network. */
const Ipv4Cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2\d|30)$/, 'IPv4 CIDR between /16 and /30, e.g. 10.20.0.0/24')
  .refine((s) => s.split('/')[0]!.split('.').every((o) => Number(o) <= 255), 'octets must be 0–255')

export const CreatePoolBodySchema = z.object({
  name: z.string().min(1).max(64),
  cidr: Ipv4Cidr,
  gateway: z.ipv4().nullable().optional().describe('Excluded from allocation'),
  hotspotId: z.uuid().nullable().optional(),
}).strict()

export const ListPoolsQuerySchema = z.object({ hotspotId: z.uuid().optional() })
export const AssignBodySchema = z.object({ userId: z.uuid(), ipAddress: z.ipv4().optional().describe('Omit to take the next free address') }).strict()
export const AssignmentParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() })

export const PoolSchema = z.object({
  id: z.uuid(), name: z.string(), cidr: z.string(), gateway: z.string().nullable(), hotspotId: z.uuid().nullable(),
  size: z.number().int(), used: z.number().int(), free: z.number().int(), utilisation: z.number().describe('used / size, 0–1'),
  createdAt: IsoDateTime,
})
export const AssignmentSchema = z.object({ id: z.uuid(), poolId: z.uuid(), userId: z.uuid(), username: z.string().optional(), ipAddress: z.string(), createdAt: IsoDateTime })
export const UtilisationSchema = z.object({
  pools: z.array(PoolSchema),
  totals: z.object({ size: z.number().int(), used: z.number().int(), free: z.number().int(), utilisation: z.number() }),
})

/** Pool row → API shape with utilisation. */
export function toPool(row: IpPoolUsageRow): z.infer<typeof PoolSchema> {
  return {
    id: row.id, name: row.name, cidr: row.cidr, gateway: row.gateway, hotspotId: row.hotspot_id, size: row.size, used: row.used,
    free: row.size - row.used, utilisation: row.size === 0 ? 0 : Math.round((row.used / row.size) * 10_000) / 10_000, createdAt: row.created_at.toISOString(),
  }
}

/** Assignment row → API shape. */
export function toAssignment(row: IpAssignmentRow & { username?: string }): z.infer<typeof AssignmentSchema> {
  return { id: row.id, poolId: row.pool_id, userId: row.user_id, ...(row.username ? { username: row.username } : {}), ipAddress: row.ip_address, createdAt: row.created_at.toISOString() }
}
