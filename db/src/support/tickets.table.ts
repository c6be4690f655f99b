import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { TicketStatus } from '../domain/enums.js'

export interface TicketsTable {
  id: Generated<string>
  tenant_id: string
  user_id: string | null
  status: Generated<TicketStatus>
  subject: Generated<string>
  issue_details: string
  resolution_notes: string | null
  assignee_id: string | null
  created_by: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  closed_at: Date | null
}
export type TicketRow = Selectable<TicketsTable>
export type NewTicket = Insertable<TicketsTable>
export type TicketUpdate = Updateable<TicketsTable>

export interface TicketEventsTable {
  id: Generated<number>
  tenant_id: string
  ticket_id: string
  actor_id: string | null
  event: string
  detail: Generated<unknown>
  created_at: Generated<Date>
}
export type TicketEventRow = Selectable<TicketEventsTable>
