/**
 * The hotspot's router, live: `GET /api/hotspots/:id/router-health` (API reachable, tunnel handshake age, last
 * login and interim, clock and provisioning drift) and `POST /api/hotspots/:id/reconcile-sessions` (ghost
 * sessions, on demand; the worker also runs it every GHOST_SESSION_INTERVAL_SECONDS).
 */
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findHotspotById, updateHotspot, type HotspotRow } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import type { Config } from '../../config.js'
import { audit } from '../../lib/audit.js'
import { withTenantScope } from '../../lib/tenant-scope.js'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { reconcileRouterSessions } from '../../routeros/ghost-sessions.service.js'
import { provisioningInputOf } from '../../routeros/provisioning.service.js'
import { checkRouterHealth } from '../../routeros/router-health.service.js'
import { ERROR_RESPONSES, IdParamsSchema } from '../common.schemas.js'

/** Options of {@link routerRoutes}. */
export interface RouterRoutesOptions {
  readonly config: Config
}

const RouterHealthSchema = z.object({
  hotspotId: z.uuid(), checkedAt: z.string(),
  api: z.union([
    z.object({ reachable: z.literal(true), identity: z.string(), version: z.string(), uptimeSeconds: z.number() }),
    z.object({ reachable: z.literal(false), code: z.string(), message: z.string() }),
  ]),
  tunnelHandshakeAgeSeconds: z.number().nullable(), lastLoginAt: z.string().nullable(), lastInterimAt: z.string().nullable(),
  openSessions: z.number().int(),
  coa: z.object({ requests: z.number().int(), acks: z.number().int(), successRate: z.number().nullable().describe('acks / requests') }),
  clockDriftSeconds: z.number().nullable(), provisioningDrift: z.array(z.string()).nullable(),
})

const ReconcileResultSchema = z.object({
  hotspotId: z.uuid(), routerSessions: z.number().int(), openRows: z.number().int(),
  closed: z.array(z.number().int()).describe('radacct ids closed: the router no longer had them'),
  unaccounted: z.array(z.object({ kind: z.enum(['hotspot', 'ppp']), id: z.string(), user: z.string(), address: z.string(), uptimeSeconds: z.number() })),
  kicked: z.number().int(),
})

/** Registers the routes (mount at `/api/hotspots`). */
export const routerRoutes: FastifyPluginAsyncZod<RouterRoutesOptions> = async (app, { config }) => {
  const tags = ['hotspots']

  async function hotspotOf(tenantId: string, id: string): Promise<HotspotRow> {
    const row = await withTenantScope(app.db, tenantId, (trx) => findHotspotById(trx, tenantId, id))
    if (!row || row.archived_at) throw new AppError('NOT_FOUND', 'Hotspot not found')
    return row
  }

  app.get('/:id/router-health', {
    schema: { tags, summary: 'Router health: API, tunnel handshake, accounting, clock and provisioning drift', params: IdParamsSchema, response: { 200: RouterHealthSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => {
    const tenantId = await request.withTenant(async (_trx, id) => id)
    const row = await hotspotOf(tenantId, request.params.id)
    const client = row.router_api_user && row.router_api_pass && (row.router_api_ip ?? row.vpn_address) ? app.routerClientFor(row) : undefined
    const expected = row.vpn_address && row.vpn_private_key && config.VPN_SERVER_PRIVATE_KEY && config.VPN_ENDPOINT ? provisioningInputOf(row, app.secretBox, config) : undefined
    const health = await checkRouterHealth(app.db, row, client, expected)
    // The dashboard's ONLINE/OFFLINE follows what the router API answered.
    await withTenantScope(app.db, tenantId, (trx) => updateHotspot(trx, tenantId, row.id, health.api.reachable
      ? { connectivity_status: 'ONLINE', last_seen_at: new Date(health.checkedAt) } : { connectivity_status: 'OFFLINE' }))
    return { ...health, provisioningDrift: health.provisioningDrift ? [...health.provisioningDrift] : null }
  })

  app.post('/:id/reconcile-sessions', {
    schema: {
      tags, summary: 'Reconcile the router\'s sessions with accounting now (close ghosts; optionally kick unaccounted sessions)', params: IdParamsSchema,
      body: z.object({ kickUnaccounted: z.boolean().default(false) }).strict().default({ kickUnaccounted: false }), response: { 200: ReconcileResultSchema, ...ERROR_RESPONSES },
    },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => {
    const tenantId = await request.withTenant(async (_trx, id) => id)
    const row = await hotspotOf(tenantId, request.params.id)
    const result = await reconcileRouterSessions(app.db, row, app.routerClientFor(row), { kickUnaccounted: request.body.kickUnaccounted })
    await request.withTenant((trx) => audit(trx, request, { action: 'hotspot.sessions-reconciled', entityType: 'hotspot', entityId: row.id, after: { closed: result.closed, kicked: result.kicked } }))
    return { ...result, closed: [...result.closed], unaccounted: [...result.unaccounted] }
  })
}
