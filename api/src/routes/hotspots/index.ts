/**
 * Hotspots (MikroTik NAS). The RADIUS secret is generated here and shown once (on create and rotate); the
 * router API password is write-only. Owners manage hotspots; staff may read them.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { createHotspot, findHotspotById, searchHotspots, secretContext, updateHotspot, type HotspotRow, type HotspotUpdate, type SecretBox } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema, pageOf } from '../common.schemas.js'
import {
  CreateHotspotBodySchema, HotspotSchema, hotspotSnapshot, HotspotWithSecretSchema, ListHotspotsQuerySchema, toHotspot,
  UpdateHotspotBodySchema, type UpdateHotspotBody,
} from './hotspots.schemas.js'

/** A RADIUS shared secret: 24 characters from 144 random bits (RFC 2865 §3 asks for ≥ 16 octets, unguessable). */
export function generateRadiusSecret(): string {
  return randomBytes(18).toString('base64url')
}

function toUpdate(body: UpdateHotspotBody, box: SecretBox, hotspotId: string): HotspotUpdate {
  const u: HotspotUpdate = {}
  if (body.locationName !== undefined) u.location_name = body.locationName
  if (body.nasIp !== undefined) u.nas_ip = body.nasIp
  if (body.nasIdentifier !== undefined) u.nas_identifier = body.nasIdentifier
  if (body.coaPort !== undefined) u.coa_port = body.coaPort
  if (body.macAuthEnabled !== undefined) u.mac_auth_enabled = body.macAuthEnabled
  if (body.requireMessageAuthenticator !== undefined) u.require_message_authenticator = body.requireMessageAuthenticator
  if (body.acctInterimInterval !== undefined) u.acct_interim_interval = body.acctInterimInterval
  if (body.idleTimeout !== undefined) u.idle_timeout = body.idleTimeout
  const r = body.routerApi
  if (r?.ip !== undefined) u.router_api_ip = r.ip
  if (r?.port !== undefined) u.router_api_port = r.port
  if (r?.tls !== undefined) u.router_api_tls = r.tls
  if (r?.user !== undefined) u.router_api_user = r.user
  if (r?.password !== undefined) {
    u.router_api_pass = r.password === null ? null : box.encrypt(r.password, secretContext('hotspots', 'router_api_pass', hotspotId))
  }
  return u
}

/** Options of {@link hotspotRoutes}. */
export interface HotspotRoutesOptions {
  /** Called after a hotspot is archived (the server's tunnel peers change). Its failure is logged, not answered. */
  readonly onArchived?: (hotspot: HotspotRow) => Promise<void>
}

/** /api/hotspots */
export const hotspotRoutes: FastifyPluginAsyncZod<HotspotRoutesOptions> = async (app, opts) => {
  const tags = ['hotspots']
  const owner = requireRole(OWNER_ROLES)

  app.get('/', {
    schema: { tags, summary: 'List hotspots', querystring: ListHotspotsQuerySchema, response: { 200: pageOf(HotspotSchema), ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const { rows, total } = await searchHotspots(trx, tenantId, request.query)
    return { items: rows.map(toHotspot), total, limit: request.query.limit, offset: request.query.offset }
  }))

  app.post('/', {
    schema: { tags, summary: 'Add a hotspot; answers its RADIUS secret once', body: CreateHotspotBodySchema, response: { 201: HotspotWithSecretSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request, reply) => {
    const secret = generateRadiusSecret()
    const row = await request.withTenant(async (trx, tenantId) => {
      const { routerApi, ...rest } = request.body
      const created = await createHotspot(trx, { tenant_id: tenantId, location_name: rest.locationName, nas_ip: rest.nasIp, radius_secret: secret })
      // The router password is sealed with the row id as context, so it is set once the id exists.
      const full = await updateHotspot(trx, tenantId, created.id, toUpdate({ ...rest, ...(routerApi ? { routerApi } : {}) }, app.secretBox, created.id))
      await audit(trx, request, { action: 'hotspot.created', entityType: 'hotspot', entityId: created.id, after: hotspotSnapshot(full!) })
      return full!
    })
    return reply.code(201).send({ hotspot: toHotspot(row), radiusSecret: secret })
  })

  app.get('/:id', {
    schema: { tags, summary: 'Show a hotspot', params: IdParamsSchema, response: { 200: HotspotSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const row = await findHotspotById(trx, tenantId, request.params.id)
    if (!row) throw new AppError('NOT_FOUND', 'Hotspot not found')
    return toHotspot(row)
  }))

  app.patch('/:id', {
    schema: { tags, summary: 'Update a hotspot (router API password is write-only)', params: IdParamsSchema, body: UpdateHotspotBodySchema, response: { 200: HotspotSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await findHotspotById(trx, tenantId, request.params.id)
    if (!before) throw new AppError('NOT_FOUND', 'Hotspot not found')
    const changes = toUpdate(request.body, app.secretBox, before.id)
    const after = Object.keys(changes).length ? (await updateHotspot(trx, tenantId, before.id, changes))! : before
    await audit(trx, request, { action: 'hotspot.updated', entityType: 'hotspot', entityId: before.id, before: hotspotSnapshot(before), after: hotspotSnapshot(after) })
    return toHotspot(after)
  }))

  app.post('/:id/rotate-secret', {
    schema: { tags, summary: 'Generate a new RADIUS secret; answers it once', params: IdParamsSchema, response: { 200: HotspotWithSecretSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const secret = generateRadiusSecret()
    const row = await updateHotspot(trx, tenantId, request.params.id, { radius_secret: secret })
    if (!row) throw new AppError('NOT_FOUND', 'Hotspot not found')
    await audit(trx, request, { action: 'hotspot.secret-rotated', entityType: 'hotspot', entityId: row.id })
    return { hotspot: toHotspot(row), radiusSecret: secret }
  }))

  app.delete('/:id', {
    schema: { tags, summary: 'Archive a hotspot (its NAS entry is removed; history stays)', params: IdParamsSchema, response: { 200: HotspotSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await findHotspotById(trx, tenantId, request.params.id)
    if (!before) throw new AppError('NOT_FOUND', 'Hotspot not found')
    if (before.archived_at) return before
    const after = (await updateHotspot(trx, tenantId, before.id, { archived_at: new Date() }))!
    await audit(trx, request, { action: 'hotspot.archived', entityType: 'hotspot', entityId: before.id, before: hotspotSnapshot(before), after: hotspotSnapshot(after) })
    return after
  }).then(async (after) => {
    if (opts.onArchived && after.archived_at) {
      await opts.onArchived(after).catch((err: unknown) => request.log.error({ err, hotspotId: after.id }, 'tunnel sync after archive failed'))
    }
    return toHotspot(after)
  }))
}
