/**
 * The documented mirror: plans, users, IP assignments, tenants and hotspots → FreeRADIUS rows
 * (see migrations/src/2026_11_26_090400_create_radius_mirror_triggers.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase,
} from '@mnetifi/db/testing'
import { updatePlan, updateTenant, updateWifiUser, updateHotspot } from '@mnetifi/db'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('mirror_triggers') })
afterAll(async () => { await t?.destroy() })
beforeEach(async () => { await t.truncate() })

async function userRows(username: string) {
  const check = await t.db.selectFrom('radcheck').select(['attribute', 'op', 'value', 'managed_by'])
    .where('username', '=', username).orderBy('id').execute()
  const reply = await t.db.selectFrom('radreply').select(['attribute', 'op', 'value'])
    .where('username', '=', username).orderBy('id').execute()
  const groups = await t.db.selectFrom('radusergroup').select(['groupname', 'priority'])
    .where('username', '=', username).execute()
  return { check, reply, groups }
}

async function groupRows(group: string) {
  const reply = await t.db.selectFrom('radgroupreply').select(['attribute', 'op', 'value'])
    .where('groupname', '=', group).orderBy('id').execute()
  const check = await t.db.selectFrom('radgroupcheck').select(['attribute', 'op', 'value'])
    .where('groupname', '=', group).orderBy('id').execute()
  return { reply, check }
}

describe('plan mirror', () => {
  it('writes the plan group with the rendered rate limit, interval, idle timeout, quota and Simultaneous-Use', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id, {
      upload_limit: 2_000_000, download_limit: 5_000_000, burst_rate_up: 4_000_000, burst_rate_down: 10_000_000,
      burst_threshold_up: 1_500_000, burst_threshold_down: 4_000_000, burst_time: 8, acct_interim_interval: 300,
      idle_timeout: 600, data_quota: 5 * 4294967296 + 1000,
    })
    expect(await groupRows(`mnetifi:plan:${plan.id}`)).toEqual({
      reply: [
        { attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '2M/5M 4M/10M 1500k/4M 8/8' },
        { attribute: 'Acct-Interim-Interval', op: ':=', value: '300' },
        { attribute: 'Idle-Timeout', op: ':=', value: '600' },
        { attribute: 'Mikrotik-Total-Limit', op: ':=', value: '1000' },
        { attribute: 'Mikrotik-Total-Limit-Gigawords', op: ':=', value: '5' },
      ],
      check: [{ attribute: 'Simultaneous-Use', op: ':=', value: '1' }],
    })
  })

  it('rewrites the group when the plan changes and removes it when archived', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id)
    await updatePlan(t.db, tenant.id, plan.id, { download_limit: 10_000_000, simultaneous_use: 2 })
    expect(await groupRows(`mnetifi:plan:${plan.id}`)).toEqual({
      reply: [{ attribute: 'Mikrotik-Rate-Limit', op: ':=', value: '2M/10M' }],
      check: [{ attribute: 'Simultaneous-Use', op: ':=', value: '2' }],
    })
    await updatePlan(t.db, tenant.id, plan.id, { archived_at: new Date() })
    expect(await groupRows(`mnetifi:plan:${plan.id}`)).toEqual({ reply: [], check: [] })
  })

  it('refuses a burst below the limit or a threshold above it', async () => {
    const tenant = await insertTestTenant(t.db)
    await expect(insertTestPlan(t.db, tenant.id, {
      burst_rate_up: 1_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 1_000_000,
      burst_threshold_down: 1_000_000, burst_time: 8,
    })).rejects.toThrow(/plans_burst_above_limit/)
    await expect(insertTestPlan(t.db, tenant.id, {
      burst_rate_up: 4_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 3_000_000,
      burst_threshold_down: 1_000_000, burst_time: 8,
    })).rejects.toThrow(/plans_threshold_below_limit/)
  })
})

describe('user mirror', () => {
  it('mirrors an active hotspot user with password, expiry, Class and plan group', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id)
    const user = await insertTestUser(t.db, tenant.id, {
      username: 'alice', password: 'pw1', current_plan_id: plan.id, expiry_time: new Date('2026-12-01T05:06:07Z'),
    })
    expect(await userRows('alice')).toEqual({
      check: [
        { attribute: 'Cleartext-Password', op: ':=', value: 'pw1', managed_by: 'mnetifi' },
        { attribute: 'Expiration', op: ':=', value: 'Dec 01 2026 05:06:07 UTC', managed_by: 'mnetifi' },
      ],
      reply: [{ attribute: 'Class', op: ':=', value: `mnetifi:${tenant.id}:${user.id}:${plan.id}` }],
      groups: [{ groupname: `mnetifi:plan:${plan.id}`, priority: 0 }],
    })
    const tenants = await t.db.selectFrom('radcheck').select('tenant_id').distinct().execute()
    expect(tenants).toEqual([{ tenant_id: tenant.id }])
  })

  it('gives PPPoE users Framed-Protocol and their pool, static users their address', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id, { account_types: ['PPPOE', 'STATIC'] })
    const expiry_time = new Date('2027-01-01T00:00:00Z')
    await insertTestUser(t.db, tenant.id, { username: 'ppp1', account_type: 'PPPOE', framed_pool: 'pppoe-pool', current_plan_id: plan.id, expiry_time })
    const stat = await insertTestUser(t.db, tenant.id, { username: 'static1', account_type: 'STATIC', current_plan_id: plan.id, expiry_time })
    const pool = await t.db.insertInto('ip_pools').values({ tenant_id: tenant.id, name: 'static', cidr: '10.20.0.0/24' })
      .returning('id').executeTakeFirstOrThrow()
    await t.db.insertInto('ip_assignments').values({ tenant_id: tenant.id, pool_id: pool.id, user_id: stat.id, ip_address: '10.20.0.7' }).execute()

    expect((await userRows('ppp1')).reply.map((r) => [r.attribute, r.value])).toEqual([
      ['Framed-Protocol', 'PPP'], ['Framed-Pool', 'pppoe-pool'], ['Class', expect.stringMatching(/^mnetifi:/)],
    ])
    expect((await userRows('static1')).reply.map((r) => [r.attribute, r.value])).toEqual([
      ['Framed-IP-Address', '10.20.0.7'], ['Class', expect.stringMatching(/^mnetifi:/)],
    ])
    await t.db.deleteFrom('ip_assignments').where('user_id', '=', stat.id).execute()
    expect((await userRows('static1')).reply.map((r) => r.attribute)).toEqual(['Class'])
  })

  it('rejects a suspended user with a readable message, and restores on activation', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id)
    const user = await insertTestUser(t.db, tenant.id, { username: 'bob', current_plan_id: plan.id, expiry_time: new Date('2027-01-01T00:00:00Z') })
    await updateWifiUser(t.db, tenant.id, user.id, { status: 'SUSPENDED' })
    const suspended = await userRows('bob')
    expect(suspended.check.map((r) => [r.attribute, r.value])).toEqual([
      ['Cleartext-Password', 'secret-pw'], ['Expiration', 'Jan 01 2027 00:00:00 UTC'], ['Auth-Type', 'Reject'],
    ])
    expect(suspended.reply).toEqual([{ attribute: 'Reply-Message', op: ':=', value: 'Your account is suspended. Please contact support.' }])
    expect(suspended.groups).toEqual([])
    await updateWifiUser(t.db, tenant.id, user.id, { status: 'ACTIVE' })
    expect((await userRows('bob')).check.map((r) => r.attribute)).toEqual(['Cleartext-Password', 'Expiration'])
  })

  it('rejects users without a plan, or whose plan does not serve their account type', async () => {
    const tenant = await insertTestTenant(t.db)
    const plan = await insertTestPlan(t.db, tenant.id, { account_types: ['HOTSPOT'] })
    await insertTestUser(t.db, tenant.id, { username: 'noplan' })
    await insertTestUser(t.db, tenant.id, { username: 'ppp', account_type: 'PPPOE', current_plan_id: plan.id, expiry_time: new Date('2027-01-01T00:00:00Z') })
    expect((await userRows('noplan')).reply[0]?.value).toBe('You have no active plan. Please buy a package.')
    expect((await userRows('ppp')).reply[0]?.value).toBe('Your plan does not cover this type of connection.')
    await updatePlan(t.db, tenant.id, plan.id, { account_types: ['HOTSPOT', 'PPPOE'] })
    expect((await userRows('ppp')).check.map((r) => r.attribute)).toEqual(['Cleartext-Password', 'Expiration'])
  })

  it('follows renames and deletes, and never touches operator rows', async () => {
    const tenant = await insertTestTenant(t.db)
    const user = await insertTestUser(t.db, tenant.id, { username: 'old' })
    await t.db.insertInto('radcheck').values({ username: 'old', attribute: 'Simultaneous-Use', op: ':=', value: '3' }).execute()
    await updateWifiUser(t.db, tenant.id, user.id, { username: 'new' })
    expect((await userRows('old')).check).toEqual([{ attribute: 'Simultaneous-Use', op: ':=', value: '3', managed_by: null }])
    expect((await userRows('new')).check.map((r) => r.attribute)).toEqual(['Cleartext-Password', 'Auth-Type'])
    await t.db.deleteFrom('wifi_users').where('id', '=', user.id).execute()
    expect(await userRows('new')).toEqual({ check: [], reply: [], groups: [] })
    expect((await userRows('old')).check).toHaveLength(1)
  })

  it('blocks every user of a tenant whose MnetiFi subscription is BLOCKED, and only that tenant', async () => {
    const a = await insertTestTenant(t.db)
    const b = await insertTestTenant(t.db)
    const expiry_time = new Date('2027-01-01T00:00:00Z')
    const planA = await insertTestPlan(t.db, a.id)
    const planB = await insertTestPlan(t.db, b.id)
    await insertTestUser(t.db, a.id, { username: 'same', current_plan_id: planA.id, expiry_time })
    await insertTestUser(t.db, b.id, { username: 'same', current_plan_id: planB.id, expiry_time })
    await updateTenant(t.db, a.id, { saas_billing_status: 'BLOCKED' })
    const rejects = await t.db.selectFrom('radcheck').select('tenant_id')
      .where('attribute', '=', 'Auth-Type').where('value', '=', 'Reject').execute()
    expect(rejects).toEqual([{ tenant_id: a.id }])
    await updateTenant(t.db, a.id, { saas_billing_status: 'ACTIVE' })
    expect(await t.db.selectFrom('radcheck').select('id').where('attribute', '=', 'Auth-Type').execute()).toEqual([])
  })
})

describe('hotspot mirror', () => {
  it('keeps one nas row per hotspot, following address and secret changes, and removes it when archived', async () => {
    const tenant = await insertTestTenant(t.db)
    const hotspot = await insertTestHotspot(t.db, tenant.id, { nas_ip: '10.99.0.2', radius_secret: 'first-secret', location_name: 'Kibera Market' })
    await updateHotspot(t.db, tenant.id, hotspot.id, { nas_ip: '10.99.0.3', radius_secret: 'second-secret' })
    const nas = await t.db.selectFrom('nas').select(['nasname', 'shortname', 'type', 'secret', 'tenant_id', 'hotspot_id']).execute()
    expect(nas).toEqual([{ nasname: '10.99.0.3', shortname: 'Kibera Market', type: 'other', secret: 'second-secret', tenant_id: tenant.id, hotspot_id: hotspot.id }])
    await updateHotspot(t.db, tenant.id, hotspot.id, { archived_at: new Date() })
    expect(await t.db.selectFrom('nas').selectAll().execute()).toEqual([])
  })

  it('notifies listeners when NAS rows change', async () => {
    const tenant = await insertTestTenant(t.db)
    const { pg } = await import('@mnetifi/db')
    const client = new pg.Client({ connectionString: t.url })
    await client.connect()
    const got = new Promise<string>((resolve) => client.on('notification', (n) => resolve(n.channel)))
    await client.query('LISTEN mnetifi_nas_changed')
    await insertTestHotspot(t.db, tenant.id, { nas_ip: '10.99.0.9' })
    expect(await got).toBe('mnetifi_nas_changed')
    await client.end()
  })
})

describe('rate-limit parity', () => {
  it('renders the same string in SQL (mnetifi_rate_limit) as in db/src/domain (renderRateLimit)', async () => {
    const { renderRateLimit } = await import('@mnetifi/db/domain')
    const tenant = await insertTestTenant(t.db)
    const cases = [
      {},
      { upload_limit: 512_000, download_limit: 1_500_000 },
      { upload_limit: 1234, download_limit: 100_000_000, priority: 8 },
      { burst_rate_up: 4_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 1_500_000, burst_threshold_down: 4_000_000, burst_time: 8 },
      { burst_rate_up: 2_500_000, burst_rate_down: 6_000_000, burst_threshold_up: 999, burst_threshold_down: 5_000_000, burst_time: 30, priority: 1 },
    ]
    for (const [i, overrides] of cases.entries()) {
      const plan = await insertTestPlan(t.db, tenant.id, { name: `p${i}`, ...overrides })
      const r = await sql<{ s: string }>`SELECT mnetifi_rate_limit(p) AS s FROM plans p WHERE id = ${plan.id}`.execute(t.db)
      expect(r.rows[0]?.s).toBe(renderRateLimit(plan))
    }
  })
})
