/**
 * One-paste router provisioning.
 * - `POST /api/hotspots/:id/provisioning` (owner): prepares the hotspot (tunnel address = NAS address, WireGuard
 *   keys, API user), adds it to the server's wg0.conf, and answers the one line to paste into the router terminal.
 * - `GET /api/hotspots/:id/provisioning/script` (owner): the same script as a `.rsc` download.
 * - `GET /api/provisioning/:token/mnetifi.rsc` and `…/hotspot/:file` (public, for the router's `/tool fetch`): the
 *   token is random, stored hashed, and expires (PROVISIONING_TOKEN_TTL_SECONDS) because the script holds secrets.
 * - `GET /api/provisioning/suspended/:hotspotId/login.html` (public, no secrets): the "service suspended" page a
 *   blocked tenant's routers show every customer (tenant-block.ts).
 */
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findHotspotByProvisioningTokenAcrossTenants, findTenantById, type HotspotRow } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import type { Config } from '../../config.js'
import { audit } from '../../lib/audit.js'
import { withTenantScope } from '../../lib/tenant-scope.js'
import { OWNER_ROLES, requireRole } from '../../plugins/auth.js'
import { renderProvisioningScript } from '../../routeros/provisioning-script.js'
import {
  hashProvisioningToken, issueProvisioningToken, prepareHotspotTunnelAcrossTenants, provisioningInputOf, provisioningOneLiner, provisioningUrls,
  syncServerTunnelsAcrossTenants,
} from '../../routeros/provisioning.service.js'
import { ERROR_RESPONSES, IdParamsSchema } from '../common.schemas.js'
import { escapeHotspotHtml, HOTSPOT_FILE_NAMES, renderHotspotFile } from './hotspot-files.js'

/** Options of {@link provisioningRoutes}. */
export interface ProvisioningRoutesOptions {
  readonly config: Config
}

const ProvisioningSchema = z.object({
  oneLiner: z.string().describe('Paste into the router terminal (RouterOS v7): fetches, imports and deletes the script'),
  scriptUrl: z.string().describe('The script URL inside the one-liner; works until expiresAt'),
  expiresAt: z.string(),
  tunnelAddress: z.string().describe('The router\'s WireGuard address, also its NAS address for RADIUS'),
  serverTunnels: z.object({ method: z.enum(['syncconf', 'file']), reason: z.string().optional() }).describe('How the server\'s wg0.conf was applied'),
})

