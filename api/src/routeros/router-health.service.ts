/**
 * Router health for the dashboard: is the API reachable (and what runs there), how old the tunnel's last
 * handshake is, when accounting last heard from the NAS, clock drift, and provisioning drift — where the router's
 * configuration no longer matches what MnetiFi's script set. Secrets are compared, never reported.
 */
import type { Kysely } from 'kysely'
import { findNasAccountingActivity, findNasCoaStats, type Database, type HotspotRow } from '@mnetifi/db'
import { isAppError } from '@mnetifi/db/domain'
import { withTenantScope } from '../lib/tenant-scope.js'
import type { RouterOsClient } from './client.js'
import { PROVISIONING_NAMES, type ProvisioningInput } from './provisioning-script.js'
import { parseBool } from './values.js'

/** One router's health. Times are ISO instants; ages and drift are seconds. */
export interface RouterHealth {
  readonly hotspotId: string
  readonly checkedAt: string
  readonly api: { readonly reachable: true; readonly identity: string; readonly version: string; readonly uptimeSeconds: number }
    | { readonly reachable: false; readonly code: string; readonly message: string }
  /** Seconds since the router's tunnel peer (MnetiFi) last shook hands; null: never, or unknown. */
  readonly tunnelHandshakeAgeSeconds: number | null
  /** Newest session start accounting recorded for this NAS (a successful login). */
  readonly lastLoginAt: string | null
  /** Newest interim update or stop accounting recorded for this NAS. */
  readonly lastInterimAt: string | null
  readonly openSessions: number
  /** CoA/Disconnect requests MnetiFi's API sent this router and how many it acknowledged; rate null before any. */
  readonly coa: { readonly requests: number; readonly acks: number; readonly successRate: number | null }
  /** Router clock minus ours; null when unreachable. */
  readonly clockDriftSeconds: number | null
  /** What differs from the rendered provisioning; null when unknown (unreachable or never provisioned). */
  readonly provisioningDrift: readonly string[] | null
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Checks one router. Never throws for router failures: they are the answer. */
export async function checkRouterHealth(
  db: Kysely<Database>, hotspot: HotspotRow, client: RouterOsClient | undefined, expected: ProvisioningInput | undefined, now: () => Date = () => new Date(),
): Promise<RouterHealth> {
  const [activity, coa] = await withTenantScope(db, hotspot.tenant_id, (trx) => Promise.all([
    findNasAccountingActivity(trx, hotspot.tenant_id, hotspot.nas_ip), findNasCoaStats(trx, hotspot.tenant_id, hotspot.nas_ip),
  ]))
  const base = {
    hotspotId: hotspot.id, checkedAt: now().toISOString(), lastLoginAt: iso(activity.lastStart), lastInterimAt: iso(activity.lastUpdate), openSessions: activity.open,
    coa: { requests: coa?.requests ?? 0, acks: coa?.acks ?? 0, successRate: coa && coa.requests > 0 ? coa.acks / coa.requests : null },
  }
  if (!client) {
    return { ...base, api: { reachable: false, code: 'ROUTER_NOT_CONFIGURED', message: 'The hotspot has no router API credentials' }, tunnelHandshakeAgeSeconds: null, clockDriftSeconds: null, provisioningDrift: null }
  }
  try {
    const [identity, resource, clock, peers] = await Promise.all([client.getIdentity(), client.getResource(), client.getClock(), client.listWireguardPeers()])
    const clockDriftSeconds = Math.round((clock.getTime() - now().getTime()) / 1000)
    const peer = peers.find((p) => expected ? p.publicKey === expected.tunnel.serverPublicKey : p.interface === 'wg-mnetifi')
    return {
      ...base, api: { reachable: true, identity, version: resource.version, uptimeSeconds: resource.uptimeSeconds },
      tunnelHandshakeAgeSeconds: peer?.lastHandshakeSeconds ?? null, clockDriftSeconds,
      provisioningDrift: expected ? await provisioningDrift(client, expected) : null,
    }
  } catch (err) {
    if (!isAppError(err)) throw err
    return { ...base, api: { reachable: false, code: err.code, message: err.message }, tunnelHandshakeAgeSeconds: null, clockDriftSeconds: null, provisioningDrift: null }
  }
}

/** The differences between the router's configuration and what the provisioning script sets. */
export async function provisioningDrift(client: RouterOsClient, expected: ProvisioningInput): Promise<string[]> {
  const t = expected.tunnel
  const out: string[] = []
  const [ifaces, peers, addresses, radius, incoming, profiles, aaa] = await Promise.all([
    client.run('/interface/wireguard/print', [`?name=${t.interfaceName}`]),
    client.run('/interface/wireguard/peers/print', [`?interface=${t.interfaceName}`]),
    client.run('/ip/address/print', [`?interface=${t.interfaceName}`]),
    client.listRadiusServers(),
    client.getRadiusIncoming(),
    client.run('/ip/hotspot/profile/print'),
    client.run('/ppp/aaa/print'),
  ])
  const iface = ifaces[0]
  if (!iface) out.push(`WireGuard interface ${t.interfaceName} is missing`)
  else if (iface.disabled === 'true') out.push(`WireGuard interface ${t.interfaceName} is disabled`)
  const peer = peers.find((p) => p['public-key'] === t.serverPublicKey)
  if (!peer) out.push('the MnetiFi WireGuard peer is missing or has another public key')
  else if (peer['allowed-address'] !== `${t.serverAddress}/32`) out.push(`the MnetiFi peer allows ${peer['allowed-address'] ?? 'nothing'}, not ${t.serverAddress}/32`)
  if (!addresses.some((a) => a.address === `${t.routerAddress}/${t.prefix}`)) out.push(`tunnel address ${t.routerAddress}/${t.prefix} is missing`)
  const server = radius.find((r) => r.comment === PROVISIONING_NAMES.comment)
  if (!server) out.push('the MnetiFi /radius entry is missing')
  else {
    if (server.disabled) out.push('the MnetiFi /radius entry is disabled')
    if (server.address !== t.serverAddress) out.push(`/radius points at ${server.address}, not ${t.serverAddress}`)
    if (server.secret !== expected.radius.secret) out.push('/radius secret differs from the hotspot\'s')
    if (server.srcAddress !== t.routerAddress) out.push(`/radius src-address is ${server.srcAddress || 'unset'}, not ${t.routerAddress}`)
    for (const s of ['hotspot', 'ppp']) if (!server.service.includes(s)) out.push(`/radius does not serve ${s}`)
  }
  if (!incoming.accept || incoming.port !== 3799) out.push('/radius incoming does not accept CoA on 3799')
  for (const p of profiles) if (!parseBool(p['use-radius'])) out.push(`hotspot profile ${p.name ?? p['.id']} does not use RADIUS`)
  if (!parseBool(aaa[0]?.['use-radius'])) out.push('/ppp aaa does not use RADIUS')
  return out
}
