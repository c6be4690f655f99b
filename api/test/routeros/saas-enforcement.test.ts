/**
 * SaaS billing enforcement end to end: an unpaid invoice past its grace days blocks the tenant; radiusd refuses
 * its customers with a Reply-Message; the `routers` worker sends every hotspot client to the suspended page
 * through the RouterOS API, retrying a router that does not answer (progress visible per router); paying makes the
 * tenant ACTIVE and puts each router's configuration back exactly; repeating either step changes nothing.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '@mnetifi/db'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { startRouterJobs, type RunningRouterJobs } from '../../src/routeros/router-jobs.js'
import { SUSPENDED_DIRECTORY } from '../../src/routeros/tenant-block.js'
import { insertTestAdmin, signIn } from '../helper.js'
import type { EmulatedRouter } from './emulator/router.js'
import { startRouterStack, type ProvisionedRouter, type RouterStack } from './provisioned-router.js'

let stack: RouterStack
let jobs: RunningRouterJobs
let operator: string
let a: ProvisionedRouter
let b: ProvisionedRouter
const prefix = `test-${randomUUID()}`

beforeAll(async () => {
  stack = await startRouterStack('routeros-saas-enforcement', { JOBS_PREFIX: prefix, ROUTER_ENFORCE_RETRY_MS: 100 })
  jobs = await startRouterJobs({ ...stack.ctx.config, GHOST_SESSION_INTERVAL_SECONDS: 0, SAAS_BILLING_INTERVAL_SECONDS: 0 }, {
    db: stack.ctx.tdb.db, secretBox: stack.ctx.app.secretBox, log: createLogger({ level: 'silent' }),
  })
  operator = await signIn(stack.ctx, (await insertTestAdmin(stack.ctx, 'PLATFORM_OPERATOR', null)).email)
  a = await stack.provision('Block A')
  b = await stack.provision('Block B')
  const plan = await insertTestPlan(stack.ctx.tdb.db, stack.tenant.id)
  await insertTestUser(stack.ctx.tdb.db, stack.tenant.id, { username: 'payer-1', password: 'pw-payer-1', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
})
afterAll(async () => {
  await jobs.close()
  await stack.close()
})

/** The router's configuration: everything but live sessions (those are not configuration). */
function configOf(r: EmulatedRouter) {
  const { lists, settings } = r.snapshot()
  const { '/ip/hotspot/active': _h, '/ppp/active': _p, ...rest } = lists
  return { lists: rest, settings }
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25))
}

async function enforcement() {
  const res = await stack.ctx.app.inject({ method: 'GET', url: '/api/tenant/router-enforcement', headers: { cookie: stack.tenant.owner } })
  expect(res.statusCode).toBe(200)
  return res.json() as { hotspotId: string; locationName: string; target: string; status: string; attempts: number; lastError: string | null }[]
}

/** Queues the tenant's routers again and waits until every one has run once more. */
async function requeueAndWait(): Promise<void> {
  const attempts = new Map((await enforcement()).map((e) => [e.hotspotId, e.attempts]))
  expect(await stack.ctx.app.queueTenantEnforcement(stack.tenant.id)).toBe(2)
  await until(async () => (await enforcement()).every((e) => e.status === 'APPLIED' && e.attempts === attempts.get(e.hotspotId)! + 1))
}

const statusOf = async (r: ProvisionedRouter) => (await enforcement()).find((e) => e.hotspotId === r.hotspotId)
const login = (r: ProvisionedRouter, n: number) => r.router.hotspotLogin('payer-1', 'pw-payer-1', { mac: `AA:BB:CC:00:01:${String(n).padStart(2, '0')}`, ip: `10.5.60.${n}` })

