/**
 * A test stack with a router provisioned the way an ISP does it: the API (with tunnel settings), radiusd on
 * ephemeral ports, a tenant, and per hotspot an emulated RouterOS 7 router that pasted the one-liner, talks RADIUS
 * to radiusd from its tunnel address, and serves its API on that address (so MnetiFi reaches it as in production,
 * the port aside: an ephemeral one, set on the hotspot like an admin would).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findHotspotById, type HotspotRow } from '@mnetifi/db'
import { generateKeyPair } from '@mnetifi/vpn'
import { startTestRadiusd } from '../../../radiusd/test/helper.js'
import type { RunningRadiusd } from '../../../radiusd/src/main.js'
import type { Config } from '../../src/config.js'
import type { SessionControl } from '../../src/lib/session-control.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../helper.js'
import { RouterApiServer } from './emulator/api-server.js'
import { EmulatedRouter, type RouterOptions } from './emulator/router.js'

/** A provisioned hotspot and its router. */
export interface ProvisionedRouter {
  readonly hotspotId: string
  readonly radiusSecret: string
  readonly tunnelAddress: string
  readonly router: EmulatedRouter
  api: RouterApiServer
  /** The hotspot row now. */
  row(): Promise<HotspotRow>
  /** Stops the router's API service (the router "goes silent"; RADIUS keeps working). */
  stopApi(): Promise<void>
  /** Starts it again (on a new port, set on the hotspot). */
  startApi(): Promise<void>
}

/** The stack. */
export interface RouterStack {
  readonly ctx: TestContext
  readonly tenant: TestTenant
  readonly radiusd: RunningRadiusd
  readonly serverPublicKey: string
  provision(name: string, options?: RouterOptions): Promise<ProvisionedRouter>
  close(): Promise<void>
}

/** Builds the stack; `config` overrides the test config. */
export async function startRouterStack(name: string, config: Partial<Config> = {}, options: { coa?: SessionControl } = {}): Promise<RouterStack> {
  const server = generateKeyPair()
  const dir = mkdtempSync(join(tmpdir(), 'mnetifi-router-stack-'))
  const ctx = await buildTestApp(name, {
    config: {
      PUBLIC_BASE_URL: 'https://wifi.mnetifi.example', VPN_NETWORK: '127.99.0.0/24', VPN_ENDPOINT: 'vpn.mnetifi.example:51820',
      VPN_SERVER_PRIVATE_KEY: server.privateKey, VPN_CONFIG_PATH: join(dir, 'wg0.conf'), VPN_INTERFACE: 'mnetifi-test0',
      ROUTER_API_CONNECT_TIMEOUT_MS: 1000, ROUTER_API_COMMAND_TIMEOUT_MS: 2000, ...config,
    },
    ...(options.coa ? { coa: options.coa } : {}),
  })
  const radiusd = await startTestRadiusd(ctx.tdb)
  const tenant = await createSignedInTenant(ctx)
  const routers: ProvisionedRouter[] = []

  const fetchFromApi = async (url: string): Promise<string> => {
    const res = await ctx.app.inject({ method: 'GET', url: new URL(url).pathname })
    if (res.statusCode !== 200) throw new Error(`failure: closing connection: <${res.statusCode}> ${url}`)
    return res.body
  }

  return {
    ctx, tenant, radiusd, serverPublicKey: server.publicKey,
    async provision(locationName, options = {}) {
      const created = await ctx.app.inject({ method: 'POST', url: '/api/hotspots', headers: { cookie: tenant.owner }, payload: { locationName, nasIp: '192.0.2.99' } })
      if (created.statusCode !== 201) throw new Error(`create hotspot: ${created.body}`)
      const hotspotId: string = created.json().hotspot.id
      const p = await ctx.app.inject({ method: 'POST', url: `/api/hotspots/${hotspotId}/provisioning`, headers: { cookie: tenant.owner } })
      const { oneLiner, tunnelAddress } = p.json() as { oneLiner: string; tunnelAddress: string }
      const router = new EmulatedRouter({ identity: locationName.toLowerCase().replace(/\W+/g, '-'), ...options })
      await router.terminal(oneLiner, fetchFromApi)
      // radiusd listens on ephemeral ports here; the script set the config's 1812/1813.
      router.set('/radius', router.items('/radius').map((r) => r['.id']), { 'authentication-port': String(radiusd.authPort), 'accounting-port': String(radiusd.acctPort) })
      // MnetiFi reaches the API from its own tunnel address, which the script's /user address= allows.
      const start = async () => {
        const api = new RouterApiServer(router, { tunnelSource: '127.99.0.1', fetch: fetchFromApi })
        const port = await api.listen(0, tunnelAddress)
        const patched = await ctx.app.inject({ method: 'PATCH', url: `/api/hotspots/${hotspotId}`, headers: { cookie: tenant.owner }, payload: { routerApi: { port } } })
        if (patched.statusCode !== 200) throw new Error(`set API port: ${patched.body}`)
        return api
      }
      const entry: ProvisionedRouter = {
        hotspotId, radiusSecret: created.json().radiusSecret, tunnelAddress, router, api: await start(),
        row: async () => (await findHotspotById(ctx.tdb.db, tenant.id, hotspotId))!,
        async stopApi() {
          await entry.api.close()
        },
        async startApi() {
          entry.api = await start()
        },
      }
      routers.push(entry)
      return entry
    },
    async close() {
      for (const r of routers) {
        await r.api.close().catch(() => {})
        await r.router.close()
      }
      await radiusd.close()
      await ctx.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
