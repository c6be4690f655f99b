/**
 * `mnetifi vpn server-config [--out FILE]`: the MnetiFi server's WireGuard config (wg-quick format) with one peer
 * per provisioned hotspot of every tenant — the same file the API rewrites on each provisioning. Printed, or
 * written atomically (mode 0600: it holds the private key) and applied with `wg syncconf` when the `wg` tools and
 * the interface are there. docker/compose.yaml runs it once before its WireGuard endpoint starts.
 */
import { parseConfig } from '@mnetifi/db'
import { RouterConfigSchema, renderServerTunnelsAcrossTenants } from '@mnetifi/api'
import { applyServerConfig } from '@mnetifi/vpn'
import { parse, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = [
  'mnetifi vpn server-config [--out FILE]   the server\'s wg-quick config, one [Peer] per provisioned hotspot',
  '  (settings from VPN_* variables: VPN_SERVER_PRIVATE_KEY and VPN_ENDPOINT are required; --out also applies it',
  '  to VPN_INTERFACE with wg syncconf when that interface is up)',
].join('\n')

export const vpn: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { out: { type: 'string' } }, USAGE)
  const [sub, ...rest] = positionals
  if (sub !== 'server-config') throw new UsageError(sub ? `unknown subcommand ${sub}` : 'a subcommand is required', USAGE)
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`, USAGE)
  const config = parseConfig(RouterConfigSchema, ctx.env)
  const rendered = await renderServerTunnelsAcrossTenants(ctx.db(), ctx.secretBox(), config)
  const peers = rendered.split('\n').filter((l) => l === '[Peer]').length
  if (!values.out) {
    ctx.out(rendered.trimEnd())
    return 0
  }
  const outcome = await applyServerConfig(rendered, { path: values.out, interfaceName: config.VPN_INTERFACE })
  ctx.out(`wrote ${values.out} (${peers} peer${peers === 1 ? '' : 's'}); ${outcome.method === 'syncconf' ? `applied to ${config.VPN_INTERFACE} with wg syncconf` : `not applied: ${outcome.reason}`}`)
  return 0
}
