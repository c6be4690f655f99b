import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestHotspot, insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import type { NewRadacct } from '@mnetifi/db'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
let h1: string
let h2: string
let p1: string
let p2: string

const row = (id: string, tenant: string, username: string, nas: string, start: string, octets: [number, number, number], pppoe = false): NewRadacct => ({
  acctsessionid: id, acctuniqueid: `u-${id}`, username, nasipaddress: nas, tenant_id: tenant, acctstarttime: new Date(start),
  acctinputoctets: octets[0], acctoutputoctets: octets[1], acctsessiontime: octets[2], framedprotocol: pppoe ? 'PPP' : null,
})

beforeAll(async () => {
  ctx = await buildTestApp('api_reports')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  h1 = (await insertTestHotspot(ctx.tdb.db, a.id, { nas_ip: '10.0.0.1', location_name: 'Market' })).id
  h2 = (await insertTestHotspot(ctx.tdb.db, a.id, { nas_ip: '10.0.0.2', location_name: 'Stage' })).id
  await insertTestHotspot(ctx.tdb.db, b.id, { nas_ip: '10.0.0.9' })
  p1 = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'Hour', price: 2000 })).id
  p2 = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'Day', price: 5000 })).id
  const db = ctx.tdb.db
  // s1 arrives as Start, then Interim-Update, then Stop: the roll-up must count it once with its final figures.
  await db.insertInto('radacct').values(row('s1', a.id, 'alice', '10.0.0.1', '2026-03-01T08:00:00Z', [0, 0, 0])).execute()
  await db.updateTable('radacct').set({ acctinputoctets: 1000, acctoutputoctets: 5000, acctsessiontime: 600 }).where('acctsessionid', '=', 's1').execute()
  await db.updateTable('radacct').set({ acctinputoctets: 3000, acctoutputoctets: 9000, acctsessiontime: 1800, acctstoptime: new Date('2026-03-01T08:30:00Z') }).where('acctsessionid', '=', 's1').execute()
  await db.insertInto('radacct').values([
    row('s2', a.id, 'bob', '10.0.0.1', '2026-03-01T22:30:00Z', [100, 200, 60]), // 01:30 on 2 March in Nairobi
    row('s3', a.id, 'alice', '10.0.0.2', '2026-03-02T10:00:00Z', [400, 800, 120]),
    row('s4', a.id, 'carol', '10.0.0.1', '2026-03-02T05:00:00Z', [10000, 20000, 3600], true),
    row('s5', a.id, 'alice', '10.0.0.1', '2026-03-01T09:00:00Z', [10, 20, 5]),
    row('s6', a.id, 'alice', '10.0.0.1', '2026-03-05T09:00:00Z', [7, 7, 7]), // outside the range
    row('x1', b.id, 'alice', '10.0.0.9', '2026-03-01T09:00:00Z', [999_999, 999_999, 999]), // another tenant
  ]).execute()
})
afterAll(async () => { await ctx.close() })

const get = (cookie: string, url: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie } })
const U = (sessions: number, uniqueUsers: number, uploadBytes: number, downloadBytes: number, sessionTimeSeconds: number) => ({ sessions, uniqueUsers, uploadBytes, downloadBytes, sessionTimeSeconds })

