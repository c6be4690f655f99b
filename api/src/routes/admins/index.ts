/**
 * The tenant's own admin logins (owners add staff or co-owners, change roles, deactivate) and the audit log
 * of admin actions. Deactivating someone ends their sessions at once.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  createAdminUser, deleteOtherAdminSessionsAcrossTenants, findAdminUserById, hashPassword, listAdminUsers, listAuditLog, updateAdminUser,
  type AdminUserRow, type AdminUserUpdate,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

const TenantRole = z.enum(['TENANT_OWNER', 'TENANT_STAFF'])
const AdminSchema = z.object({
  id: z.uuid(), email: z.string(), fullName: z.string(), role: z.string(), isActive: z.boolean(), lastLoginAt: IsoDateTime.nullable(), createdAt: IsoDateTime,
})
const CreateAdminBodySchema = z.object({ email: z.email(), fullName: z.string().max(200).default(''), role: TenantRole, password: z.string().min(10).max(1024) }).strict()
const UpdateAdminBodySchema = z.object({ fullName: z.string().max(200).optional(), role: TenantRole.optional(), isActive: z.boolean().optional() }).strict()
const AuditQuerySchema = PaginationQuerySchema.extend({ entityType: z.string().max(50).optional(), entityId: z.string().max(100).optional() })
const AuditEntrySchema = z.object({
  id: z.number().int(), actorId: z.uuid().nullable(), actorType: z.string(), action: z.string(), entityType: z.string(), entityId: z.string().nullable(),
  before: z.unknown(), after: z.unknown(), requestId: z.string().nullable(), ip: z.string().nullable(), createdAt: IsoDateTime,
})

function toAdmin(row: AdminUserRow): z.infer<typeof AdminSchema> {
  return { id: row.id, email: row.email, fullName: row.full_name, role: row.role, isActive: row.is_active, lastLoginAt: iso(row.last_login_at), createdAt: row.created_at.toISOString() }
}
const snapshot = (row: AdminUserRow) => ({ ...row, password_hash: '[redacted]' })

/** /api/admins and /api/audit-log */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const owner = requireRole(OWNER_ROLES)

  app.get('/admins', { schema: { tags: ['admins'], summary: "The tenant's admin logins", response: { 200: z.object({ items: z.array(AdminSchema) }), ...ERROR_RESPONSES } }, preHandler: owner },
    async (request) => request.withTenant(async (trx, tenantId) => ({ items: (await listAdminUsers(trx, tenantId)).map(toAdmin) })))

  app.post('/admins', { schema: { tags: ['admins'], summary: 'Add a staff member or co-owner', body: CreateAdminBodySchema, response: { 201: AdminSchema, ...ERROR_RESPONSES } }, preHandler: owner },
    async (request, reply) => {
      const b = request.body
      const passwordHash = await hashPassword(b.password)
      const row = await request.withTenant(async (trx, tenantId) => {
        const created = await createAdminUser(trx, { tenant_id: tenantId, email: b.email, full_name: b.fullName, role: b.role, password_hash: passwordHash })
        await audit(trx, request, { action: 'admin.created', entityType: 'admin_user', entityId: created.id, after: snapshot(created) })
        return created
      })
      return reply.code(201).send(toAdmin(row))
    })

  app.patch('/admins/:id', { schema: { tags: ['admins'], summary: 'Rename, change role, or (de)activate an admin', params: IdParamsSchema, body: UpdateAdminBodySchema, response: { 200: AdminSchema, ...ERROR_RESPONSES } }, preHandler: owner },
    async (request) => {
      const b = request.body
      if (request.params.id === request.admin!.id && (b.isActive === false || b.role === 'TENANT_STAFF')) {
        // An owner locking themselves out could leave the tenant without an owner.
        throw new AppError('CONFLICT', 'You cannot deactivate or demote yourself')
      }
      const after = await request.withTenant(async (trx, tenantId) => {
        const before = await findAdminUserById(trx, tenantId, request.params.id)
        if (!before) throw new AppError('NOT_FOUND', 'Admin not found')
        const u: AdminUserUpdate = {}
        if (b.fullName !== undefined) u.full_name = b.fullName
        if (b.role !== undefined) u.role = b.role
        if (b.isActive !== undefined) u.is_active = b.isActive
        const row = Object.keys(u).length ? (await updateAdminUser(trx, tenantId, before.id, u))! : before
        await audit(trx, request, { action: 'admin.updated', entityType: 'admin_user', entityId: before.id, before: snapshot(before), after: snapshot(row) })
        return row
      })
      if (!after.is_active) await deleteOtherAdminSessionsAcrossTenants(app.db, after.id, null)
      return toAdmin(after)
    })

  app.get('/audit-log', { schema: { tags: ['admins'], summary: 'Who did what, when, with before/after', querystring: AuditQuerySchema, response: { 200: z.object({ items: z.array(AuditEntrySchema), limit: z.number().int(), offset: z.number().int() }), ...ERROR_RESPONSES } }, preHandler: owner },
    async (request) => request.withTenant(async (trx, tenantId) => {
      const rows = await listAuditLog(trx, tenantId, request.query)
      return {
        items: rows.map((r) => ({ id: r.id, actorId: r.actor_id, actorType: r.actor_type, action: r.action, entityType: r.entity_type, entityId: r.entity_id, before: r.before, after: r.after, requestId: r.request_id, ip: r.ip, createdAt: r.created_at.toISOString() })),
        limit: request.query.limit, offset: request.query.offset,
      }
    }))
}
