/**
 * Wi-Fi users (HOTSPOT, PPPOE, STATIC): list with search and filters, create, show, edit, archive.
 * Support staff may do all of this; money-affecting actions are in actions.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { createWifiUser, listSessionHistoryForUser, searchWifiUsers, updateWifiUser, type WifiUserUpdate } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf, PaginationQuerySchema } from '../common.schemas.js'
import {
  CreatedUserSchema, CreateUserBodySchema, ListUsersQuerySchema, SessionHistorySchema, toSessionHistory, toUser, UpdateUserBodySchema, UserSchema, userSnapshot,
} from './users.schemas.js'
import { assertHotspot, generateUserPassword, getPlanFor, getUser, normalisePhoneField } from './users.service.js'

/** /api/users */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users']
  const staff = requireRole(STAFF_ROLES)

  app.get('/', {
    schema: { tags, summary: 'Search users by phone, name or username, with filters', querystring: ListUsersQuerySchema, response: { 200: pageOf(UserSchema), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const q = request.query
    // Searching "0712 345 678" should find 254712345678.
    const search = q.search ? (q.search.match(/^[\d\s+()-]{9,}$/) ? (normalisePhoneOrSelf(q.search)) : q.search) : undefined
    const { rows, total } = await searchWifiUsers(trx, tenantId, { ...q, ...(search ? { search } : {}) })
    return { items: rows.map(toUser), total, limit: q.limit, offset: q.offset }
  }))

  app.post('/', {
    schema: { tags, summary: 'Create a user; answers the RADIUS password once', body: CreateUserBodySchema, response: { 201: CreatedUserSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request, reply) => {
    const b = request.body
    const phone = b.phoneNumber ? normalisePhoneField(b.phoneNumber) : null
    const username = b.username ?? phone
    if (!username) throw new AppError('VALIDATION_FAILED', 'A username or phone number is required', { details: [{ path: 'body.username', message: 'required without phoneNumber' }] })
    const password = b.password ?? generateUserPassword()
    const row = await request.withTenant(async (trx, tenantId) => {
      if (b.currentPlanId) await getPlanFor(trx, tenantId, b.currentPlanId, b.accountType, 'body.currentPlanId')
      if (b.homeHotspotId) await assertHotspot(trx, tenantId, b.homeHotspotId, 'body.homeHotspotId')
      const created = await createWifiUser(trx, {
        tenant_id: tenantId, account_type: b.accountType, phone_number: phone, email: b.email ?? null, full_name: b.fullName ?? '',
        username, password, current_plan_id: b.currentPlanId ?? null, expiry_time: b.expiryTime ? new Date(b.expiryTime) : null,
        home_hotspot_id: b.homeHotspotId ?? null, framed_pool: b.framedPool ?? null, notes: b.notes ?? '',
      })
      await audit(trx, request, { action: 'user.created', entityType: 'wifi_user', entityId: created.id, after: userSnapshot(created) })
      return created
    })
    return reply.code(201).send({ user: toUser(row), password })
  })

  app.get('/:id', {
    schema: { tags, summary: 'Show a user', params: IdParamsSchema, response: { 200: UserSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => toUser(await getUser(trx, tenantId, request.params.id))))

  app.get('/:id/sessions', {
    schema: { tags, summary: "A user's sessions, open and closed, newest first", params: IdParamsSchema, querystring: PaginationQuerySchema, response: { 200: pageOf(SessionHistorySchema), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const user = await getUser(trx, tenantId, request.params.id)
    const { rows, total } = await listSessionHistoryForUser(trx, tenantId, user.username, request.query)
    return { items: rows.map(toSessionHistory), total, limit: request.query.limit, offset: request.query.offset }
  }))

  app.patch('/:id', {
    schema: { tags, summary: 'Edit contact details, username, password, Framed-Pool or notes', params: IdParamsSchema, body: UpdateUserBodySchema, response: { 200: UserSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await getUser(trx, tenantId, request.params.id)
    const b = request.body
    const u: WifiUserUpdate = {}
    if (b.phoneNumber !== undefined) u.phone_number = b.phoneNumber === null ? null : normalisePhoneField(b.phoneNumber)
    if (b.email !== undefined) u.email = b.email
    if (b.fullName !== undefined) u.full_name = b.fullName
    if (b.username !== undefined) u.username = b.username
    if (b.password !== undefined) u.password = b.password
    if (b.framedPool !== undefined) u.framed_pool = b.framedPool
    if (b.notes !== undefined) u.notes = b.notes
    const after = Object.keys(u).length ? (await updateWifiUser(trx, tenantId, before.id, u))! : before
    await audit(trx, request, { action: 'user.updated', entityType: 'wifi_user', entityId: before.id, before: userSnapshot(before), after: userSnapshot(after) })
    return toUser(after)
  }))

  app.delete('/:id', {
    schema: { tags, summary: 'Archive a user (RADIUS stops accepting them; history stays)', params: IdParamsSchema, response: { 200: UserSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await getUser(trx, tenantId, request.params.id)
    const after = (await updateWifiUser(trx, tenantId, before.id, { archived_at: new Date() }))!
    await audit(trx, request, { action: 'user.archived', entityType: 'wifi_user', entityId: before.id, before: userSnapshot(before), after: userSnapshot(after) })
    return toUser(after)
  }))
}

function normalisePhoneOrSelf(input: string): string {
  try { return normalisePhoneField(input) } catch { return input }
}
