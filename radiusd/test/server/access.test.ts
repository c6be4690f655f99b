import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { PlanRow, TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { ntPasswordHash, generateNtResponse, mppeKeys, authenticatorResponse } from '../../src/auth/mschapv2.js'
import { radclient, radtest, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
let burstPlan: PlanRow
let pppoePlan: PlanRow
const hex = (s: string): string => `0x${Buffer.from(s).toString('hex')}`
const inOneHour = (): Date => new Date(Date.now() + 3600_000)

beforeAll(async () => {
  t = await createTestDatabase('radiusd_access')
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id, { acct_interim_interval: 600 })
  burstPlan = await insertTestPlan(t.db, tenant.id, { upload_limit: 2_000_000, download_limit: 5_000_000, burst_rate_up: 4_000_000,
    burst_rate_down: 10_000_000, burst_threshold_up: 1_500_000, burst_threshold_down: 4_000_000, burst_time: 16, priority: 5,
    idle_timeout: 300 })
  pppoePlan = await insertTestPlan(t.db, tenant.id, { name: 'PPPoE 10M', upload_limit: 10_000_000, download_limit: 10_000_000,
    account_types: ['PPPOE', 'STATIC'], acct_interim_interval: 900, data_quota: 5 * 4294967296 + 1000 })
  radiusd = await startTestRadiusd(t)
})
beforeEach(async () => { await sql`TRUNCATE radacct, radiusd_session_claims`.execute(t.db) })
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

async function hotspotUser(username: string, overrides: Record<string, unknown> = {}) {
  return insertTestUser(t.db, tenant.id, { username, password: 'pw-' + username, current_plan_id: burstPlan.id, expiry_time: inOneHour(), ...overrides })
}

describe('Access-Request from radclient/radtest (PAP, CHAP, MS-CHAPv2)', () => {
  it('accepts a PAP login (radtest) with exactly the plan and user reply attributes, Message-Authenticator first', async () => {
    const user = await hotspotUser('pap-ok')
    const before = Date.now()
    const reply = await radtest('pap-ok', 'pw-pap-ok', radiusd.authPort, SECRET)
    const after = Date.now()
    expect(reply.code).toBe('Access-Accept')
    expect(reply.attributes[0]![0]).toBe('Message-Authenticator')
    const timeout = Number(reply.attributes.find(([n]) => n === 'Session-Timeout')?.[1])
    expect(timeout).toBeGreaterThanOrEqual(Math.floor((user.expiry_time!.getTime() - after) / 1000))
    expect(timeout).toBeLessThanOrEqual(Math.floor((user.expiry_time!.getTime() - before) / 1000))
    expect(reply.attributes.slice(1)).toEqual([
      ['Mikrotik-Rate-Limit', '2M/5M 4M/10M 1500k/4M 16/16 5'],
      ['Session-Timeout', String(timeout)],
      ['Acct-Interim-Interval', '600'],
      ['Idle-Timeout', '300'],
      ['Class', hex(`mnetifi:${tenant.id}:${user.id}:${burstPlan.id}`)],
    ])
  })

  it('accepts CHAP (challenge = Request Authenticator) and rejects a wrong CHAP password with a readable message', async () => {
    await hotspotUser('chap-user')
    const [ok] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = chap-user\nCHAP-Password = pw-chap-user\nCalling-Station-Id = "AA:00:00:00:00:01"'])
    expect(ok?.code).toBe('Access-Accept')
    const [bad] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = chap-user\nCHAP-Password = nope\nCalling-Station-Id = "AA:00:00:00:00:01"'])
    expect(bad?.code).toBe('Access-Reject')
    expect(bad?.attributes.slice(1)).toEqual([['Reply-Message', 'Wrong password. Please try again.']])
  })

  it('accepts MS-CHAPv2 with MS-CHAP2-Success and the RFC 3079 MPPE keys; rejects a wrong one with MS-CHAP-Error', async () => {
    await insertTestUser(t.db, tenant.id, { username: 'ppp-ms', password: 'clientPass', account_type: 'PPPOE',
      current_plan_id: pppoePlan.id, expiry_time: inOneHour(), framed_pool: 'pppoe-pool' })
    const authChallenge = Buffer.from('5B5D7C7D7B3F2F3E3C2C602132262628', 'hex')
    const peer = Buffer.from('21402324255E262A28295F2B3A337C7E', 'hex')
    const nt = generateNtResponse(authChallenge, peer, 'ppp-ms', ntPasswordHash('clientPass'))
    const response = Buffer.concat([Buffer.from([7, 0]), peer, Buffer.alloc(8), nt])
    const req = (r: Buffer) => `User-Name = ppp-ms\nFramed-Protocol = PPP\nService-Type = Framed-User\nCalling-Station-Id = "AA:00:00:00:00:02"\nMS-CHAP-Challenge = 0x${authChallenge.toString('hex')}\nMS-CHAP2-Response = 0x${r.toString('hex')}`
    const [ok] = await radclient(radiusd.authPort, 'auth', SECRET, [req(response)])
    expect(ok?.code).toBe('Access-Accept')
    const keys = mppeKeys(ntPasswordHash('clientPass'), nt)
    const success = `S=${authenticatorResponse(ntPasswordHash('clientPass'), nt, peer, authChallenge, 'ppp-ms').slice(2)}`
    const attrs = Object.fromEntries(ok!.attributes)
    expect(attrs['MS-CHAP2-Success']).toBe(`0x07${Buffer.from(success).toString('hex')}`)
    expect(attrs['MS-MPPE-Send-Key']).toBe(`0x${keys.sendKey.toString('hex')}`)
    expect(attrs['MS-MPPE-Recv-Key']).toBe(`0x${keys.recvKey.toString('hex')}`)
    expect(attrs['Framed-Protocol']).toBe('PPP')
    expect(attrs['Framed-Pool']).toBe('pppoe-pool')
    expect(attrs['Mikrotik-Total-Limit']).toBe('1000')
    expect(attrs['Mikrotik-Total-Limit-Gigawords']).toBe('5')
    expect(attrs['Acct-Interim-Interval']).toBe('900')

    const wrong = Buffer.from(response)
    wrong[30] = wrong[30]! ^ 0xff
    const [bad] = await radclient(radiusd.authPort, 'auth', SECRET, [req(wrong)])
    expect(bad?.code).toBe('Access-Reject')
    expect(bad?.attributes.slice(1)).toEqual([['Reply-Message', 'Wrong password. Please try again.'],
      ['MS-CHAP-Error', `\\007E=691 R=1 C=${authChallenge.toString('hex').toUpperCase()} V=3 M=Authentication rejected`]])
  })

  it('gives a static PPPoE user Framed-IP-Address from the pool assignment instead of Framed-Pool', async () => {
    const user = await insertTestUser(t.db, tenant.id, { username: 'static-1', password: 'pw', account_type: 'STATIC',
      current_plan_id: pppoePlan.id, expiry_time: inOneHour() })
    const pool = await t.db.insertInto('ip_pools').values({ tenant_id: tenant.id, name: 'statics', cidr: '10.50.0.0/24' }).returning('id').executeTakeFirstOrThrow()
    await t.db.insertInto('ip_assignments').values({ tenant_id: tenant.id, pool_id: pool.id, user_id: user.id, ip_address: '10.50.0.7' }).execute()
    const reply = await radtest('static-1', 'pw', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Accept')
    expect(reply.attributes.find(([n]) => n === 'Framed-IP-Address')).toEqual(['Framed-IP-Address', '10.50.0.7'])
    expect(reply.attributes.some(([n]) => n === 'Framed-Pool' || n === 'Framed-Protocol')).toBe(false)
  })
})

describe('rejects carry a Reply-Message a person can read, and nothing else', () => {
  it.each([
    ['an unknown user', 'nobody-here', {}, 'Unknown username. Please check it, or buy a package to get one.'],
    ['a suspended user', 'susp', { status: 'SUSPENDED' }, 'Your account is suspended. Please contact support.'],
    ['an expired user', 'expd', { expiry_time: new Date(Date.now() - 1000) }, 'Your package has expired. Please buy a new package to continue.'],
    ['a user without a plan', 'noplan', { current_plan_id: null, expiry_time: null }, 'You have no active plan. Please buy a package.'],
    ['a PPPoE user on a hotspot-only plan', 'wrongtype', { account_type: 'PPPOE' }, 'Your plan does not cover this type of connection.'],
  ])('rejects %s', async (_what, username, overrides, message) => {
    if (username !== 'nobody-here') await hotspotUser(username, overrides)
    const reply = await radtest(username, `pw-${username}`, radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Reject')
    expect(reply.attributes.slice(1)).toEqual([['Reply-Message', message]])
  })

  it('rejects every subscriber of a BLOCKED tenant, and accepts again once it is ACTIVE', async () => {
    await hotspotUser('tenant-user')
    await t.db.updateTable('tenants').set({ saas_billing_status: 'BLOCKED' }).where('id', '=', tenant.id).execute()
    try {
      const reply = await radtest('tenant-user', 'pw-tenant-user', radiusd.authPort, SECRET)
      expect(reply.attributes.slice(1)).toEqual([['Reply-Message', 'Service is temporarily unavailable. Please contact your provider.']])
    } finally {
      await t.db.updateTable('tenants').set({ saas_billing_status: 'ACTIVE' }).where('id', '=', tenant.id).execute()
    }
    expect((await radtest('tenant-user', 'pw-tenant-user', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
  })
})

describe('Simultaneous-Use = 1', () => {
  const login = (user: string, mac: string) => `User-Name = ${user}\nUser-Password = pw-${user}\nCalling-Station-Id = "${mac}"`

  it('rejects a second device while an open, fresh session exists; a stale session (no interim for 2 × interval + grace) does not count', async () => {
    await hotspotUser('simul')
    await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, callingstationid, tenant_id)
      VALUES ('s1', 'u-simul', 'simul', '127.0.0.1', now(), now(), 'AA:00:00:00:00:10', ${tenant.id})`.execute(t.db)
    const [denied] = await radclient(radiusd.authPort, 'auth', SECRET, [login('simul', 'AA:00:00:00:00:11')])
    expect(denied?.attributes.slice(1)).toEqual([['Reply-Message', 'You are already logged in - access denied']])
    // Interim interval 600 s (hotspot) ⇒ stale after 2 × 600 + 60 s without an update.
    await sql`UPDATE radacct SET acctupdatetime = now() - interval '1261 seconds', acctstarttime = now() - interval '2 hours'`.execute(t.db)
    const [ok] = await radclient(radiusd.authPort, 'auth', SECRET, [login('simul', 'AA:00:00:00:00:11')])
    expect(ok?.code).toBe('Access-Accept')
  })

  it('accepts exactly one of two concurrent logins from different devices (no race)', async () => {
    await hotspotUser('racer')
    const replies = await radclient(radiusd.authPort, 'auth', SECRET,
      [login('racer', 'AA:00:00:00:00:21'), login('racer', 'AA:00:00:00:00:22'), login('racer', 'AA:00:00:00:00:23')], { parallel: 3 })
    expect(replies.map((r) => r.code).sort()).toEqual(['Access-Accept', 'Access-Reject', 'Access-Reject'])
  })

  it('lets the same device log in again right after its first accept (a retried login is not a second session)', async () => {
    await hotspotUser('retry')
    for (let i = 0; i < 2; i++) {
      const [r] = await radclient(radiusd.authPort, 'auth', SECRET, [login('retry', 'AA:00:00:00:00:31')])
      expect(r?.code).toBe('Access-Accept')
    }
  })
})

describe('MAC authentication (login-by=mac)', () => {
  it('lets a device that paid in by its MAC with the paying user\'s plan attributes, and writes radpostauth without passwords', async () => {
    const user = await hotspotUser('payer')
    await t.db.insertInto('wifi_user_devices').values({ tenant_id: tenant.id, user_id: user.id, mac_address: 'bc:24:11:eb:56:4d' }).execute()
    const [r] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = "BC:24:11:EB:56:4D"\nUser-Password = ""\nCalling-Station-Id = "BC:24:11:EB:56:4D"'])
    expect(r?.code).toBe('Access-Accept')
    expect(r?.attributes.find(([n]) => n === 'Class')?.[1]).toBe(hex(`mnetifi:${tenant.id}:${user.id}:${burstPlan.id}`))
    await new Promise((res) => setTimeout(res, 600))
    const rows = await sql<{ username: string; pass: string | null; reply: string }>`SELECT username, pass, reply FROM radpostauth WHERE username = 'payer'`.execute(t.db)
    expect(rows.rows).toEqual([{ username: 'payer', pass: null, reply: 'Access-Accept' }])
  })
})
