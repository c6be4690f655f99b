/**
 * What MnetiFi does with a provisioned router, end to end over real TCP/UDP against radiusd's radacct: ghost-session
 * reconciliation (on demand and as the BullMQ repeatable job), router health, and admin actions through the
 * RouterOS API with RADIUS as the fallback.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, recordCoaOutcomeAcrossTenants } from '@mnetifi/db'
import { withCoaStats } from '../../src/routeros/coa-stats.js'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { RECONCILE_JOB, startRouterJobs } from '../../src/routeros/router-jobs.js'
import { startRouterStack, type ProvisionedRouter, type RouterStack } from './provisioned-router.js'

let stack: RouterStack
let planId: string
beforeAll(async () => {
  stack = await startRouterStack('routeros-operations')
  planId = (await insertTestPlan(stack.ctx.tdb.db, stack.tenant.id)).id
})
afterAll(async () => stack.close())

async function customer(username: string): Promise<string> {
  const u = await insertTestUser(stack.ctx.tdb.db, stack.tenant.id, { username, password: `pw-${username}`, current_plan_id: planId, expiry_time: new Date(Date.now() + 3600_000) })
  return u.id
}

async function login(r: ProvisionedRouter, username: string, n: number): Promise<string> {
  const res = await r.router.hotspotLogin(username, `pw-${username}`, { mac: `AA:BB:CC:00:00:${String(n).padStart(2, '0')}`, ip: `10.5.50.${n}` })
  if (!res.ok) throw new Error(`login of ${username} refused: ${res.replyMessage}`)
  return res.id
}

async function openRows(nasIp: string) {
  return stack.ctx.tdb.db.selectFrom('radacct').select(['radacctid', 'username', 'acctstoptime', 'acctterminatecause'])
    .where('nasipaddress', '=', nasIp).orderBy('radacctid').execute()
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20))
}

const owner = () => ({ cookie: stack.tenant.owner })

describe('ghost sessions', () => {
  it('closes radacct rows the router no longer has and reports (then kicks) sessions accounting never saw', async () => {
    const r = await stack.provision('Ghost Town')
    await customer('ghost-1')
    await customer('ghost-2')
    const keep = await login(r, 'ghost-1', 1)
    const lost = await login(r, 'ghost-2', 2)
    r.router.forgetSession(lost) // rebooted away without an Accounting-Stop
    r.router.addUnaccountedSession('stowaway', { mac: 'AA:BB:CC:00:00:99', ip: '10.5.50.99' })
    const rows = await openRows(r.tunnelAddress)
    expect(rows.map((x) => [x.username, x.acctstoptime])).toEqual([['ghost-1', null], ['ghost-2', null]])

    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/hotspots/${r.hotspotId}/reconcile-sessions`, headers: owner(), payload: {} })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ hotspotId: r.hotspotId, routerSessions: 2, openRows: 2, closed: [rows[1]!.radacctid], kicked: 0 })
    expect(res.json().unaccounted).toEqual([{ kind: 'hotspot', id: expect.any(String), user: 'stowaway', address: '10.5.50.99', uptimeSeconds: 300 }])
    const after = await openRows(r.tunnelAddress)
    expect(after.map((x) => [x.username, x.acctstoptime === null, x.acctterminatecause])).toEqual([['ghost-1', true, null], ['ghost-2', false, 'Stale-Session']])

    const again = await stack.ctx.app.inject({ method: 'POST', url: `/api/hotspots/${r.hotspotId}/reconcile-sessions`, headers: owner(), payload: { kickUnaccounted: true } })
    expect(again.json()).toMatchObject({ closed: [], kicked: 1 })
    expect(r.router.items('/ip/hotspot/active').map((a) => a['.id'])).toEqual([keep])
  })

  it('runs as a BullMQ repeatable job that closes ghosts on every router and marks unreachable ones OFFLINE', async () => {
    const r = await stack.provision('Scheduled')
    const silent = await stack.provision('Silent')
    await customer('sched-1')
    const lost = await login(r, 'sched-1', 11)
    r.router.forgetSession(lost)
    // The silent router worked until now: it was ONLINE, last seen a minute ago.
    const lastSeen = new Date(Date.now() - 60_000)
    await stack.ctx.tdb.db.updateTable('hotspots').set({ connectivity_status: 'ONLINE', last_seen_at: lastSeen }).where('id', '=', silent.hotspotId).execute()
    await silent.stopApi()
    const jobs = await startRouterJobs({ ...stack.ctx.config, JOBS_PREFIX: `test-${randomUUID()}`, GHOST_SESSION_INTERVAL_SECONDS: 1, SAAS_BILLING_INTERVAL_SECONDS: 0 }, {
      db: stack.ctx.tdb.db, secretBox: stack.ctx.app.secretBox, log: createLogger({ level: 'silent' }),
    })
    try {
      expect((await jobs.queue.getJobSchedulers()).map((s) => [s.key, s.every])).toEqual([[RECONCILE_JOB, 1000]])
      await until(async () => (await openRows(r.tunnelAddress)).every((x) => x.acctterminatecause === 'Stale-Session'))
      await until(async () => (await silent.row()).connectivity_status === 'OFFLINE')
      // The sweep marks each router after reconciling it, so wait for this one's mark too.
      await until(async () => (await r.row()).connectivity_status === 'ONLINE')
      // Its owner hears about it once, by e-mail from MnetiFi; staff do not.
      const owner = await stack.ctx.tdb.db.selectFrom('admin_users').select(['id', 'email']).where('tenant_id', '=', stack.tenant.id).where('role', '=', 'TENANT_OWNER').executeTakeFirstOrThrow()
      await until(async () => (await stack.ctx.tdb.db.selectFrom('notification_outbox').select('id').where('event', '=', 'router.silent').execute()).length > 0)
      await new Promise((res) => setTimeout(res, 1500)) // a second sweep must not alert again
      const alerts = await stack.ctx.tdb.db.selectFrom('notification_outbox').selectAll().where('event', '=', 'router.silent').execute()
      expect(alerts.map((a) => [a.channel, a.recipient, a.dedupe_key])).toEqual([['EMAIL', owner.email, `router-silent:${silent.hotspotId}:${lastSeen.toISOString()}:${owner.id}`]])
      expect(alerts[0]!.subject).toBe('Router Silent is not answering')
      expect(alerts[0]!.body).toMatch(/^Dear .+,\n\nMnetiFi has not been able to reach your router Silent since \d+ \w+ \d{4}/)
    } finally {
      await jobs.close()
    }
  })
})

describe('router health', () => {
  it('reports the API, tunnel handshake, accounting, clock drift and no provisioning drift on a fresh router', async () => {
    const r = await stack.provision('Healthy', { clockOffsetMs: -90_000, version: '7.19.1 (stable)' })
    await customer('health-1')
    await login(r, 'health-1', 21)
    const peer = r.router.items('/interface/wireguard/peers')[0]!
    peer['last-handshake'] = '45s'
    const res = await stack.ctx.app.inject({ method: 'GET', url: `/api/hotspots/${r.hotspotId}/router-health`, headers: { cookie: stack.tenant.staff } })
    expect(res.statusCode).toBe(200)
    const h = res.json()
    expect(h).toMatchObject({
      hotspotId: r.hotspotId, api: { reachable: true, identity: 'healthy', version: '7.19.1 (stable)' }, tunnelHandshakeAgeSeconds: 45, openSessions: 1,
      coa: { requests: 0, acks: 0, successRate: null }, provisioningDrift: [],
    })
    expect(h.clockDriftSeconds).toBeGreaterThanOrEqual(-91)
    expect(h.clockDriftSeconds).toBeLessThanOrEqual(-89)
    expect(new Date(h.lastLoginAt).getTime()).toBeLessThanOrEqual(Date.now())
    expect((await r.row()).connectivity_status).toBe('ONLINE')
  })

  it('reports the CoA success rate the API\'s requests to this router had', async () => {
    const r = await stack.provision('CoA Counted')
    const fake = { disconnect: async () => ({ kind: 'ack' as const }), changeAuthorization: async () => ({ kind: 'timeout' as const }) }
    const counted = withCoaStats(fake, stack.ctx.tdb.db)
    const target = { nasIp: r.tunnelAddress, port: 3799, secret: r.radiusSecret }
    expect(await counted.disconnect(target, {})).toEqual({ kind: 'ack' })
    await counted.disconnect(target, {})
    await counted.disconnect(target, {})
    expect(await counted.changeAuthorization(target, {})).toEqual({ kind: 'timeout' })
    await recordCoaOutcomeAcrossTenants(stack.ctx.tdb.db, '192.0.2.254', 'ack') // no live hotspot there: not counted
    const h = (await stack.ctx.app.inject({ method: 'GET', url: `/api/hotspots/${r.hotspotId}/router-health`, headers: owner() })).json()
    expect(h.coa).toEqual({ requests: 4, acks: 3, successRate: 0.75 })
    expect(await stack.ctx.tdb.db.selectFrom('nas_coa_stats').select('nas_ip').where('nas_ip', '=', '192.0.2.254').execute()).toEqual([])
  })

  it('names what an admin changed by hand, without showing secrets', async () => {
    const r = await stack.provision('Drifted')
    const radius = r.router.items('/radius')[0]!
    r.router.set('/radius', [radius['.id']], { secret: 'typed-by-hand', 'src-address': '0.0.0.0' })
    r.router.set('/radius/incoming', undefined, { accept: 'no' })
    const h = (await stack.ctx.app.inject({ method: 'GET', url: `/api/hotspots/${r.hotspotId}/router-health`, headers: owner() })).json()
    expect(h.provisioningDrift).toEqual([
      '/radius secret differs from the hotspot\'s', `/radius src-address is 0.0.0.0, not ${r.tunnelAddress}`, '/radius incoming does not accept CoA on 3799',
    ])
    expect(JSON.stringify(h)).not.toContain('typed-by-hand')
  })

  it('says why a router is unreachable and marks it OFFLINE', async () => {
    const r = await stack.provision('Down')
    await r.stopApi()
    const h = (await stack.ctx.app.inject({ method: 'GET', url: `/api/hotspots/${r.hotspotId}/router-health`, headers: owner() })).json()
    expect(h.api.reachable).toBe(false)
    expect(h.api.code).toBe('ROUTER_UNREACHABLE')
    expect(h.api.message).toMatch(new RegExp(`^Router ${r.tunnelAddress.replace(/\./g, '\\.')}:\\d+ is unreachable: connection refused`))
    expect(h).toMatchObject({ clockDriftSeconds: null, provisioningDrift: null, tunnelHandshakeAgeSeconds: null })
    expect((await r.row()).connectivity_status).toBe('OFFLINE')
  })
})

describe('admin actions through the router', () => {
  it('suspends through the RouterOS API (session removed, Stop accounted) and activates again', async () => {
    const r = await stack.provision('Suspender')
    const userId = await customer('susp-1')
    await login(r, 'susp-1', 31)
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/users/${userId}/suspend`, headers: owner(), payload: { reason: 'abuse' } })
    expect(res.statusCode).toBe(200)
    expect(res.json().enforcement).toEqual({ radius: 'rejects', liveSession: { path: 'none', reason: 'handled-by-router-api' }, routerApi: { path: 'router-api', sessions: 1, routers: 1 } })
    expect(r.router.items('/ip/hotspot/active')).toEqual([])
    await until(async () => (await openRows(r.tunnelAddress)).every((x) => x.acctterminatecause === 'Admin-Reset'))
    const refused = await r.router.hotspotLogin('susp-1', 'pw-susp-1', { mac: 'AA:BB:CC:00:00:31', ip: '10.5.50.31' })
    expect(refused.ok).toBe(false)

    const act = await stack.ctx.app.inject({ method: 'POST', url: `/api/users/${userId}/activate`, headers: owner() })
    expect(act.json().enforcement).toEqual({ radius: 'accepts', liveSession: { path: 'none', reason: 'no-live-session' }, routerApi: { path: 'not-used', reason: 'not-needed' } })
    expect((await r.router.hotspotLogin('susp-1', 'pw-susp-1', { mac: 'AA:BB:CC:00:00:31', ip: '10.5.50.31' })).ok).toBe(true)
  })

  it('moves a user: the session on the old router is removed through its API', async () => {
    const from = await stack.provision('Move From')
    const to = await stack.provision('Move To')
    const userId = await customer('move-1')
    await login(from, 'move-1', 41)
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/users/${userId}/move`, headers: owner(), payload: { hotspotId: to.hotspotId } })
    expect(res.json().enforcement.routerApi).toEqual({ path: 'router-api', sessions: 1, routers: 1 })
    expect(from.router.items('/ip/hotspot/active')).toEqual([])
  })

  it('disconnects one session through the router API and reports the path', async () => {
    const r = await stack.provision('Disconnector')
    await customer('disc-1')
    await login(r, 'disc-1', 51)
    const [row] = (await openRows(r.tunnelAddress)).filter((x) => x.acctstoptime === null)
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/sessions/${row!.radacctid}/disconnect`, headers: owner() })
    expect(res.json().result).toEqual({ path: 'router-api', outcome: 'ack' })
    expect(r.router.items('/ip/hotspot/active')).toEqual([])
  })

  it('falls back to RADIUS when the router API does not answer, and says so', async () => {
    const r = await stack.provision('Unanswering')
    const userId = await customer('fall-1')
    await login(r, 'fall-1', 61)
    await r.stopApi()
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/users/${userId}/suspend`, headers: owner(), payload: {} })
    // This test app has no CoA client, so the RADIUS path reports itself unavailable.
    expect(res.json().enforcement).toEqual({ radius: 'rejects', liveSession: { path: 'unavailable', reason: 'no-coa-client' }, routerApi: { path: 'not-used', reason: 'unreachable' } })
  })
})
