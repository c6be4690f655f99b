import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
let staticPlan: string
beforeAll(async () => {
  ctx = await buildTestApp('api_ip_pools')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  staticPlan = (await insertTestPlan(ctx.tdb.db, a.id, { account_types: ['STATIC', 'PPPOE'] })).id
})
afterAll(async () => { await ctx.close() })

const staticUser = (username: string) => insertTestUser(ctx.tdb.db, a.id, { account_type: 'STATIC', username, current_plan_id: staticPlan, expiry_time: new Date(Date.now() + 86_400_000) })
const createPool = (cookie: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/api/ip-pools', headers: { cookie }, payload })
const assign = (cookie: string, poolId: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/api/ip-pools/${poolId}/assignments`, headers: { cookie }, payload })

describe('IP pools', () => {
  it('allocates next free addresses skipping network and gateway, until exhaustion (409), and reports utilisation', async () => {
    const pool = (await createPool(a.owner, { name: 'tiny', cidr: '10.20.0.5/29', gateway: '10.20.0.1' })).json()
    expect(pool).toMatchObject({ cidr: '10.20.0.0/29', size: 5, used: 0, free: 5, utilisation: 0 })
    const ips: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await assign(a.staff, pool.id, { userId: (await staticUser(`s${i}`)).id })
      expect(res.statusCode).toBe(201)
      ips.push(res.json().ipAddress)
    }
    expect(ips).toEqual(['10.20.0.2', '10.20.0.3', '10.20.0.4', '10.20.0.5', '10.20.0.6'])
    const full = await assign(a.staff, pool.id, { userId: (await staticUser('s-extra')).id })
    expect(full.statusCode).toBe(409)
    expect(full.json()).toEqual({ error: 'CONFLICT', message: 'Pool tiny is exhausted' })
    const report = (await ctx.app.inject({ method: 'GET', url: '/api/ip-pools', headers: { cookie: a.staff } })).json()
    expect(report.totals).toEqual({ size: 5, used: 5, free: 0, utilisation: 1 })
    const reply = await ctx.tdb.db.selectFrom('radreply').select('value').where('username', '=', 's0').where('attribute', '=', 'Framed-IP-Address').executeTakeFirstOrThrow()
    expect(reply.value).toBe('10.20.0.2')
  })

  it('assigns a chosen address, refuses conflicts, releases, and re-uses the freed address', async () => {
    const pool = (await createPool(a.owner, { name: 'office', cidr: '10.30.0.0/24' })).json()
    const u1 = await staticUser('o1')
    const u2 = await staticUser('o2')
    const chosen = await assign(a.staff, pool.id, { userId: u1.id, ipAddress: '10.30.0.50' })
    expect(chosen.json()).toMatchObject({ ipAddress: '10.30.0.50', userId: u1.id, username: 'o1' })
    expect((await assign(a.staff, pool.id, { userId: u2.id, ipAddress: '10.30.0.50' })).json()).toEqual({ error: 'CONFLICT', message: '10.30.0.50 is already assigned to another user' })
    expect((await assign(a.staff, pool.id, { userId: u1.id })).json().message).toBe('The user already holds 10.30.0.50; release it first')
    for (const ip of ['10.31.0.1', '10.30.0.0', '10.30.0.255']) {
      const res = await assign(a.staff, pool.id, { userId: u2.id, ipAddress: ip })
      expect(res.statusCode, ip).toBe(400)
      expect(res.json().details[0].path).toBe('body.ipAddress')
    }
    const released = await ctx.app.inject({ method: 'DELETE', url: `/api/ip-pools/${pool.id}/assignments/${u1.id}`, headers: { cookie: a.staff } })
    expect(released.json().ipAddress).toBe('10.30.0.50')
    const again = await ctx.app.inject({ method: 'DELETE', url: `/api/ip-pools/${pool.id}/assignments/${u1.id}`, headers: { cookie: a.staff } })
    expect(again.statusCode).toBe(404) // releasing twice: nothing to release
    expect(again.json()).toEqual({ error: 'NOT_FOUND', message: 'No such assignment' })
    expect((await assign(a.staff, pool.id, { userId: u2.id, ipAddress: '10.30.0.50' })).statusCode).toBe(201)
    expect((await ctx.app.inject({ method: 'GET', url: `/api/ip-pools/${pool.id}/assignments`, headers: { cookie: a.staff } })).json().items.map((x: { username: string }) => x.username)).toEqual(['o2'])
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/ip-pools/${pool.id}`, headers: { cookie: a.owner } })).statusCode).toBe(409)
  })

  it('refuses overlapping pools (409), bad CIDRs (400), hotspot users (400), staff pool creation (403), and other tenants (404)', async () => {
    expect((await createPool(a.owner, { name: 'overlap', cidr: '10.30.0.128/25' })).json().message).toBe('The range overlaps pool "office" (10.30.0.0/24)')
    const bad = await createPool(a.owner, { name: 'bad', cidr: '10.0.0.0/8' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].path).toBe('body.cidr')
    expect((await createPool(a.staff, { name: 'x', cidr: '10.40.0.0/24' })).statusCode).toBe(403)
    const pool = (await createPool(a.owner, { name: 'spare', cidr: '10.50.0.0/30' })).json()
    const hotspotUser = await insertTestUser(ctx.tdb.db, a.id, { username: 'hs' })
    expect((await assign(a.staff, pool.id, { userId: hotspotUser.id })).json().details[0]).toEqual({ path: 'body.userId', message: 'must be a STATIC or PPPOE user' })
    expect((await assign(b.owner, pool.id, { userId: hotspotUser.id })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: `/api/ip-pools/${pool.id}`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    // The same range in another tenant is fine: pools are per tenant.
    expect((await createPool(b.owner, { name: 'office', cidr: '10.30.0.0/24' })).statusCode).toBe(201)
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/ip-pools/${pool.id}`, headers: { cookie: a.owner } })).statusCode).toBe(200)
  })
})
