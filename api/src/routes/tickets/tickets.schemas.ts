import { z } from 'zod'
import { TICKET_STATUSES } from '@mnetifi/db/domain'
import type { TicketEventRow, TicketRow } from '@mnetifi/db'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

export const CreateTicketBodySchema = z.object({
  userId: z.uuid().nullable().optional(),
  subject: z.string().max(200).default(''),
  issueDetails: z.string().min(1).max(5000),
  assigneeId: z.uuid().nullable().optional(),
}).strict()
export const UpdateTicketBodySchema = z.object({
  subject: z.string().max(200).optional(),
  issueDetails: z.string().min(1).max(5000).optional(),
  assigneeId: z.uuid().nullable().optional(),
}).strict()
export const CloseTicketBodySchema = z.object({ resolutionNotes: z.string().min(1).max(5000) }).strict()
export const NoteBodySchema = z.object({ note: z.string().min(1).max(5000) }).strict()
export const ListTicketsQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(TICKET_STATUSES).optional(), assigneeId: z.uuid().optional(), userId: z.uuid().optional(),
})

export const TicketSchema = z.object({
  id: z.uuid(), userId: z.uuid().nullable(), status: z.enum(TICKET_STATUSES), subject: z.string(), issueDetails: z.string(),
  resolutionNotes: z.string().nullable(), assigneeId: z.uuid().nullable(), createdBy: z.uuid().nullable(),
  createdAt: IsoDateTime, updatedAt: IsoDateTime, closedAt: IsoDateTime.nullable(),
})
export const TicketEventSchema = z.object({ id: z.number().int(), actorId: z.uuid().nullable(), event: z.string(), detail: z.record(z.string(), z.unknown()), createdAt: IsoDateTime })
export const TicketWithHistorySchema = TicketSchema.extend({ history: z.array(TicketEventSchema) })

/** Ticket row → API shape. */
export function toTicket(row: TicketRow): z.infer<typeof TicketSchema> {
  return {
    id: row.id, userId: row.user_id, status: row.status, subject: row.subject, issueDetails: row.issue_details,
    resolutionNotes: row.resolution_notes, assigneeId: row.assignee_id, createdBy: row.created_by,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(), closedAt: iso(row.closed_at),
  }
}

/** Event row → API shape. */
export function toTicketEvent(row: TicketEventRow): z.infer<typeof TicketEventSchema> {
  return { id: row.id, actorId: row.actor_id, event: row.event, detail: (row.detail ?? {}) as Record<string, unknown>, createdAt: row.created_at.toISOString() }
}
