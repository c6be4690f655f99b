import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import { createHotspot, findHotspotById, listHotspots, type HotspotRow } from '@mnetifi/db'
import { parse, printTable, required, UsageError } from '../args.js'
import type { Command } from '../context.js'
import { resolveTenant } from './tenant.js'

const USAGE = `mnetifi hotspot create --tenant T --name LOCATION --nas-ip IP [--secret S] [--require-message-auth]
mnetifi hotspot list --tenant T
mnetifi hotspot show --tenant T <id>`

/** A RADIUS shared secret: 24 characters from a URL-safe alphabet (RouterOS accepts any printable text). */
export function generateRadiusSecret(): string {
  return randomBytes(18).toString('base64url')
}

function summary(h: HotspotRow) {
  return { id: h.id, location: h.location_name, nas_ip: h.nas_ip, require_ma: h.require_message_authenticator, mac_auth: h.mac_auth_enabled, archived: h.archived_at }
}

export const hotspot: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, {
    tenant: { type: 'string' }, name: { type: 'string' }, 'nas-ip': { type: 'string' }, secret: { type: 'string' },
    'require-message-auth': { type: 'boolean' },
  }, USAGE)
  const [action, id] = positionals
  if (!['create', 'list', 'show'].includes(action ?? '')) {
    throw new UsageError(action ? `unknown hotspot action "${action}"` : 'hotspot needs an action', USAGE)
  }
  const tenant = await resolveTenant(ctx, required(values, 'tenant', USAGE))
  if (action === 'create') {
    const nasIp = required(values, 'nas-ip', USAGE)
    if (!isIP(nasIp)) throw new UsageError(`--nas-ip ${JSON.stringify(nasIp)} is not an IP address`, USAGE)
    const secret = values.secret ?? generateRadiusSecret()
    if (secret.length < 8) throw new UsageError('--secret must be at least 8 characters', USAGE)
    const row = await createHotspot(ctx.db(), {
      tenant_id: tenant.id, location_name: required(values, 'name', USAGE), nas_ip: nasIp, radius_secret: secret,
      require_message_authenticator: values['require-message-auth'] ?? false,
    })
    printTable([summary(row)], ctx.out)
    if (!values.secret) ctx.out(`RADIUS secret (shown once): ${secret}`)
    return 0
  }
  if (action === 'list') {
    printTable((await listHotspots(ctx.db(), tenant.id)).map(summary), ctx.out)
    return 0
  }
  if (!id) throw new UsageError('hotspot show needs an id', USAGE)
  const row = await findHotspotById(ctx.db(), tenant.id, id)
  if (!row) throw new UsageError(`no hotspot ${id} in tenant ${tenant.subdomain}`)
  const { radius_secret, router_api_pass, vpn_private_key, vpn_preshared_key, ...visible } = row
  ctx.out(JSON.stringify({ ...visible, radius_secret: '(hidden)', router_api_pass: router_api_pass ? '(encrypted, set)' : null }, null, 2))
  return 0
}
