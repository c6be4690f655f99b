/**
 * /api/notifications/messages and /costs — what was sent to whom, with its delivery status and the provider's
 * reason (list with filters, one, send a FAILED one again), and the providers' cost per channel.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findNotificationById, listNotifications, requeueFailedNotification, sumNotificationCosts } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { audit } from '../../lib/audit.js'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import { CostsQuerySchema, CostsSchema, ListMessagesQuerySchema, MessageSchema, toMessage } from './notifications.schemas.js'

/** Registers the message routes (mounted by notificationRoutes). */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications']
  const staff = requireRole(STAFF_ROLES)
  const owner = requireRole(OWNER_ROLES)

  app.get('/messages', {
    schema: { tags, summary: 'List messages (newest first) by status, channel, event, recipient, user or time', querystring: ListMessagesQuerySchema, response: { 200: pageOf(MessageSchema), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const q = request.query
    const { rows, total } = await listNotifications(trx, tenantId, {
      ...(q.status ? { status: q.status } : {}), ...(q.channel ? { channel: q.channel } : {}), ...(q.event ? { event: q.event } : {}),
      ...(q.recipient ? { recipient: q.recipient } : {}), ...(q.userId ? { userId: q.userId } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}), ...(q.to ? { to: new Date(q.to) } : {}),
    }, { limit: q.limit, offset: q.offset })
    return { items: rows.map(toMessage), total, limit: q.limit, offset: q.offset }
  }))

  app.get('/messages/:id', {
    schema: { tags, summary: 'One message with its delivery status', params: IdParamsSchema, response: { 200: MessageSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const row = await findNotificationById(trx, tenantId, request.params.id)
    if (!row) throw new AppError('NOT_FOUND', 'Message not found')
    return toMessage(row)
  }))

  app.post('/messages/:id/retry', {
    schema: { tags, summary: 'Send a FAILED message again (after fixing its cause, e.g. the provider account); not login codes', params: IdParamsSchema, response: { 200: MessageSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await findNotificationById(trx, tenantId, request.params.id)
    if (!before) throw new AppError('NOT_FOUND', 'Message not found')
    // A login code was scrubbed once it failed, and is worthless minutes later anyway.
    const after = await requeueFailedNotification(trx, tenantId, before.id, new Date())
    if (!after) throw new AppError('CONFLICT', before.event === 'otp.code' ? 'Login codes are not sent again; the customer asks for a new one' : `Only FAILED messages are sent again (this one is ${before.status})`)
    await audit(trx, request, { action: 'notifications.message.retried', entityType: 'notification', entityId: after.id, before: { status: before.status, failureReason: before.last_error }, after: { status: after.status } })
    return toMessage(after)
  }))

  app.get('/costs', {
    schema: { tags, summary: 'Provider cost of messages per channel and currency (SMS: as Africa\'s Talking reported it)', querystring: CostsQuerySchema, response: { 200: CostsSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const rows = await sumNotificationCosts(trx, tenantId, {
      ...(request.query.from ? { from: new Date(request.query.from) } : {}), ...(request.query.to ? { to: new Date(request.query.to) } : {}),
    })
    return { items: rows.map((r) => ({ channel: r.channel, currency: r.currency, messages: r.messages, amountE4: r.costE4 })) }
  }))
}
