/**
 * Provisioning end to end: the API prepares a hotspot (tunnel address = NAS address, keys, API user), writes the
 * server's wg0.conf, and answers a one-liner; the emulated router pastes it (its `/tool fetch` goes to the API),
 * ends in the expected state, then logs a customer in through radiusd from its tunnel address and is reachable
 * with the stored API credentials. Archiving releases the address and the peer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findHotspotById } from '@mnetifi/db'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { derivePublicKey, generateKeyPair } from '@mnetifi/vpn'
import { startTestRadiusd } from '../../../radiusd/test/helper.js'
import type { RunningRadiusd } from '../../../radiusd/src/main.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../helper.js'
import { RouterPool, routerTargetOf } from '../../src/routeros/index.js'
import { RouterApiServer } from './emulator/api-server.js'
import { EmulatedRouter } from './emulator/router.js'

const server = generateKeyPair()
const dir = mkdtempSync(join(tmpdir(), 'mnetifi-provisioning-'))
const wgConf = join(dir, 'wg0.conf')

describe('one-paste provisioning through the API', () => {
  let ctx: TestContext
  let tenant: TestTenant
  let radiusd: RunningRadiusd
  const routers: EmulatedRouter[] = []

  beforeAll(async () => {
    ctx = await buildTestApp('routeros-provisioning', {
      config: {
        PUBLIC_BASE_URL: 'https://wifi.mnetifi.example', VPN_NETWORK: '127.99.0.0/24', VPN_ENDPOINT: 'vpn.mnetifi.example:51820',
        VPN_SERVER_PRIVATE_KEY: server.privateKey, VPN_CONFIG_PATH: wgConf, VPN_INTERFACE: 'mnetifi-test0',
      },
    })
    radiusd = await startTestRadiusd(ctx.tdb)
    tenant = await createSignedInTenant(ctx)
  })
  afterAll(async () => {
    for (const r of routers) await r.close()
    await radiusd.close()
    await ctx.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function createHotspot(name: string): Promise<{ id: string; secret: string }> {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/hotspots', headers: { cookie: tenant.owner }, payload: { locationName: name, nasIp: '192.0.2.50' } })
    expect(res.statusCode).toBe(201)
    return { id: res.json().hotspot.id, secret: res.json().radiusSecret }
  }

  /** The router's `/tool fetch`: HTTP to the API (inject), as the router would fetch PUBLIC_BASE_URL. */
  async function fetchFromApi(url: string): Promise<string> {
    const res = await ctx.app.inject({ method: 'GET', url: new URL(url).pathname })
    if (res.statusCode !== 200) throw new Error(`failure: closing connection: <${res.statusCode}> ${url}`)
    return res.body
  }

  async function provision(hotspotId: string) {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/hotspots/${hotspotId}/provisioning`, headers: { cookie: tenant.owner } })
    expect(res.statusCode).toBe(200)
    return res.json() as { oneLiner: string; scriptUrl: string; expiresAt: string; tunnelAddress: string; serverTunnels: { method: string; reason?: string } }
  }

  it('prepares the hotspot, writes wg0.conf and answers the one-liner', async () => {
    const { id } = await createHotspot('Kibera Market')
    const p = await provision(id)
    expect(p.tunnelAddress).toBe('127.99.0.2')
    expect(p.scriptUrl).toMatch(/^https:\/\/wifi\.mnetifi\.example\/api\/provisioning\/[A-Za-z0-9_-]{32}\/mnetifi\.rsc$/)
    expect(p.oneLiner).toBe(`/tool fetch url="${p.scriptUrl}" dst-path=mnetifi.rsc; /import file-name=mnetifi.rsc; /file remove [find where name="mnetifi.rsc"]`)
    expect(p.serverTunnels.method).toBe('file')
    expect(p.serverTunnels.reason).toMatch(/^wg: Unable to (modify|retrieve current) interface/)
    const row = (await findHotspotById(ctx.tdb.db, tenant.id, id))!
    expect(row).toMatchObject({ nas_ip: '127.99.0.2', vpn_address: '127.99.0.2', router_api_user: 'mnetifi', router_api_port: 8728, router_api_tls: false, vpn_endpoint: 'vpn.mnetifi.example:51820' })
    const conf = readFileSync(wgConf, 'utf8')
    expect(conf).toContain(`PrivateKey = ${server.privateKey}\nAddress = 127.99.0.1/24\nListenPort = 51820`)
    expect(conf).toContain(`# Kibera Market (${id})\n[Peer]\nPublicKey = ${row.vpn_public_key}\nPresharedKey = `)
    expect(conf).toContain('AllowedIPs = 127.99.0.2/32')
    // Secrets stay out of the hotspot's API shape.
    const shown = await ctx.app.inject({ method: 'GET', url: `/api/hotspots/${id}`, headers: { cookie: tenant.owner } })
    expect(shown.json().routerApi).toEqual({ ip: null, port: 8728, tls: false, user: 'mnetifi', passwordSet: true })
    expect(shown.body).not.toContain(routerTargetOf(row, ctx.app.secretBox).password)
  })

  it('provisions a factory router with one paste; the router then talks to radiusd and MnetiFi reaches its API', async () => {
    const { id, secret } = await createHotspot('Ngong Road')
    const p = await provision(id)
    const row = (await findHotspotById(ctx.tdb.db, tenant.id, id))!
    const router = new EmulatedRouter({ identity: 'ngong-road' })
    routers.push(router)
    await router.terminal(p.oneLiner, fetchFromApi)

    expect(router.items('/file')).toHaveLength(4) // the hotspot pages; the script itself was removed
    expect(router.items('/file').find((f) => f.name === 'mnetifi-hotspot/login.html')?.contents).toContain('https://wifi.mnetifi.example/portal/')
    expect(router.items('/interface/wireguard')[0]).toMatchObject({ name: 'wg-mnetifi', 'public-key': row.vpn_public_key })
    expect(router.items('/interface/wireguard/peers')[0]).toMatchObject({ 'public-key': derivePublicKey(server.privateKey), 'allowed-address': '127.99.0.1/32', 'endpoint-address': 'vpn.mnetifi.example' })
    expect(router.items('/radius')[0]).toMatchObject({ address: '127.99.0.1', secret, 'src-address': p.tunnelAddress, service: 'hotspot,ppp' })

    // radiusd listens on ephemeral ports in tests (the script says 1812/1813, the config's defaults).
    router.set('/radius', [router.items('/radius')[0]!['.id']], { 'authentication-port': String(radiusd.authPort), 'accounting-port': String(radiusd.acctPort) })
    const plan = await insertTestPlan(ctx.tdb.db, tenant.id)
    await insertTestUser(ctx.tdb.db, tenant.id, { username: 'kiosk-7', password: 'pw-kiosk-7', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    const ok = await router.hotspotLogin('kiosk-7', 'pw-kiosk-7', { mac: 'AA:BB:CC:DD:EE:07', ip: '10.5.50.7' })
    expect(ok.ok).toBe(true)
    const denied = await router.hotspotLogin('kiosk-7', 'wrong', { mac: 'AA:BB:CC:DD:EE:08', ip: '10.5.50.8' })
    expect(denied.ok).toBe(false)
    const open = await ctx.tdb.db.selectFrom('radacct').select(['username', 'nasipaddress']).where('acctstoptime', 'is', null).execute()
    expect(open.map((r) => [r.username, String(r.nasipaddress)])).toEqual([['kiosk-7', p.tunnelAddress]])

    // The API user the script created accepts the credentials the hotspot stores, from MnetiFi's tunnel address.
    const api = new RouterApiServer(router, { tunnelSource: '127.99.0.1' })
    const port = await api.listen()
    const pool = new RouterPool()
    try {
      const target = { ...routerTargetOf(row, ctx.app.secretBox), host: '127.0.0.1', port }
      expect(await pool.clientFor(target).getIdentity()).toBe('ngong-road')
      expect((await pool.clientFor(target).listHotspotActive()).map((s) => s.user)).toEqual(['kiosk-7'])
    } finally {
      await pool.close()
      await api.close()
    }
  })

  it('is idempotent through the one-liner too: pasting it again changes nothing', async () => {
    const { id } = await createHotspot('Idempotent')
    const router = new EmulatedRouter()
    routers.push(router)
    await router.terminal((await provision(id)).oneLiner, fetchFromApi)
    const first = router.snapshot()
    await router.terminal((await provision(id)).oneLiner, fetchFromApi)
    expect(router.snapshot()).toEqual(first)
  })

  it('serves the script only for a live token and the owner download as an attachment', async () => {
    const { id } = await createHotspot('Tokens')
    const p = await provision(id)
    const again = await provision(id)
    expect((await ctx.app.inject({ method: 'GET', url: new URL(p.scriptUrl).pathname })).statusCode).toBe(404)
    const live = await ctx.app.inject({ method: 'GET', url: new URL(again.scriptUrl).pathname })
    expect(live.statusCode).toBe(200)
    expect(live.body.startsWith('# MnetiFi provisioning for hotspot Tokens')).toBe(true)
    const download = await ctx.app.inject({ method: 'GET', url: `/api/hotspots/${id}/provisioning/script`, headers: { cookie: tenant.owner } })
    expect(download.headers['content-disposition']).toBe('attachment; filename="mnetifi.rsc"')
    expect(download.body).toContain('/radius incoming set accept=yes port=3799')
    expect((await ctx.app.inject({ method: 'POST', url: `/api/hotspots/${id}/provisioning`, headers: { cookie: tenant.staff } })).statusCode).toBe(403)
    await ctx.tdb.db.updateTable('hotspots').set({ provisioning_token_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute()
    expect((await ctx.app.inject({ method: 'GET', url: new URL(again.scriptUrl).pathname })).json()).toEqual({
      error: 'NOT_FOUND', message: 'This provisioning link is unknown or has expired: issue a new one',
    })
  })

  it('releases the tunnel address and the server peer when a hotspot is archived', async () => {
    const { id } = await createHotspot('Short-lived')
    const p = await provision(id)
    expect(readFileSync(wgConf, 'utf8')).toContain(`AllowedIPs = ${p.tunnelAddress}/32`)
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/hotspots/${id}`, headers: { cookie: tenant.owner } })).statusCode).toBe(200)
    expect(readFileSync(wgConf, 'utf8')).not.toContain(`AllowedIPs = ${p.tunnelAddress}/32`)
    const next = await createHotspot('Takes the address')
    expect((await provision(next.id)).tunnelAddress).toBe(p.tunnelAddress)
  })
})
