/**
 * Preparing a hotspot for one-paste provisioning and rendering its script: a tunnel address from the shared
 * network (which also becomes its NAS address, so radiusd recognises the router through the tunnel), WireGuard
 * keys, the API user MnetiFi logs in as, a one-time token for the `/tool fetch` URL, and the server's wg0.conf.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import {
  findHotspotById, listLiveTunnelAddressesAcrossTenants, listTunnelPeersAcrossTenants, lockTunnelAllocationAcrossTenants, secretContext, updateHotspot,
  type Database, type Executor, type HotspotRow, type SecretBox,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import {
  allocateTunnelAddress, applyServerConfig, derivePublicKey, generateKeyPair, generatePresharedKey, parseCidr, renderServerConfig, type ApplyOutcome,
} from '@mnetifi/vpn'
import type { RouterConfig } from './config.js'
import type { ProvisioningInput } from './provisioning-script.js'

/** The API user provisioning creates on every router. */
export const ROUTER_API_USER = 'mnetifi'
/** The router's WireGuard interface. */
export const TUNNEL_INTERFACE = 'wg-mnetifi'

/** What provisioning reads from the API config. */
export type ProvisioningConfig = Pick<RouterConfig, 'VPN_NETWORK' | 'VPN_ENDPOINT' | 'VPN_SERVER_PRIVATE_KEY' | 'VPN_LISTEN_PORT' | 'VPN_CONFIG_PATH'
  | 'VPN_INTERFACE' | 'PROVISIONING_RADIUS_AUTH_PORT' | 'PROVISIONING_RADIUS_ACCT_PORT' | 'PROVISIONING_WALLED_GARDEN_HOSTS' | 'PROVISIONING_TOKEN_TTL_SECONDS'> & {
  readonly PUBLIC_BASE_URL: string
}

function serverKey(config: Pick<ProvisioningConfig, 'VPN_ENDPOINT' | 'VPN_SERVER_PRIVATE_KEY'>): { privateKey: string; publicKey: string; endpoint: string } {
  if (!config.VPN_SERVER_PRIVATE_KEY || !config.VPN_ENDPOINT) {
    throw new AppError('UNAVAILABLE', 'Router provisioning is not set up on this MnetiFi server (VPN_SERVER_PRIVATE_KEY and VPN_ENDPOINT)')
  }
  return { privateKey: config.VPN_SERVER_PRIVATE_KEY, publicKey: derivePublicKey(config.VPN_SERVER_PRIVATE_KEY), endpoint: config.VPN_ENDPOINT }
}

const seal = (box: SecretBox, column: 'router_api_pass' | 'vpn_private_key' | 'vpn_preshared_key', id: string, value: string) =>
  box.encrypt(value, secretContext('hotspots', column, id))
const open = (box: SecretBox, column: 'router_api_pass' | 'vpn_private_key' | 'vpn_preshared_key', id: string, value: string) =>
  box.decrypt(value, secretContext('hotspots', column, id))

/**
 * Gives a hotspot what its script needs, keeping whatever it already has (so re-provisioning renders the same
 * keys and address): a tunnel address allocated under a lock across tenants, a key pair and PSK, the API user.
 * Runs on the privileged pool because allocation must see every tenant's addresses; it touches one tenant's row.
 * @throws AppError NOT_FOUND, CONFLICT (network full), UNAVAILABLE (server tunnel not configured)
 */
export async function prepareHotspotTunnelAcrossTenants(db: Kysely<Database>, box: SecretBox, config: ProvisioningConfig, tenantId: string, hotspotId: string): Promise<HotspotRow> {
  serverKey(config)
  return db.transaction().execute(async (trx) => {
    await lockTunnelAllocationAcrossTenants(trx)
    const row = await findHotspotById(trx, tenantId, hotspotId)
    if (!row || row.archived_at) throw new AppError('NOT_FOUND', 'Hotspot not found')
    const changes: Parameters<typeof updateHotspot>[3] = {}
    if (!row.vpn_address) {
      const address = allocateTunnelAddress(config.VPN_NETWORK, await listLiveTunnelAddressesAcrossTenants(trx))
      if (!address) throw new AppError('CONFLICT', `The tunnel network ${config.VPN_NETWORK} has no free address left`)
      Object.assign(changes, { vpn_address: address, nas_ip: address })
    }
    if (!row.vpn_private_key || !row.vpn_public_key) {
      const pair = generateKeyPair()
      Object.assign(changes, { vpn_private_key: seal(box, 'vpn_private_key', row.id, pair.privateKey), vpn_public_key: pair.publicKey })
    }
    if (!row.vpn_preshared_key) changes.vpn_preshared_key = seal(box, 'vpn_preshared_key', row.id, generatePresharedKey())
    if (row.vpn_endpoint !== config.VPN_ENDPOINT) changes.vpn_endpoint = config.VPN_ENDPOINT ?? null
    if (row.router_api_user !== ROUTER_API_USER || !row.router_api_pass) {
      // Plain API (8728) inside the WireGuard tunnel: already encrypted, and API-SSL would need a certificate.
      Object.assign(changes, {
        router_api_user: ROUTER_API_USER, router_api_pass: seal(box, 'router_api_pass', row.id, randomBytes(18).toString('base64url')),
        router_api_ip: null, router_api_port: 8728, router_api_tls: false,
      })
    }
    if (Object.keys(changes).length === 0) return row
    return (await updateHotspot(trx, tenantId, hotspotId, changes))!
  })
}

