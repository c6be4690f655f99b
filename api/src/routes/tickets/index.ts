/**
 * Support tickets: open one for a user, assign it to a staff member, add notes, close it with resolution
 * notes, reopen it. Every change appends to the ticket's history (ticket_events). Support staff role.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import {
  createTicket, createTicketEvent, findTicketById, findWifiUserById, listTicketEvents, searchTickets, updateTicket,
  type Executor, type TicketRow, type TicketUpdate,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { notifyTicketUpdated } from '../../notifications/customer-events.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import {
  CloseTicketBodySchema, CreateTicketBodySchema, ListTicketsQuerySchema, NoteBodySchema, TicketSchema, TicketWithHistorySchema,
  toTicket, toTicketEvent, UpdateTicketBodySchema,
} from './tickets.schemas.js'

async function assertAssignee(db: Executor, tenantId: string, adminId: string): Promise<void> {
  // Only the tenant's own admins can be assigned (RLS also hides other tenants' admins).
  const admin = await db.selectFrom('admin_users').select('id').where('tenant_id', '=', tenantId).where('id', '=', adminId).where('is_active', '=', true).executeTakeFirst()
  if (!admin) throw new AppError('NOT_FOUND', 'Assignee not found', { details: [{ path: 'body.assigneeId', message: 'no such staff member' }] })
}

async function getTicket(db: Executor, tenantId: string, id: string): Promise<TicketRow> {
  const t = await findTicketById(db, tenantId, id)
  if (!t) throw new AppError('NOT_FOUND', 'Ticket not found')
  return t
}

async function withHistory(db: Executor, tenantId: string, ticket: TicketRow) {
  return { ...toTicket(ticket), history: (await listTicketEvents(db, tenantId, ticket.id)).map(toTicketEvent) }
}

function event(db: Executor, request: FastifyRequest, tenantId: string, ticketId: string, name: string, detail: Record<string, unknown>) {
  return createTicketEvent(db, { tenant_id: tenantId, ticket_id: ticketId, actor_id: request.admin?.id ?? null, event: name, detail })
}

/** /api/tickets */
export const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['tickets']
  const staff = requireRole(STAFF_ROLES)
  const one = { 200: TicketWithHistorySchema, ...ERROR_RESPONSES }

  app.post('/', { schema: { tags, summary: 'Open a ticket', body: CreateTicketBodySchema, response: { 201: TicketWithHistorySchema, ...ERROR_RESPONSES } }, preHandler: staff },
    async (request, reply) => {
      const b = request.body
      const result = await request.withTenant(async (trx, tenantId) => {
        if (b.userId && !(await findWifiUserById(trx, tenantId, b.userId))) throw new AppError('NOT_FOUND', 'User not found', { details: [{ path: 'body.userId', message: 'no such user' }] })
        if (b.assigneeId) await assertAssignee(trx, tenantId, b.assigneeId)
        const t = await createTicket(trx, { tenant_id: tenantId, user_id: b.userId ?? null, subject: b.subject, issue_details: b.issueDetails, assignee_id: b.assigneeId ?? null, created_by: request.admin!.id })
        await event(trx, request, tenantId, t.id, 'opened', { subject: b.subject, assigneeId: b.assigneeId ?? null })
        return withHistory(trx, tenantId, t)
      })
      return reply.code(201).send(result)
    })

  app.get('/', { schema: { tags, summary: 'List tickets by status, assignee or user', querystring: ListTicketsQuerySchema, response: { 200: pageOf(TicketSchema), ...ERROR_RESPONSES } }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const { rows, total } = await searchTickets(trx, tenantId, request.query)
      return { items: rows.map(toTicket), total, limit: request.query.limit, offset: request.query.offset }
    }))

  app.get('/:id', { schema: { tags, summary: 'Show a ticket with its history', params: IdParamsSchema, response: one }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => withHistory(trx, tenantId, await getTicket(trx, tenantId, request.params.id))))

  app.patch('/:id', { schema: { tags, summary: 'Edit or (re)assign a ticket', params: IdParamsSchema, body: UpdateTicketBodySchema, response: one }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const before = await getTicket(trx, tenantId, request.params.id)
      const b = request.body
      const u: TicketUpdate = {}
      if (b.subject !== undefined) u.subject = b.subject
      if (b.issueDetails !== undefined) u.issue_details = b.issueDetails
      if (b.assigneeId !== undefined) {
        if (b.assigneeId) await assertAssignee(trx, tenantId, b.assigneeId)
        u.assignee_id = b.assigneeId
      }
      const after = Object.keys(u).length ? (await updateTicket(trx, tenantId, before.id, u))! : before
      if (b.assigneeId !== undefined && b.assigneeId !== before.assignee_id) await event(trx, request, tenantId, before.id, 'assigned', { from: before.assignee_id, to: b.assigneeId })
      if (b.subject !== undefined || b.issueDetails !== undefined) await event(trx, request, tenantId, before.id, 'edited', { subject: b.subject, issueDetails: b.issueDetails })
      return withHistory(trx, tenantId, after)
    }))

  app.post('/:id/notes', { schema: { tags, summary: 'Add a note to the history', params: IdParamsSchema, body: NoteBodySchema, response: one }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const t = await getTicket(trx, tenantId, request.params.id)
      await event(trx, request, tenantId, t.id, 'note', { note: request.body.note })
      return withHistory(trx, tenantId, t)
    }))

  app.post('/:id/close', { schema: { tags, summary: 'Close with resolution notes', params: IdParamsSchema, body: CloseTicketBodySchema, response: one }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const t = await getTicket(trx, tenantId, request.params.id)
      if (t.status === 'CLOSED') throw new AppError('CONFLICT', 'The ticket is already closed')
      const after = (await updateTicket(trx, tenantId, t.id, { status: 'CLOSED', closed_at: new Date(), resolution_notes: request.body.resolutionNotes }))!
      const closed = await event(trx, request, tenantId, t.id, 'closed', { resolutionNotes: request.body.resolutionNotes })
      await notifyTicketUpdated(trx, after, { eventId: closed.id, what: 'closed' }, new Date())
      return withHistory(trx, tenantId, after)
    }))

  app.post('/:id/reopen', { schema: { tags, summary: 'Reopen a closed ticket', params: IdParamsSchema, response: one }, preHandler: staff },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const t = await getTicket(trx, tenantId, request.params.id)
      if (t.status === 'OPEN') throw new AppError('CONFLICT', 'The ticket is already open')
      const after = (await updateTicket(trx, tenantId, t.id, { status: 'OPEN', closed_at: null }))!
      const reopened = await event(trx, request, tenantId, t.id, 'reopened', {})
      await notifyTicketUpdated(trx, after, { eventId: reopened.id, what: 'reopened' }, new Date())
      return withHistory(trx, tenantId, after)
    }))
}
