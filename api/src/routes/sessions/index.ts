/**
 * Live sessions: open radacct rows per tenant/hotspot with usage so far, and Disconnect (RFC 5176 §3.1).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findLiveSessionById, listLiveSessions, type LiveSessionRow } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { disconnectSessions } from '../../lib/live-session.js'
import { removeSessionsViaRouters } from '../../routeros/session-actions.js'
import { ERROR_RESPONSES, iso, IsoDateTime, pageOf, PaginationQuerySchema } from '../common.schemas.js'

const LiveSessionSchema = z.object({
  id: z.number().int().describe('radacct id'), acctSessionId: z.string(), username: z.string().nullable(), userId: z.uuid().nullable(),
  nasIp: z.string(), hotspotId: z.uuid().nullable(), hotspotName: z.string().nullable(),
  service: z.enum(['HOTSPOT', 'PPPOE']), framedIp: z.string().nullable(), macAddress: z.string().nullable(),
  startedAt: IsoDateTime.nullable(), lastUpdateAt: IsoDateTime.nullable(),
  sessionTimeSeconds: z.number().int(), uploadBytes: z.number().int(), downloadBytes: z.number().int(),
})

/** radacct row → API shape. Input octets are what the user sent (upload). */
function toLiveSession(row: LiveSessionRow, now: Date) {
  const fromClock = row.acctstarttime ? Math.max(0, Math.floor((now.getTime() - row.acctstarttime.getTime()) / 1000)) : 0
  return {
    id: row.radacctid, acctSessionId: row.acctsessionid, username: row.username, userId: row.user_id, nasIp: row.nasipaddress,
    hotspotId: row.hotspot_id, hotspotName: row.location_name, service: row.framedprotocol === 'PPP' ? 'PPPOE' as const : 'HOTSPOT' as const,
    framedIp: row.framedipaddress, macAddress: row.callingstationid, startedAt: iso(row.acctstarttime), lastUpdateAt: iso(row.acctupdatetime),
    // Interim updates lag; the wall clock since start is the better live figure.
    sessionTimeSeconds: Math.max(row.acctsessiontime ?? 0, fromClock),
    uploadBytes: row.acctinputoctets ?? 0, downloadBytes: row.acctoutputoctets ?? 0,
  }
}

const ListQuerySchema = PaginationQuerySchema.extend({ hotspotId: z.uuid().optional(), username: z.string().max(253).optional() })
const ParamsSchema = z.object({ id: z.coerce.number().int().positive() })
const DisconnectResultSchema = z.object({
  session: LiveSessionSchema,
  result: z.object({ path: z.string(), outcome: z.enum(['ack', 'nak', 'timeout', 'unavailable']) }),
})

/** /api/sessions */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['sessions']
  app.get('/', {
    schema: { tags, summary: 'Open sessions with usage so far', querystring: ListQuerySchema, response: { 200: pageOf(LiveSessionSchema), ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const { rows, total } = await listLiveSessions(trx, tenantId, request.query)
    const now = new Date()
    return { items: rows.map((r) => toLiveSession(r, now)), total, limit: request.query.limit, offset: request.query.offset }
  }))

  app.post('/:id/disconnect', {
    schema: { tags, summary: 'Disconnect a live session (RouterOS API, else RFC 5176 Disconnect-Request)', params: ParamsSchema, response: { 200: DisconnectResultSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => {
    const session = await request.withTenant(async (trx, tenantId) => {
      const row = await findLiveSessionById(trx, tenantId, request.params.id)
      if (!row) throw new AppError('NOT_FOUND', 'No such live session')
      await audit(trx, request, { action: 'session.disconnect-requested', entityType: 'radacct', entityId: String(row.radacctid), before: { username: row.username, nas: row.nasipaddress, acctsessionid: row.acctsessionid } })
      return row
    })
    // The router's API first (exact, and it works where a router ignores Disconnect-Requests); RFC 5176 otherwise.
    const viaRouter = await removeSessionsViaRouters(app.db, request.tenantId!, [session], (h) => app.routerClientFor(h))
    if (viaRouter.effect.path === 'router-api' && viaRouter.rest.length === 0) {
      // Not on the router any more: it is a ghost (reconciliation closes its radacct row), like a Disconnect-NAK.
      return { session: toLiveSession(session, new Date()), result: { path: 'router-api', outcome: viaRouter.effect.sessions > 0 ? 'ack' as const : 'nak' as const } }
    }
    const effect = await disconnectSessions(app.sessionControl, [session])
    const outcome: 'ack' | 'nak' | 'timeout' | 'unavailable' = effect.path === 'radius-disconnect' ? effect.outcomes[0] ?? 'timeout' : 'unavailable'
    return { session: toLiveSession(session, new Date()), result: { path: effect.path, outcome } }
  })
}