describe('performance report (from the roll-ups)', () => {
  it('matches the hand-computed figures per day, hotspot and service, in the tenant’s time zone', async () => {
    const res = await get(a.owner, '/api/reports/performance?from=2026-03-01&to=2026-03-02')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      period: { from: '2026-03-01', to: '2026-03-02', timezone: 'Africa/Nairobi' },
      totals: U(5, 3, 13510, 30020, 5585),
      byDay: [{ day: '2026-03-01', ...U(2, 1, 3010, 9020, 1805) }, { day: '2026-03-02', ...U(3, 3, 10500, 21000, 3780) }],
      byHotspot: [
        { nasIp: '10.0.0.1', hotspotId: h1, hotspotName: 'Market', ...U(4, 3, 13110, 29220, 5465) },
        { nasIp: '10.0.0.2', hotspotId: h2, hotspotName: 'Stage', ...U(1, 1, 400, 800, 120) },
      ],
      byService: [{ service: 'HOTSPOT', ...U(4, 2, 3510, 10020, 1985) }, { service: 'PPPOE', ...U(1, 1, 10000, 20000, 3600) }],
    })
  })

  it('filters by service and hotspot', async () => {
    expect((await get(a.owner, '/api/reports/performance?from=2026-03-01&to=2026-03-02&service=PPPOE')).json().totals).toEqual(U(1, 1, 10000, 20000, 3600))
    expect((await get(a.owner, `/api/reports/performance?from=2026-03-01&to=2026-03-02&hotspotId=${h2}`)).json().totals).toEqual(U(1, 1, 400, 800, 120))
  })

  it('picks up later Interim-Updates incrementally', async () => {
    await ctx.tdb.db.updateTable('radacct').set({ acctinputoctets: 1400, acctsessiontime: 300 }).where('acctsessionid', '=', 's3').execute()
    const res = (await get(a.owner, '/api/reports/performance?from=2026-03-02&to=2026-03-02')).json()
    expect(res.byDay).toEqual([{ day: '2026-03-02', ...U(3, 3, 11500, 21000, 3960) }])
    await ctx.tdb.db.updateTable('radacct').set({ acctinputoctets: 400, acctsessiontime: 120 }).where('acctsessionid', '=', 's3').execute()
  })

  it('exports CSV per day and per hotspot', async () => {
    const byDay = await get(a.owner, '/api/reports/performance?from=2026-03-01&to=2026-03-02&format=csv')
    expect(byDay.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(byDay.body.trim().split('\n')).toEqual([
      'day,sessions,uniqueUsers,uploadBytes,downloadBytes,sessionTimeSeconds', '2026-03-01,2,1,3010,9020,1805', '2026-03-02,3,3,10500,21000,3780',
    ])
    const byHotspot = await get(a.owner, '/api/reports/performance?from=2026-03-01&to=2026-03-02&format=csv&groupBy=hotspot')
    expect(byHotspot.body.split('\n')[1]).toBe(`10.0.0.1,${h1},Market,4,3,13110,29220,5465`)
  })

  it('refuses staff (403), a reversed or too long range (400 with paths), and another tenant’s hotspot (404)', async () => {
    expect((await get(a.staff, '/api/reports/performance?from=2026-03-01&to=2026-03-02')).statusCode).toBe(403)
    expect((await get(a.owner, '/api/reports/performance?from=2026-03-05&to=2026-03-01')).json().details).toEqual([{ path: 'querystring.from', message: 'must not be after to' }])
    expect((await get(a.owner, '/api/reports/performance?from=2025-01-01&to=2026-03-01')).json().details[0].path).toBe('querystring.to')
    expect((await get(a.owner, '/api/reports/performance?from=2026-3-1&to=2026-03-02')).statusCode).toBe(400)
    expect((await get(b.owner, `/api/reports/performance?from=2026-03-01&to=2026-03-02&hotspotId=${h1}`)).statusCode).toBe(404)
    expect((await get(b.owner, '/api/reports/performance?from=2026-03-01&to=2026-03-02')).json().totals).toEqual(U(1, 1, 999_999, 999_999, 999))
  })
})

