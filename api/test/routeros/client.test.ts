/**
 * The RouterOS client against the emulated router over real TCP: every typed operation, session reuse and idle
 * close, deadlines, a router that drops or kills the session mid-command, a wrong password, refused commands.
 */
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '@mnetifi/db/domain'
import { RouterConnection, RouterPool, type RouterOsClient } from '../../src/routeros/index.js'
import { startEmulatedRouter, type RunningRouter } from './emulator/harness.js'

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (err) {
    if (!isAppError(err)) throw err
    return { code: err.code, message: err.message }
  }
  throw new Error('expected a failure')
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10))
}

describe('typed operations (RouterOS 7.18, which answers empty prints with !empty)', () => {
  let r: RunningRouter
  let pool: RouterPool
  let client: RouterOsClient
  beforeAll(async () => {
    r = await startEmulatedRouter({ identity: 'Kibera-HQ', version: '7.18.2 (stable)', clockOffsetMs: -90_000 })
    pool = new RouterPool({ connectTimeoutMs: 2000, commandTimeoutMs: 2000 })
    client = pool.clientFor(r.target)
  })
  afterAll(async () => {
    await pool.close()
    await r.close()
  })

  it('lists and removes hotspot active sessions, filtered by user', async () => {
    const a = r.router.addDynamic('/ip/hotspot/active', { server: 'hotspot1', user: '254711000001', address: '10.5.50.10', 'mac-address': 'AA:BB:CC:00:00:01', 'login-by': 'http-chap', uptime: '1h2m3s', 'bytes-in': '5000000000', 'bytes-out': '42', radius: 'true' })
    r.router.addDynamic('/ip/hotspot/active', { server: 'hotspot1', user: '254711000002', address: '10.5.50.11', 'mac-address': 'AA:BB:CC:00:00:02', 'login-by': 'mac', uptime: '5s', 'bytes-in': '0', 'bytes-out': '0', radius: 'false' })
    expect(await client.listHotspotActive({ user: '254711000001' })).toEqual([{
      id: a['.id'], server: 'hotspot1', user: '254711000001', address: '10.5.50.10', macAddress: 'AA:BB:CC:00:00:01', loginBy: 'http-chap',
      uptimeSeconds: 3723, bytesIn: 5_000_000_000n, bytesOut: 42n, radius: true,
    }])
    expect((await client.listHotspotActive()).map((s) => s.user)).toEqual(['254711000001', '254711000002'])
    expect(await client.removeHotspotActive([a['.id']])).toBe(1)
    expect((await client.listHotspotActive()).map((s) => s.user)).toEqual(['254711000002'])
    expect(await client.listHotspotActive({ macAddress: 'FF:FF:FF:FF:FF:FF' })).toEqual([])
  })

  it('lists and removes PPP active connections', async () => {
    const p = r.router.addDynamic('/ppp/active', { name: 'home-17', service: 'pppoe', 'caller-id': 'AA:BB:CC:00:00:17', address: '10.10.0.17', uptime: '2d3h', 'session-id': '0x81A00005', radius: 'true' })
    expect(await client.listPppActive({ name: 'home-17' })).toEqual([{ id: p['.id'], name: 'home-17', service: 'pppoe', callerId: 'AA:BB:CC:00:00:17', address: '10.10.0.17', uptimeSeconds: 183_600, sessionId: '0x81A00005', radius: true }])
    expect(await client.removePppActive([p['.id']])).toBe(1)
    expect(await client.listPppActive()).toEqual([])
  })

  it('disables and enables hotspot users and PPP secrets by name', async () => {
    r.router.add('/ip/hotspot/user', { name: 'guest', password: 'x' })
    r.router.add('/ppp/secret', { name: 'home-17', password: 'y', service: 'pppoe' })
    expect(await client.setHotspotUserDisabled('guest', true)).toBe(1)
    expect(await client.setPppSecretDisabled('home-17', true)).toBe(1)
    expect(r.router.find('/ip/hotspot/user', [{ prop: 'name', op: '=', value: 'guest' }])[0]!.disabled).toBe('true')
    expect(r.router.find('/ppp/secret', [{ prop: 'name', op: '=', value: 'home-17' }])[0]!.disabled).toBe('true')
    expect(await client.setHotspotUserDisabled('guest', false)).toBe(1)
    expect(r.router.find('/ip/hotspot/user', [{ prop: 'name', op: '=', value: 'guest' }])[0]!.disabled).toBe('false')
    expect(await client.setPppSecretDisabled('nobody', true)).toBe(0)
  })

  it('adds address-list entries once and removes them', async () => {
    const id = await client.addAddressListEntry({ list: 'mnetifi-blocked', address: '10.5.50.23', timeout: '1h', comment: 'unpaid' })
    expect(await client.addAddressListEntry({ list: 'mnetifi-blocked', address: '10.5.50.23' })).toBe(id)
    expect(await client.listAddressList('mnetifi-blocked')).toEqual([{ id, address: '10.5.50.23', timeout: '1h', comment: 'unpaid', dynamic: false }])
    expect(await client.removeAddressListEntry('mnetifi-blocked', '10.5.50.23')).toBe(1)
    expect(await client.listAddressList('mnetifi-blocked')).toEqual([])
  })

  it('reads and sets simple queues and hotspot user profiles with burst', async () => {
    r.router.add('/queue/simple', { name: 'home-17', target: '10.10.0.17/32', 'max-limit': '2M/10M' })
    expect(await client.setSimpleQueue('home-17', { maxLimit: '5M/20M', burstLimit: '8M/30M', burstThreshold: '4M/15M', burstTime: '10s/10s', priority: '4/4' })).toBe(1)
    expect((await client.listSimpleQueues()).find((q) => q.name === 'home-17')).toMatchObject({
      target: '10.10.0.17/32', maxLimit: '5M/20M', burstLimit: '8M/30M', burstThreshold: '4M/15M', burstTime: '10s/10s', priority: '4/4', disabled: false,
    })
    expect(await client.setHotspotUserProfileRateLimit('default', '2M/10M 4M/20M 1M/8M 10/10 8')).toBe(1)
    expect((await client.listHotspotUserProfiles()).find((p) => p.name === 'default')).toMatchObject({ rateLimit: '2M/10M 4M/20M 1M/8M 10/10 8', sharedUsers: '1' })
  })

  it('reads and sets walled-garden entries at both levels', async () => {
    const http = await client.addWalledGardenHost('http', 'portal.mnetifi.example', 'MnetiFi portal')
    const ip = await client.addWalledGardenHost('ip', 'portal.mnetifi.example')
    expect(await client.addWalledGardenHost('http', 'portal.mnetifi.example')).toBe(http)
    expect(await client.listWalledGarden('http')).toEqual([{ id: http, dstHost: 'portal.mnetifi.example', action: 'allow', comment: 'MnetiFi portal' }])
    expect(await client.listWalledGarden('ip')).toEqual([{ id: ip, dstHost: 'portal.mnetifi.example', action: 'accept', comment: '' }])
    expect(await client.removeWalledGardenHost('ip', 'portal.mnetifi.example')).toBe(1)
    expect(await client.listWalledGarden('ip')).toEqual([])
  })

  it('reads and sets /radius and /radius incoming', async () => {
    const id = await client.upsertRadiusServer({ address: '10.99.0.1', secret: 's3cret-s3cret', service: ['hotspot', 'ppp'], timeout: '1s', srcAddress: '10.99.0.2', comment: 'MnetiFi' })
    expect(await client.upsertRadiusServer({ address: '10.99.0.1', secret: 'rotated-secret', service: ['hotspot', 'ppp'] })).toBe(id)
    expect(await client.listRadiusServers()).toEqual([{
      id, address: '10.99.0.1', secret: 'rotated-secret', service: ['hotspot', 'ppp'], authenticationPort: 1812, accountingPort: 1813,
      timeout: '1s', srcAddress: '10.99.0.2', comment: 'MnetiFi', disabled: false,
    }])
    expect(await client.getRadiusIncoming()).toEqual({ accept: false, port: 3799 })
    await client.setRadiusIncoming({ accept: true, port: 3799 })
    expect(await client.getRadiusIncoming()).toEqual({ accept: true, port: 3799 })
  })

  it('reads identity, resource, clock and WireGuard handshakes', async () => {
    expect(await client.getIdentity()).toBe('Kibera-HQ')
    expect(await client.getResource()).toEqual({
      version: '7.18.2 (stable)', uptimeSeconds: 93_784, boardName: 'hAP ac²', architecture: 'arm', cpuLoadPercent: 3,
      freeMemoryBytes: 94_371_840, totalMemoryBytes: 134_217_728,
    })
    // The emulated clock runs 90 s behind and prints whole seconds.
    const drift = (await client.getClock()).getTime() - Date.now()
    expect(drift).toBeLessThanOrEqual(-89_000)
    expect(drift).toBeGreaterThan(-92_000)
    r.router.add('/interface/wireguard', { name: 'wg-mnetifi' })
    const peer = r.router.add('/interface/wireguard/peers', { interface: 'wg-mnetifi', 'public-key': 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=', 'allowed-address': '10.99.0.1/32' })
    expect(await client.listWireguardPeers('wg-mnetifi')).toEqual([{ id: peer, interface: 'wg-mnetifi', publicKey: 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=', allowedAddress: '10.99.0.1/32', endpoint: '', lastHandshakeSeconds: undefined }])
    r.router.set('/interface/wireguard/peers', [peer], {})
    Object.assign(r.router.items('/interface/wireguard/peers')[0]!, { 'last-handshake': '1m12s', 'current-endpoint-address': '203.0.113.9', 'current-endpoint-port': '51820' })
    expect(await client.listWireguardPeers()).toMatchObject([{ endpoint: '203.0.113.9:51820', lastHandshakeSeconds: 72 }])
  })

  it('maps a !trap to ROUTER_COMMAND_REFUSED with the router\'s message', async () => {
    expect(await failure(client.removeHotspotActive(['*FFFF']))).toEqual({
      code: 'ROUTER_COMMAND_REFUSED', message: `Router 127.0.0.1:${r.port} refused /ip/hotspot/active/remove: no such item`,
    })
    expect(await failure(client.run('/ip/nonsense/print'))).toEqual({ code: 'ROUTER_COMMAND_REFUSED', message: `Router 127.0.0.1:${r.port} refused /ip/nonsense/print: no such command prefix` })
  })

  it('did all of the above over one login', () => {
    expect(r.api.logins).toBe(1)
    expect(pool.size).toBe(1)
  })
})

describe('sessions, deadlines and failures', () => {
  let r: RunningRouter
  afterEach(async () => r.close())

  it('closes an idle session and logs in again on the next command', async () => {
    r = await startEmulatedRouter()
    const pool = new RouterPool({ idleTimeoutMs: 30 })
    expect(await pool.clientFor(r.target).getIdentity()).toBe('MikroTik')
    await until(() => r.api.openSessions === 0 && pool.size === 0)
    expect(await pool.clientFor(r.target).getIdentity()).toBe('MikroTik')
    expect(r.api.logins).toBe(2)
    await pool.close()
    await until(() => r.api.openSessions === 0)
  })

  it('refuses a wrong password with ROUTER_AUTH_FAILED and never echoes it', async () => {
    r = await startEmulatedRouter()
    const err = await failure(RouterConnection.open({ ...r.target, password: 'wrong-password-123' }))
    expect(err).toEqual({ code: 'ROUTER_AUTH_FAILED', message: `Router 127.0.0.1:${r.port} refused the API user name or password (check the user exists and its group has the api policy)` })
    expect(err.message).not.toContain('wrong-password-123')
  })

  it('refuses a user whose group lacks the api policy', async () => {
    r = await startEmulatedRouter()
    r.router.add('/user/group', { name: 'no-api', policy: 'read,write' })
    r.router.add('/user', { name: 'web-only', group: 'no-api', password: 'pw-123456' })
    expect((await failure(RouterConnection.open({ ...r.target, user: 'web-only', password: 'pw-123456' }))).code).toBe('ROUTER_AUTH_FAILED')
  })

  it('reports a closed port as unreachable', async () => {
    r = await startEmulatedRouter()
    const probe = createServer()
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', () => res()))
    const port = (probe.address() as { port: number }).port
    await new Promise<void>((res) => probe.close(() => res()))
    expect(await failure(RouterConnection.open({ ...r.target, port }))).toEqual({
      code: 'ROUTER_UNREACHABLE', message: `Router 127.0.0.1:${port} is unreachable: connection refused (is the API service enabled on that port?)`,
    })
  })

  it('gives up on a router that accepts TCP but never answers the login', async () => {
    r = await startEmulatedRouter()
    r.api.faults.silentLogin = true
    expect(await failure(RouterConnection.open(r.target, { connectTimeoutMs: 150 }))).toEqual({
      code: 'ROUTER_UNREACHABLE', message: `Router 127.0.0.1:${r.port} is unreachable: no API answer within 150 ms`,
    })
    await until(() => r.api.openSessions === 0)
  })

  it('times out a command that never finishes, drops that session and recovers on the next command', async () => {
    r = await startEmulatedRouter()
    const pool = new RouterPool({ commandTimeoutMs: 150 })
    const client = pool.clientFor(r.target)
    r.api.faults.hangOn = '/system/resource/print'
    expect(await failure(client.getResource())).toEqual({ code: 'ROUTER_UNREACHABLE', message: `Router 127.0.0.1:${r.port} is unreachable: no answer to /system/resource/print within 150 ms` })
    r.api.faults.hangOn = undefined
    expect((await client.getResource()).version).toBe('7.18.2 (stable)')
    expect(r.api.logins).toBe(2)
    await pool.close()
  })

  it('fails every pending command when the router drops the connection mid-command', async () => {
    r = await startEmulatedRouter()
    for (let i = 1; i <= 3; i++) r.router.addDynamic('/ip/hotspot/active', { server: 'hotspot1', user: `u${i}`, address: `10.5.50.${i}`, 'mac-address': `AA:00:00:00:00:0${i}`, uptime: '1s', radius: 'true' })
    const pool = new RouterPool()
    const client = pool.clientFor(r.target)
    expect(await client.getIdentity()).toBe('MikroTik')
    r.api.faults.dropOn = '/ip/hotspot/active/print'
    expect(await failure(client.listHotspotActive())).toEqual({
      code: 'ROUTER_UNREACHABLE', message: `Router 127.0.0.1:${r.port} is unreachable: the router closed the connection before the command finished`,
    })
    r.api.faults.dropOn = undefined
    expect((await client.listHotspotActive()).map((s) => s.user)).toEqual(['u1', 'u2', 'u3'])
    await pool.close()
  })

  it('treats !fatal as the end of the session', async () => {
    r = await startEmulatedRouter()
    const connection = await RouterConnection.open(r.target)
    r.api.faults.fatalOn = '/system/identity/print'
    expect((await failure(connection.run('/system/identity/print'))).code).toBe('ROUTER_UNREACHABLE')
    expect(connection.isOpen).toBe(false)
    expect((await failure(connection.run('/system/clock/print'))).message).toBe(`Router 127.0.0.1:${r.port} is unreachable: the connection is closed (before /system/clock/print)`)
  })

  it('answers prints on RouterOS before 7.18 (no !empty) the same way', async () => {
    r = await startEmulatedRouter({ version: '7.16.2 (stable)' })
    const pool = new RouterPool()
    expect(await pool.clientFor(r.target).listPppActive()).toEqual([])
    expect(await pool.clientFor(r.target).getResource()).toMatchObject({ version: '7.16.2 (stable)' })
    await pool.close()
  })
})
