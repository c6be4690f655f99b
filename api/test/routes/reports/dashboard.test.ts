import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestHotspot, insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { addDays, localDay, startOfMonth, startOfWeek } from '@mnetifi/db/domain'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
const now = new Date()
const HOUR = 3_600_000
const today = localDay(now, 'Africa/Nairobi')

beforeAll(async () => {
  ctx = await buildTestApp('api_dashboard')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  const db = ctx.tdb.db
  const plan = await insertTestPlan(db, a.id, { name: 'Day', price: 5000 })
  await insertTestHotspot(db, a.id, { nas_ip: '10.0.0.1' })
  const tx = (tenant: string, amount: number, at: Date, status: 'COMPLETED' | 'FAILED' | 'PENDING' = 'COMPLETED', extra: object = {}) => ({
    tenant_id: tenant, user_phone: '254700000000', amount, status, created_at: at, completed_at: status === 'COMPLETED' ? at : null, ...extra,
  })
  const twoDaysAgo = new Date(now.getTime() - 50 * HOUR)
  const fortyDaysAgo = new Date(now.getTime() - 40 * 24 * HOUR)
  await db.insertInto('transactions').values([
    tx(a.id, 2000, now),
    tx(a.id, 3000, twoDaysAgo),
    tx(a.id, 9000, fortyDaysAgo),
    tx(a.id, 111, now, 'FAILED'),
    tx(a.id, 222, now, 'PENDING'),
    tx(a.id, 333, now, 'PENDING'),
    tx(a.id, 4000, fortyDaysAgo, 'COMPLETED', { reconciliation_status: 'MANUAL_REVIEW' }), // old but unresolved: still counts
    tx(b.id, 777_777, now),
  ]).execute()
  await insertTestUser(db, a.id, { username: 'soon', full_name: 'Soon Ending', phone_number: '254711000001', current_plan_id: plan.id, expiry_time: new Date(now.getTime() + 2 * HOUR) })
  await insertTestUser(db, a.id, { username: 'later', expiry_time: new Date(now.getTime() + 9 * 24 * HOUR) })
  await db.insertInto('radacct').values([
    { acctsessionid: 'open1', acctuniqueid: 'u-open1', username: 'soon', nasipaddress: '10.0.0.1', tenant_id: a.id, acctstarttime: now },
    { acctsessionid: 'done1', acctuniqueid: 'u-done1', username: 'soon', nasipaddress: '10.0.0.1', tenant_id: a.id, acctstarttime: now, acctstoptime: now },
    { acctsessionid: 'openB', acctuniqueid: 'u-openB', username: 'x', nasipaddress: '10.0.0.9', tenant_id: b.id, acctstarttime: now },
  ]).execute()
})
afterAll(async () => { await ctx.close() })

const get = (cookie: string) => ctx.app.inject({ method: 'GET', url: '/api/reports/dashboard', headers: { cookie } })

describe('GET /api/reports/dashboard', () => {
  it('sums revenue by the tenant’s local today / week / month and fills 30 chart days', async () => {
    const res = await get(a.owner)
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(d.today).toBe(today)
    const twoDaysAgoDay = localDay(new Date(now.getTime() - 50 * HOUR), 'Africa/Nairobi')
    // 4000 (MANUAL_REVIEW, completed 40 days ago) and 9000 are outside every window.
    expect(d.revenue.today).toBe(2000)
    expect(d.revenue.week).toBe(twoDaysAgoDay >= startOfWeek(today) ? 5000 : 2000)
    expect(d.revenue.month).toBe(twoDaysAgoDay >= startOfMonth(today) ? 5000 : 2000)
    expect(d.revenue.byDay).toHaveLength(30)
    expect(d.revenue.byDay[0].day).toBe(addDays(today, -29))
    expect(d.revenue.byDay.at(-1)).toEqual({ day: today, amount: 2000, payments: 1 })
    expect(d.revenue.byDay.find((x: { day: string }) => x.day === twoDaysAgoDay)).toEqual({ day: twoDaysAgoDay, amount: 3000, payments: 1 })
  })

  it('counts live sessions, today’s pending/failed pushes and unresolved reviews of this tenant only', async () => {
    const d = (await get(a.owner)).json()
    expect(d.sessions.activeNow).toBe(1)
    expect(d.sessions.byDay).toHaveLength(14)
    expect(d.payments).toEqual({ pendingToday: 2, failedToday: 1, awaitingReview: 1 })
    expect(d.expiringSoon.total).toBe(1)
    expect(d.expiringSoon.items).toEqual([expect.objectContaining({ username: 'soon', fullName: 'Soon Ending', planName: 'Day', phoneNumber: '254711000001' })])
  })

  it('shows staff everything but money', async () => {
    const d = (await get(a.staff)).json()
    expect(d.revenue).toBeNull()
    expect(d.payments.pendingToday).toBe(2)
  })

  it('keeps tenants apart and refuses the signed-out', async () => {
    const d = (await get(b.owner)).json()
    expect(d.revenue.today).toBe(777_777)
    expect(d.sessions.activeNow).toBe(1)
    expect(d.payments).toEqual({ pendingToday: 0, failedToday: 0, awaitingReview: 0 })
    expect((await get('')).statusCode).toBe(401)
  })
})