describe('revenue and voucher reports', () => {
  beforeAll(async () => {
    const tx = (tenant: string, amount: number, completed: string | null, plan: string | null, hotspot: string | null, status: 'COMPLETED' | 'FAILED' | 'PENDING' = 'COMPLETED') => ({
      tenant_id: tenant, user_phone: '254700000000', amount, status, completed_at: completed ? new Date(completed) : null, plan_id: plan, hotspot_id: hotspot,
    })
    await ctx.tdb.db.insertInto('transactions').values([
      tx(a.id, 2000, '2026-03-01T10:00:00Z', p1, h1),
      tx(a.id, 5000, '2026-03-01T21:30:00Z', p2, h2), // 00:30 on 2 March in Nairobi
      tx(a.id, 2000, '2026-03-02T12:00:00Z', p1, h1),
      tx(a.id, 9999, null, p1, h1, 'FAILED'),
      tx(a.id, 7777, null, p1, h1, 'PENDING'),
      tx(b.id, 123_456, '2026-03-01T10:00:00Z', null, null),
    ]).execute()
    const batch = '00000000-0000-4000-8000-0000000000b1'
    await ctx.tdb.db.insertInto('vouchers').values([
      { tenant_id: a.id, batch_id: batch, code: 'AAAA-CCCC-EEE1', plan_id: p1, status: 'REDEEMED', redeemed_at: new Date('2026-03-02T08:00:00Z'), created_at: new Date('2026-03-01T06:00:00Z') },
      { tenant_id: a.id, batch_id: batch, code: 'AAAA-CCCC-EEE2', plan_id: p1, status: 'REDEEMED', redeemed_at: new Date('2026-03-02T09:00:00Z'), created_at: new Date('2026-03-01T06:00:00Z') },
      { tenant_id: a.id, batch_id: batch, code: 'AAAA-CCCC-EEE3', plan_id: p2, status: 'REDEEMED', redeemed_at: new Date('2026-03-01T20:59:00Z'), created_at: new Date('2026-03-01T06:00:00Z') },
      { tenant_id: a.id, batch_id: batch, code: 'AAAA-CCCC-EEE4', plan_id: p2, created_at: new Date('2026-03-01T06:00:00Z') },
    ]).execute()
  })

  it('sums completed revenue per local day, plan and hotspot', async () => {
    const day = (await get(a.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-02')).json()
    expect(day).toMatchObject({ currency: 'KES', totals: { payments: 3, amount: 9000 } })
    expect(day.rows).toEqual([{ key: '2026-03-01', label: '2026-03-01', payments: 1, amount: 2000 }, { key: '2026-03-02', label: '2026-03-02', payments: 2, amount: 7000 }])
    expect((await get(a.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-02&groupBy=plan')).json().rows).toEqual([
      { key: p2, label: 'Day', payments: 1, amount: 5000 }, { key: p1, label: 'Hour', payments: 2, amount: 4000 },
    ])
    expect((await get(a.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-02&groupBy=hotspot')).json().rows).toEqual([
      { key: h2, label: 'Stage', payments: 1, amount: 5000 }, { key: h1, label: 'Market', payments: 2, amount: 4000 },
    ])
    expect((await get(a.staff, '/api/reports/revenue?from=2026-03-01&to=2026-03-02')).statusCode).toBe(403)
    expect((await get(a.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-02&groupBy=week')).json().details[0].path).toBe('querystring.groupBy')
    expect((await get(b.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-02')).json().totals).toEqual({ payments: 1, amount: 123_456 })
    const csv = await get(a.owner, '/api/reports/revenue?from=2026-03-01&to=2026-03-01&format=csv')
    expect(csv.body.trim().split('\n')).toEqual(['key,label,payments,amount', '2026-03-01,2026-03-01,1,2000'])
  })

  it('counts vouchers generated and redeemed per local day and plan', async () => {
    expect((await get(a.owner, '/api/reports/vouchers?from=2026-03-01&to=2026-03-02')).json()).toMatchObject({
      generated: 4, redeemed: 3,
      byDay: [{ day: '2026-03-01', redeemed: 1 }, { day: '2026-03-02', redeemed: 2 }],
      byPlan: [{ planId: p1, planName: 'Hour', redeemed: 2 }, { planId: p2, planName: 'Day', redeemed: 1 }],
    })
    expect((await get(a.staff, '/api/reports/vouchers?from=2026-03-01&to=2026-03-02')).statusCode).toBe(403)
    expect((await get(b.owner, '/api/reports/vouchers?from=2026-03-01&to=2026-03-02')).json()).toMatchObject({ generated: 0, redeemed: 0 })
  })
})

describe('expiring soon', () => {
  it('lists active users whose plan ends within 5 days, soonest first, for staff too', async () => {
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000)
    const soon = await insertTestUser(ctx.tdb.db, a.id, { username: 'soon', current_plan_id: p1, expiry_time: inDays(1), phone_number: '254711000001' })
    const later = await insertTestUser(ctx.tdb.db, a.id, { username: 'later', current_plan_id: p2, expiry_time: inDays(4) })
    await insertTestUser(ctx.tdb.db, a.id, { username: 'far', current_plan_id: p1, expiry_time: inDays(6) })
    await insertTestUser(ctx.tdb.db, a.id, { username: 'gone', current_plan_id: p1, expiry_time: inDays(-1) })
    await insertTestUser(ctx.tdb.db, a.id, { username: 'suspended', current_plan_id: p1, expiry_time: inDays(2), status: 'SUSPENDED' })
    await insertTestUser(ctx.tdb.db, b.id, { username: 'foreign', expiry_time: inDays(1) })
    const res = (await get(a.staff, '/api/reports/expiring-soon')).json()
    expect(res).toMatchObject({ windowDays: 5, total: 2 })
    expect(res.items.map((i: { userId: string; planName: string }) => [i.userId, i.planName])).toEqual([[soon.id, 'Hour'], [later.id, 'Day']])
    expect(res.items[0].secondsLeft).toBeGreaterThan(86_000)
    expect((await get(a.staff, '/api/reports/expiring-soon?days=7')).json().total).toBe(3)
    expect((await get(a.staff, '/api/reports/expiring-soon?days=0')).json().details[0].path).toBe('querystring.days')
    const csv = await get(a.staff, '/api/reports/expiring-soon?format=csv')
    expect(csv.body.split('\n')[1]).toContain(`${soon.id},soon,`)
  })
})