/** SHA-256 (hex) of a provisioning token, as stored. */
export function hashProvisioningToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Issues a new one-time URL token for a hotspot (replacing any earlier one); returns it and its expiry. */
export async function issueProvisioningToken(db: Executor, tenantId: string, hotspotId: string, ttlSeconds: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(24).toString('base64url')
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000)
  await updateHotspot(db, tenantId, hotspotId, { provisioning_token_hash: hashProvisioningToken(token), provisioning_token_expires_at: expiresAt })
  return { token, expiresAt }
}

/** URLs the router fetches with a token. */
export function provisioningUrls(publicBaseUrl: string, token: string): { script: string; page: (file: string) => string } {
  const base = `${publicBaseUrl.replace(/\/+$/, '')}/api/provisioning/${token}`
  return { script: `${base}/mnetifi.rsc`, page: (file) => `${base}/hotspot/${file}` }
}

/** The line an admin pastes into the router terminal: fetch the script, import it, delete it (it holds secrets). */
export function provisioningOneLiner(scriptUrl: string): string {
  return `/tool fetch url="${scriptUrl}" dst-path=mnetifi.rsc; /import file-name=mnetifi.rsc; /file remove [find where name="mnetifi.rsc"]`
}

/** The script's input for a prepared hotspot. `token` makes the router fetch MnetiFi's hotspot pages too. */
export function provisioningInputOf(row: HotspotRow, box: SecretBox, config: ProvisioningConfig, token?: string): ProvisioningInput {
  const server = serverKey(config)
  if (!row.vpn_address || !row.vpn_private_key || !row.vpn_preshared_key || !row.router_api_pass) {
    throw new AppError('CONFLICT', 'The hotspot has not been prepared for provisioning')
  }
  const net = parseCidr(config.VPN_NETWORK)
  const urls = token ? provisioningUrls(config.PUBLIC_BASE_URL, token) : undefined
  return {
    hotspotId: row.id, locationName: row.location_name,
    tunnel: {
      interfaceName: TUNNEL_INTERFACE, routerPrivateKey: open(box, 'vpn_private_key', row.id, row.vpn_private_key), routerAddress: row.vpn_address,
      prefix: net.prefix, serverPublicKey: server.publicKey, presharedKey: open(box, 'vpn_preshared_key', row.id, row.vpn_preshared_key),
      serverAddress: net.server, serverEndpoint: server.endpoint,
    },
    radius: {
      secret: row.radius_secret, interimSeconds: row.acct_interim_interval ?? 300, macAuth: row.mac_auth_enabled,
      authPort: config.PROVISIONING_RADIUS_AUTH_PORT, acctPort: config.PROVISIONING_RADIUS_ACCT_PORT,
    },
    api: { user: row.router_api_user ?? ROUTER_API_USER, password: open(box, 'router_api_pass', row.id, row.router_api_pass) },
    walledGardenHosts: [new URL(config.PUBLIC_BASE_URL).hostname, ...config.PROVISIONING_WALLED_GARDEN_HOSTS],
    ...(urls ? { hotspotPages: Object.fromEntries(['login.html', 'rlogin.html', 'alogin.html', 'status.html'].map((f) => [f, urls.page(f)])) } : {}),
  }
}

/**
 * Renders the server's wg0.conf from every live hotspot's tunnel (all tenants) and applies it.
 * @returns how it was applied; the rendered file (for tests and the admin's download).
 */
export async function syncServerTunnelsAcrossTenants(db: Executor, box: SecretBox, config: ProvisioningConfig): Promise<{ outcome: ApplyOutcome; config: string }> {
  const rendered = await renderServerTunnelsAcrossTenants(db, box, config)
  return { outcome: await applyServerConfig(rendered, { path: config.VPN_CONFIG_PATH, interfaceName: config.VPN_INTERFACE }), config: rendered }
}

/**
 * The server's wg0.conf for every live hotspot's tunnel (all tenants), without applying it: what
 * `mnetifi vpn server-config` writes for a WireGuard endpoint that starts before any provisioning.
 * @throws AppError UNAVAILABLE when VPN_SERVER_PRIVATE_KEY or VPN_ENDPOINT is not set
 */
export async function renderServerTunnelsAcrossTenants(
  db: Executor, box: SecretBox, config: Pick<ProvisioningConfig, 'VPN_NETWORK' | 'VPN_ENDPOINT' | 'VPN_SERVER_PRIVATE_KEY' | 'VPN_LISTEN_PORT'>,
): Promise<string> {
  const server = serverKey(config)
  const net = parseCidr(config.VPN_NETWORK)
  const peers = (await listTunnelPeersAcrossTenants(db)).map((p) => ({
    comment: `${p.location_name} (${p.id})`, publicKey: p.vpn_public_key!, address: p.vpn_address!,
    presharedKey: p.vpn_preshared_key ? open(box, 'vpn_preshared_key', p.id, p.vpn_preshared_key) : null,
  }))
  return renderServerConfig({ privateKey: server.privateKey, address: `${net.server}/${net.prefix}`, listenPort: config.VPN_LISTEN_PORT }, peers)
}