describe('BLOCKED → ACTIVE', () => {
  let before: ReturnType<typeof configOf>
  let invoiceId: string

  it('blocks a tenant whose invoice is overdue beyond its grace days, on every router', async () => {
    expect((await login(a, 1)).ok).toBe(true)
    before = configOf(a.router)
    const beforeB = configOf(b.router)
    await b.stopApi() // B does not answer at first: its block is retried
    const patch = await stack.ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${stack.tenant.id}`, headers: { cookie: operator }, payload: { saasMonthlyFee: 250_000, saasGraceDays: 0 } })
    expect(patch.statusCode).toBe(200)
    const run = await stack.ctx.app.inject({ method: 'POST', url: '/api/platform/billing/run', headers: { cookie: operator } })
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ blocked: [stack.tenant.id], routersQueued: 2 })
    const invoices = (await stack.ctx.app.inject({ method: 'GET', url: `/api/tenants/${stack.tenant.id}/invoices`, headers: { cookie: operator } })).json()
    expect(invoices).toHaveLength(1)
    expect(invoices[0]).toMatchObject({ basis: 'FLAT', amount: 250_000, currency: 'KES', status: 'OPEN', paidAt: null })
    invoiceId = invoices[0].id

    await until(async () => (await statusOf(a))?.status === 'APPLIED')
    for (const p of a.router.items('/ip/hotspot/profile')) expect(p['html-directory']).toBe(SUSPENDED_DIRECTORY)
    expect(a.router.items('/file').find((f) => f.name === `${SUSPENDED_DIRECTORY}/login.html`)?.contents).toContain('Wi-Fi is temporarily unavailable')
    expect(a.router.items('/ip/hotspot/active')).toEqual([])
    const refused = await login(a, 2)
    expect(refused).toEqual({ ok: false, replyMessage: 'Service is temporarily unavailable. Please contact your provider.' })

    await until(async () => (await statusOf(b))?.status === 'FAILED')
    expect((await statusOf(b))).toMatchObject({ locationName: 'Block B', target: 'BLOCKED', status: 'FAILED' })
    expect((await statusOf(b))!.lastError).toMatch(/^Router 127\.99\.0\.\d+:\d+ is unreachable: connection refused/)
    expect(configOf(b.router)).toEqual(beforeB)
    await b.startApi()
    await until(async () => (await statusOf(b))?.status === 'APPLIED')
    for (const p of b.router.items('/ip/hotspot/profile')) expect(p['html-directory']).toBe(SUSPENDED_DIRECTORY)
  })

  it('blocking again is harmless: the saved configuration stays the router\'s own', async () => {
    await requeueAndWait()
    const saved = await stack.ctx.tdb.db.selectFrom('router_enforcements').select('saved_config').where('hotspot_id', '=', a.hotspotId).executeTakeFirstOrThrow()
    expect(saved.saved_config!.hotspotProfiles.map((p) => p.htmlDirectory)).toEqual(['mnetifi-hotspot', 'mnetifi-hotspot'])
  })

  it('paying makes the tenant ACTIVE and restores every router exactly', async () => {
    const pay = await stack.ctx.app.inject({ method: 'POST', url: `/api/tenants/${stack.tenant.id}/invoices/${invoiceId}/pay`, headers: { cookie: operator }, payload: { reference: 'MPESA-QWE123' } })
    expect(pay.statusCode).toBe(200)
    expect(pay.json()).toMatchObject({ activated: true, routersQueued: 2, invoice: { status: 'PAID', paymentReference: 'MPESA-QWE123' } })
    await until(async () => (await enforcement()).every((e) => e.target === 'ACTIVE' && e.status === 'APPLIED'))
    expect(configOf(a.router)).toEqual(before)
    for (const p of b.router.items('/ip/hotspot/profile')) expect(p['html-directory']).toBe('mnetifi-hotspot')
    expect(b.router.items('/file').some((f) => (f.name ?? '').startsWith(SUSPENDED_DIRECTORY))).toBe(false)
    // The same device as the first login: radiusd's 30 s Simultaneous-Use claim of a kicked session is its own.
    expect(await login(a, 1)).toMatchObject({ ok: true })
    const tenant = (await stack.ctx.app.inject({ method: 'GET', url: `/api/tenants/${stack.tenant.id}`, headers: { cookie: operator } })).json()
    expect(tenant.saas).toMatchObject({ status: 'ACTIVE', blockedReason: null })
  })

  it('restoring again changes nothing, and paying twice is refused', async () => {
    const restored = configOf(a.router)
    await requeueAndWait()
    expect(configOf(a.router)).toEqual(restored)
    const again = await stack.ctx.app.inject({ method: 'POST', url: `/api/tenants/${stack.tenant.id}/invoices/${invoiceId}/pay`, headers: { cookie: operator }, payload: { reference: 'MPESA-QWE123' } })
    expect(again.json()).toEqual({ error: 'NOT_FOUND', message: 'No such open invoice' })
  })

  it('a platform operator can block and unblock by hand, which reaches the routers the same way', async () => {
    const blocked = await stack.ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${stack.tenant.id}`, headers: { cookie: operator }, payload: { saasBillingStatus: 'BLOCKED', saasBlockedReason: 'manual' } })
    expect(blocked.statusCode).toBe(200)
    await until(async () => (await enforcement()).every((e) => e.target === 'BLOCKED' && e.status === 'APPLIED'))
    const active = await stack.ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${stack.tenant.id}`, headers: { cookie: operator }, payload: { saasBillingStatus: 'ACTIVE' } })
    expect(active.statusCode).toBe(200)
    await until(async () => (await enforcement()).every((e) => e.target === 'ACTIVE' && e.status === 'APPLIED'))
    expect(configOf(a.router)).toEqual(before)
  })
})
