/**
 * A hotspot row → where and how to reach its router's API. The password is opened from its AES-GCM envelope
 * (bound to `hotspots.router_api_pass:<id>`) only here, only in memory; it is never logged or returned.
 */
import { secretContext, type HotspotRow, type SecretBox } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import type { RouterTarget } from './connection.js'

/**
 * The router API target of a hotspot: its `router_api_ip`, else its tunnel address (the API is reached through the
 * WireGuard tunnel, digest §5.1).
 * @throws AppError ROUTER_NOT_CONFIGURED naming what is missing.
 */
export function routerTargetOf(hotspot: HotspotRow, box: SecretBox): RouterTarget {
  const host = hotspot.router_api_ip ?? hotspot.vpn_address
  const missing = [
    ...(host ? [] : ['an API address (or a tunnel address)']),
    ...(hotspot.router_api_user ? [] : ['an API user']),
    ...(hotspot.router_api_pass ? [] : ['an API password']),
  ]
  if (missing.length) throw new AppError('ROUTER_NOT_CONFIGURED', `The router of hotspot "${hotspot.location_name}" is missing ${missing.join(', ')}`)
  return {
    host: host!, port: hotspot.router_api_port, tls: hotspot.router_api_tls, user: hotspot.router_api_user!,
    password: box.decrypt(hotspot.router_api_pass!, secretContext('hotspots', 'router_api_pass', hotspot.id)),
  }
}
