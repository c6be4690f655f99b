import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
beforeAll(async () => {
  ctx = await buildTestApp('api_plans')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
})
afterAll(async () => { await ctx.close() })

const base = { name: '1 Hour 5 Mbps', price: 2000, durationSeconds: 3600, uploadLimit: 2_000_000, downloadLimit: 5_000_000, accountTypes: ['HOTSPOT'] }

describe('plans', () => {
  it('creates a plan with burst and shows the exact Mikrotik-Rate-Limit the router gets', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.owner }, payload: {
      ...base, burstRateUp: 4_000_000, burstRateDown: 10_000_000, burstThresholdUp: 1_500_000, burstThresholdDown: 4_000_000, burstTime: 8, priority: 5,
    } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ price: 2000, durationSeconds: 3600, rateLimit: '2M/5M 4M/10M 1500k/4M 8/8 5', accountTypes: ['HOTSPOT'] })
    const group = await ctx.tdb.db.selectFrom('radgroupreply').select('value').where('attribute', '=', 'Mikrotik-Rate-Limit').where('groupname', '=', `mnetifi:plan:${res.json().id}`).executeTakeFirstOrThrow()
    expect(group.value).toBe('2M/5M 4M/10M 1500k/4M 8/8 5')
  })

  it('answers 400 with field paths when burst is not above the limit or the threshold is above it', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.owner }, payload: {
      ...base, burstRateUp: 2_000_000, burstRateDown: 10_000_000, burstThresholdUp: 1_000_000, burstThresholdDown: 6_000_000, burstTime: 8,
    } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: 'VALIDATION_FAILED', message: 'The speed settings are invalid', details: [
      { path: 'body.burstRateUp', message: 'must be above upload_limit' },
      { path: 'body.burstThresholdDown', message: 'must be above 0 and at most download_limit, or bursting never starts' },
    ] })
    const partial = await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.owner }, payload: { ...base, burstRateUp: 4_000_000 } })
    expect(partial.statusCode).toBe(400)
    const types = await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.owner }, payload: { ...base, accountTypes: ['WIFI'], price: -1 } })
    expect(types.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body.accountTypes.0', 'body.price'])
  })

  it('validates an update against the stored plan, archives, filters by account type', async () => {
    const plan = (await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.owner }, payload: { ...base, name: 'PPPoE 10M', accountTypes: ['PPPOE', 'STATIC'], uploadLimit: 10_000_000, downloadLimit: 10_000_000 } })).json()
    const bad = await ctx.app.inject({ method: 'PATCH', url: `/api/plans/${plan.id}`, headers: { cookie: a.owner }, payload: { burstRateUp: 5_000_000, burstRateDown: 20_000_000, burstThresholdUp: 5_000_000, burstThresholdDown: 5_000_000, burstTime: 10 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details).toEqual([{ path: 'body.burstRateUp', message: 'must be above upload_limit' }])
    const ok = await ctx.app.inject({ method: 'PATCH', url: `/api/plans/${plan.id}`, headers: { cookie: a.owner }, payload: { price: 150000, downloadLimit: 20_000_000 } })
    expect(ok.json()).toMatchObject({ price: 150000, rateLimit: '10M/20M' })
    const pppoe = await ctx.app.inject({ method: 'GET', url: '/api/plans?accountType=PPPOE', headers: { cookie: a.staff } })
    expect(pppoe.json().items.map((p: { id: string }) => p.id)).toEqual([plan.id])
    const archived = await ctx.app.inject({ method: 'DELETE', url: `/api/plans/${plan.id}`, headers: { cookie: a.owner } })
    expect(archived.json()).toMatchObject({ isActive: false })
    expect((await ctx.app.inject({ method: 'GET', url: '/api/plans?accountType=PPPOE', headers: { cookie: a.staff } })).json().total).toBe(0)
    const audit = await ctx.tdb.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity_id', '=', plan.id).where('action', '=', 'plan.updated').executeTakeFirstOrThrow()
    expect([(audit.before as { price: number }).price, (audit.after as { price: number }).price]).toEqual([2000, 150000])
  })

  it('refuses staff writes (403) and another tenant’s plan (404)', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/api/plans', headers: { cookie: a.staff }, payload: base })).statusCode).toBe(403)
    const plan = (await ctx.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie: a.owner } })).json().items[0]
    expect((await ctx.app.inject({ method: 'GET', url: `/api/plans/${plan.id}`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/plans/${plan.id}`, headers: { cookie: b.owner }, payload: { price: 1 } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/plans/${plan.id}`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/plans/not-a-uuid', headers: { cookie: a.owner } })).json().details[0].path).toBe('params.id')
  })
})
