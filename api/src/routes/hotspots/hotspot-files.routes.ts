/**
 * GET /api/hotspots/:id/hotspot-files/:file — the router pages (login.html, rlogin.html, alogin.html,
 * status.html) that hand this hotspot's customers to the captive portal, as a download for the router's
 * html-directory. Same roles as reading a hotspot (staff may read). Rendering is hotspot-files.ts.
 */
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findHotspotById, findTenantById } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { ERROR_RESPONSES } from '../common.schemas.js'
import { HOTSPOT_FILE_NAMES, renderHotspotFile } from './hotspot-files.js'

/** Options of {@link hotspotFileRoutes}. */
export interface HotspotFileRoutesOptions {
  /** The API's PUBLIC_BASE_URL: the portal is served at `<it>/portal/<subdomain>/`. */
  readonly publicBaseUrl: string
}

const ParamsSchema = z.object({ id: z.uuid(), file: z.enum(HOTSPOT_FILE_NAMES) })

/** Registers the route (mount at `/api/hotspots`). */
export const hotspotFileRoutes: FastifyPluginAsyncZod<HotspotFileRoutesOptions> = async (app, opts) => {
  app.get('/:id/hotspot-files/:file', {
    schema: {
      tags: ['hotspots'], summary: 'Download a router page (login.html, rlogin.html, alogin.html, status.html) that sends customers to the portal',
      params: ParamsSchema, produces: ['text/html'], response: { 200: z.string().describe('the HTML file, as an attachment'), ...ERROR_RESPONSES },
    },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request, reply) => {
    const { id, file } = request.params
    const html = await request.withTenant(async (trx, tenantId) => {
      const hotspot = await findHotspotById(trx, tenantId, id)
      if (!hotspot) throw new AppError('NOT_FOUND', 'Hotspot not found')
      const tenant = (await findTenantById(trx, tenantId))!
      return renderHotspotFile(file, {
        publicBaseUrl: opts.publicBaseUrl, subdomain: tenant.subdomain, ispName: tenant.branding_config?.name || tenant.name, hotspotId: hotspot.id,
      })
    })
    return reply.type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`)
      .header('cache-control', 'no-store').send(html)
  })
}
