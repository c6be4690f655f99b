import { z } from 'zod'
import type { HotspotRow } from '@mnetifi/db'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

const RouterApiInputSchema = z.object({
  ip: z.union([z.ipv4(), z.ipv6()]).nullable().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  tls: z.boolean().optional(),
  user: z.string().min(1).max(100).nullable().optional(),
  /** Write-only: stored encrypted, never returned. null clears it. */
  password: z.string().min(1).max(200).nullable().optional(),
}).strict()

const HotspotFieldsSchema = z.object({
  locationName: z.string().min(1).max(200),
  nasIp: z.union([z.ipv4(), z.ipv6()]).describe('Address RADIUS packets come from (the router behind the VPN)'),
  nasIdentifier: z.string().max(253).nullable().optional(),
  coaPort: z.number().int().min(1).max(65535).optional(),
  macAuthEnabled: z.boolean().optional(),
  requireMessageAuthenticator: z.boolean().optional(),
  acctInterimInterval: z.number().int().min(60).nullable().optional(),
  idleTimeout: z.number().int().min(1).nullable().optional(),
  routerApi: RouterApiInputSchema.optional(),
})
export const CreateHotspotBodySchema = HotspotFieldsSchema.strict()
export type CreateHotspotBody = z.infer<typeof CreateHotspotBodySchema>
export const UpdateHotspotBodySchema = HotspotFieldsSchema.partial().strict()
export type UpdateHotspotBody = z.infer<typeof UpdateHotspotBodySchema>

export const ListHotspotsQuerySchema = PaginationQuerySchema.extend({
  search: z.string().max(100).optional(),
  connectivity: z.enum(['UNKNOWN', 'ONLINE', 'OFFLINE']).optional(),
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
})

export const HotspotSchema = z.object({
  id: z.uuid(), locationName: z.string(), nasIp: z.string(), nasIdentifier: z.string().nullable(), coaPort: z.number().int(),
  macAuthEnabled: z.boolean(), requireMessageAuthenticator: z.boolean(), acctInterimInterval: z.number().int().nullable(),
  idleTimeout: z.number().int().nullable(),
  routerApi: z.object({ ip: z.string().nullable(), port: z.number().int(), tls: z.boolean(), user: z.string().nullable(), passwordSet: z.boolean() }),
  vpn: z.object({ address: z.string().nullable(), publicKey: z.string().nullable(), endpoint: z.string().nullable() }),
  connectivityStatus: z.enum(['UNKNOWN', 'ONLINE', 'OFFLINE']), lastSeenAt: IsoDateTime.nullable(),
  archivedAt: IsoDateTime.nullable(), createdAt: IsoDateTime, updatedAt: IsoDateTime,
})
export type Hotspot = z.infer<typeof HotspotSchema>

/** Returned once, when the secret is generated or rotated. */
export const HotspotWithSecretSchema = z.object({ hotspot: HotspotSchema, radiusSecret: z.string().describe('Shown once: configure it on the router now') })

/** Hotspot row → API shape: no RADIUS secret, router password only as a flag. */
export function toHotspot(row: HotspotRow): Hotspot {
  return {
    id: row.id, locationName: row.location_name, nasIp: row.nas_ip, nasIdentifier: row.nas_identifier, coaPort: row.coa_port,
    macAuthEnabled: row.mac_auth_enabled, requireMessageAuthenticator: row.require_message_authenticator,
    acctInterimInterval: row.acct_interim_interval, idleTimeout: row.idle_timeout,
    routerApi: { ip: row.router_api_ip, port: row.router_api_port, tls: row.router_api_tls, user: row.router_api_user, passwordSet: row.router_api_pass !== null },
    vpn: { address: row.vpn_address, publicKey: row.vpn_public_key, endpoint: row.vpn_endpoint },
    connectivityStatus: row.connectivity_status, lastSeenAt: iso(row.last_seen_at), archivedAt: iso(row.archived_at),
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  }
}

/** Audit snapshot without secrets. */
export function hotspotSnapshot(row: HotspotRow): Record<string, unknown> {
  return { ...row, radius_secret: '[redacted]', router_api_pass: row.router_api_pass ? '[set]' : null, vpn_private_key: row.vpn_private_key ? '[set]' : null, vpn_preshared_key: row.vpn_preshared_key ? '[set]' : null }
}
