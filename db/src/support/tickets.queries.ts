/**
 * Support tickets and their history. Every change to a ticket appends a ticket_events row in the same
 * transaction, so the history is complete by construction.
 */
import type { Executor } from '../executor.js'
import type { NewTicket, TicketEventRow, TicketRow, TicketUpdate } from './tickets.table.js'

/** Opens a ticket. */
export async function createTicket(db: Executor, ticket: NewTicket): Promise<TicketRow> {
  return db.insertInto('tickets').values(ticket).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's ticket by id, or undefined. */
export async function findTicketById(db: Executor, tenantId: string, ticketId: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('tenant_id', '=', tenantId).where('id', '=', ticketId).executeTakeFirst()
}

/** A page of a tenant's tickets with the total, newest first. */
export async function searchTickets(
  db: Executor, tenantId: string,
  options: { status?: 'OPEN' | 'CLOSED'; assigneeId?: string; userId?: string; limit: number; offset: number },
): Promise<{ rows: TicketRow[]; total: number }> {
  let q = db.selectFrom('tickets').where('tenant_id', '=', tenantId)
  if (options.status) q = q.where('status', '=', options.status)
  if (options.assigneeId) q = q.where('assignee_id', '=', options.assigneeId)
  if (options.userId) q = q.where('user_id', '=', options.userId)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

/** Updates a tenant's ticket; undefined when it is not the tenant's. */
export async function updateTicket(db: Executor, tenantId: string, ticketId: string, changes: TicketUpdate): Promise<TicketRow | undefined> {
  return db.updateTable('tickets').set(changes).where('tenant_id', '=', tenantId).where('id', '=', ticketId).returningAll().executeTakeFirst()
}

/** Appends a history event. */
export async function createTicketEvent(
  db: Executor, event: { tenant_id: string; ticket_id: string; actor_id: string | null; event: string; detail: Record<string, unknown> },
): Promise<TicketEventRow> {
  return db.insertInto('ticket_events').values({ ...event, detail: JSON.stringify(event.detail) }).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's ticket history, oldest first. */
export async function listTicketEvents(db: Executor, tenantId: string, ticketId: string): Promise<TicketEventRow[]> {
  return db.selectFrom('ticket_events').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).orderBy('id').execute()
}
