import { z } from 'zod'
import { WIFI_USER_SORTS, type RadacctRow, type WifiUserRow } from '@mnetifi/db'
import { ACCOUNT_TYPES, USER_STATUSES } from '@mnetifi/db/domain'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

const UserFieldsSchema = z.object({
  accountType: z.enum(ACCOUNT_TYPES),
  /** Kenyan mobile in any common form (07…, 2547…, +254 7…); stored as 2547XXXXXXXX. */
  phoneNumber: z.string().max(20).nullable().optional(),
  email: z.email().nullable().optional(),
  fullName: z.string().max(200).optional(),
  /** RADIUS User-Name; defaults to the normalised phone number. */
  username: z.string().min(1).max(253).regex(/^\S+$/, 'must not contain spaces').optional(),
  /** RADIUS password; generated when omitted (and answered once). */
  password: z.string().min(4).max(128).optional(),
  currentPlanId: z.uuid().nullable().optional(),
  expiryTime: IsoDateTime.nullable().optional(),
  homeHotspotId: z.uuid().nullable().optional(),
  /** PPPoE without a static address: the router's /ip pool name. */
  framedPool: z.string().min(1).max(64).nullable().optional(),
  notes: z.string().max(2000).optional(),
})
export const CreateUserBodySchema = UserFieldsSchema.strict()
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>
/** Plain edits. Plan, expiry, status and hotspot changes go through the audited actions (they touch live sessions). */
export const UpdateUserBodySchema = UserFieldsSchema.pick({
  phoneNumber: true, email: true, fullName: true, username: true, password: true, framedPool: true, notes: true,
}).partial().strict()
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>

export const ListUsersQuerySchema = PaginationQuerySchema.extend({
  search: z.string().max(100).optional().describe('phone, name or username'),
  status: z.enum(USER_STATUSES).optional(),
  accountType: z.enum(ACCOUNT_TYPES).optional(),
  planId: z.uuid().optional(),
  hotspotId: z.uuid().optional(),
  sort: z.enum(WIFI_USER_SORTS).optional().describe('default: newest first'),
  order: z.enum(['asc', 'desc']).optional(),
})

export const UserSchema = z.object({
  id: z.uuid(), accountType: z.enum(ACCOUNT_TYPES), phoneNumber: z.string().nullable(), email: z.string().nullable(),
  fullName: z.string(), username: z.string(), currentPlanId: z.uuid().nullable(), expiryTime: IsoDateTime.nullable(),
  status: z.enum(USER_STATUSES), homeHotspotId: z.uuid().nullable(), framedPool: z.string().nullable(), notes: z.string(),
  archivedAt: IsoDateTime.nullable(), createdAt: IsoDateTime, updatedAt: IsoDateTime,
})
export type User = z.infer<typeof UserSchema>

export const CreatedUserSchema = z.object({ user: UserSchema, password: z.string().describe('The RADIUS password, shown once') })

/** User row → API shape (the RADIUS password is never listed). */
export function toUser(row: WifiUserRow): User {
  return {
    id: row.id, accountType: row.account_type, phoneNumber: row.phone_number, email: row.email, fullName: row.full_name,
    username: row.username, currentPlanId: row.current_plan_id, expiryTime: iso(row.expiry_time), status: row.status,
    homeHotspotId: row.home_hotspot_id, framedPool: row.framed_pool, notes: row.notes, archivedAt: iso(row.archived_at),
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  }
}

/** Audit snapshot without the RADIUS password. */
export function userSnapshot(row: WifiUserRow): Record<string, unknown> {
  return { ...row, password: '[redacted]' }
}

/** One accounting session of a user (radacct row), open when stoppedAt is null. Input octets are the upload. */
export const SessionHistorySchema = z.object({
  id: z.number().int(), acctSessionId: z.string(), nasIp: z.string(), framedIp: z.string().nullable(), macAddress: z.string().nullable(),
  startedAt: IsoDateTime.nullable(), stoppedAt: IsoDateTime.nullable(), sessionTimeSeconds: z.number().int(),
  uploadBytes: z.number().int(), downloadBytes: z.number().int(), terminateCause: z.string().nullable(),
})

/** radacct row → session history item. */
export function toSessionHistory(r: RadacctRow): z.infer<typeof SessionHistorySchema> {
  return {
    id: Number(r.radacctid), acctSessionId: r.acctsessionid, nasIp: r.nasipaddress, framedIp: r.framedipaddress || null,
    macAddress: r.callingstationid || null, startedAt: iso(r.acctstarttime), stoppedAt: iso(r.acctstoptime),
    sessionTimeSeconds: Number(r.acctsessiontime ?? 0), uploadBytes: Number(r.acctinputoctets ?? 0), downloadBytes: Number(r.acctoutputoctets ?? 0),
    terminateCause: r.acctterminatecause || null,
  }
}