/** Registers the routes (mount at `/api`). */
export const provisioningRoutes: FastifyPluginAsyncZod<ProvisioningRoutesOptions> = async (app, { config }) => {
  const tags = ['hotspots']

  /** Prepares the hotspot, refreshes the server tunnels and issues a token; the caller renders. */
  async function prepare(tenantId: string, hotspotId: string) {
    const row = await prepareHotspotTunnelAcrossTenants(app.db, app.secretBox, config, tenantId, hotspotId)
    const { outcome } = await syncServerTunnelsAcrossTenants(app.db, app.secretBox, config)
    const issued = await withTenantScope(app.db, tenantId, (trx) => issueProvisioningToken(trx, tenantId, hotspotId, config.PROVISIONING_TOKEN_TTL_SECONDS))
    return { row, outcome, ...issued }
  }

  app.post('/hotspots/:id/provisioning', {
    schema: { tags, summary: 'Prepare a router for one-paste provisioning; answers the line to paste', params: IdParamsSchema, response: { 200: ProvisioningSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request) => {
    const tenantId = await request.withTenant(async (_trx, id) => id)
    const { row, outcome, token, expiresAt } = await prepare(tenantId, request.params.id)
    await request.withTenant((trx) => audit(trx, request, { action: 'hotspot.provisioning-issued', entityType: 'hotspot', entityId: row.id, after: { vpn_address: row.vpn_address } }))
    const scriptUrl = provisioningUrls(config.PUBLIC_BASE_URL, token).script
    return {
      oneLiner: provisioningOneLiner(scriptUrl), scriptUrl, expiresAt: expiresAt.toISOString(), tunnelAddress: row.vpn_address!,
      serverTunnels: outcome.method === 'file' ? { method: 'file' as const, reason: outcome.reason } : { method: 'syncconf' as const },
    }
  })

  app.get('/hotspots/:id/provisioning/script', {
    schema: {
      tags, summary: 'Download the router\'s provisioning script (.rsc, RouterOS v7)', params: IdParamsSchema, produces: ['text/plain'],
      response: { 200: z.string().describe('the .rsc file, as an attachment'), ...ERROR_RESPONSES },
    },
    preHandler: requireRole(OWNER_ROLES),
  }, async (request, reply) => {
    const tenantId = await request.withTenant(async (_trx, id) => id)
    const { row, token } = await prepare(tenantId, request.params.id)
    await request.withTenant((trx) => audit(trx, request, { action: 'hotspot.provisioning-downloaded', entityType: 'hotspot', entityId: row.id }))
    return sendScript(reply, row, token)
  })

  function sendScript(reply: import('fastify').FastifyReply, row: HotspotRow, token: string) {
    const script = renderProvisioningScript(provisioningInputOf(row, app.secretBox, config, token))
    return reply.type('text/plain; charset=utf-8').header('content-disposition', 'attachment; filename="mnetifi.rsc"').header('cache-control', 'no-store').send(script)
  }

  /** The hotspot a token opens, or 404 for an unknown or expired one (the same answer, so tokens cannot be probed). */
  async function byToken(token: string): Promise<HotspotRow> {
    const row = await findHotspotByProvisioningTokenAcrossTenants(app.db, hashProvisioningToken(token), new Date())
    if (!row) throw new AppError('NOT_FOUND', 'This provisioning link is unknown or has expired: issue a new one')
    return row
  }

  const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/)
  app.get('/provisioning/:token/mnetifi.rsc', {
    schema: {
      tags, summary: 'The provisioning script, for the router\'s /tool fetch (token from POST …/provisioning)', params: z.object({ token: TokenSchema }),
      produces: ['text/plain'], security: [], response: { 200: z.string(), 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404] },
    },
  }, async (request, reply) => {
    const { token } = request.params
    return sendScript(reply, await byToken(token), token)
  })

  app.get('/provisioning/suspended/:hotspotId/login.html', {
    schema: {
      tags, summary: 'The "service suspended" login page a blocked ISP\'s router shows (fetched by the router)', params: z.object({ hotspotId: z.uuid() }),
      produces: ['text/html'], security: [], response: { 200: z.string(), 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404] },
    },
  }, async (request, reply) => {
    const hotspot = await app.db.selectFrom('hotspots').select(['tenant_id']).where('id', '=', request.params.hotspotId).executeTakeFirst()
    if (!hotspot) throw new AppError('NOT_FOUND', 'Hotspot not found')
    const tenant = (await withTenantScope(app.db, hotspot.tenant_id, (trx) => findTenantById(trx, hotspot.tenant_id)))!
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(suspendedPage(tenant.branding_config?.name || tenant.name))
  })

  app.get('/provisioning/:token/hotspot/:file', {
    schema: {
      tags, summary: 'A hotspot page the provisioning script fetches into the router', params: z.object({ token: TokenSchema, file: z.enum(HOTSPOT_FILE_NAMES) }),
      produces: ['text/html'], security: [], response: { 200: z.string(), 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404] },
    },
  }, async (request, reply) => {
    const row = await byToken(request.params.token)
    const tenant = await withTenantScope(app.db, row.tenant_id, (trx) => findTenantById(trx, row.tenant_id))
    const html = renderHotspotFile(request.params.file, {
      publicBaseUrl: config.PUBLIC_BASE_URL, subdomain: tenant!.subdomain, ispName: tenant!.branding_config?.name || tenant!.name, hotspotId: row.id,
    })
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
  })
}

/** The page a blocked ISP's customers see: no login form, who to contact. `$` is escaped for MikroTik. */
function suspendedPage(ispName: string): string {
  const name = escapeHotspotHtml(ispName)
  return [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${name}: service suspended</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}</style></head>',
    `<body><h1>${name} Wi-Fi is temporarily unavailable</h1>`,
    '<p>This service is suspended for now. Please contact your provider; you will be able to log in again as soon as it is restored.</p>',
    '</body></html>', '',
  ].join('\n')
}
