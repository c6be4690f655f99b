/**
 * The payments HTTP surface inside the real app (buildApp): the public portal (plans, purchase, status, "I paid
 * but I'm not online") and the admin payments routes (list, report, CSV, resolve with audit log). The app
 * listens on a real port so the simulator's callbacks and Transaction Status results reach it.
 */
import { createServer } from 'node:net'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createSecretBox, findTenantById, type TenantRow } from '@mnetifi/db'
import { insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { startDarajaSim, type DarajaSim } from '../../src/daraja-sim/main.js'
import type { Config } from '../../src/config.js'
import { startWorker, type RunningWorker } from '../../src/jobs/worker.js'
import { darajaClientForTenant, tenantHookUrls } from '../../src/payments/daraja/tenant-client.js'
import { createDarajaTokenCache } from '../../src/payments/daraja/oauth.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../helper.js'
import { nextPhone, waitFor } from './helper.js'

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
})

let t: TestContext
let sim: DarajaSim
let worker: RunningWorker
let owner: TestTenant
let tenant: TenantRow
let planId: string

beforeAll(async () => {
  sim = await startDarajaSim({ port: 0, defaults: { processingMs: 100 } })
  const port = await freePort()
  const payments = { DARAJA_SIM_URL: sim.url, PAYMENTS_POLL_DELAY_MS: 300, PAYMENTS_POLL_INTERVAL_MS: 150, JOBS_PREFIX: `test-${randomUUID()}` }
  t = await buildTestApp('payments_routes', { config: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...(payments as Partial<Config>) } })
  await t.app.listen({ host: '127.0.0.1', port })
  worker = await startWorker({ ...t.config, COA_RETRY_MS: 50, COA_MAX_ATTEMPTS: 1 }, {
    db: t.tdb.db, secretBox: createSecretBox(t.config.MNETIFI_SECRET_KEY), log: createLogger({ level: 'silent' }), handleSignals: false, sweepEveryMs: 0,
  })
  owner = await createSignedInTenant(t)
  tenant = (await findTenantById(t.tdb.db, owner.id))!
  planId = (await insertTestPlan(t.tdb.db, tenant.id, { price: 5000, name: '1 Hour' })).id
  await insertTestPlan(t.tdb.db, tenant.id, { price: 10000, name: '1 Day', duration_seconds: 86400 })
})
afterAll(async () => {
  await worker?.close()
  // This file's BullMQ queue and shared token keys live under its own JOBS_PREFIX: remove them.
  const prefix = (t?.config as unknown as { JOBS_PREFIX?: string } | undefined)?.JOBS_PREFIX
  const keys = prefix ? await t.redis.keys(`${prefix}:*`) : []
  if (keys.length) await t.redis.del(...keys)
  await t?.close()
  await sim?.close()
})

const portal = (path: string) => `/api/portal/${tenant.subdomain}${path}`
const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers })
const status = async (id: string) => (await t.app.inject({ method: 'GET', url: portal(`/purchases/${id}`) })).json()

describe('portal', () => {
  it('answers the ISP\'s name, branding, time zone and currency, cacheable for a minute', async () => {
    const branded = await insertTestTenant(t.tdb.db, {
      name: 'Kahawa Networks Ltd', timezone: 'Africa/Kampala', currency: 'UGX',
      branding_config: { name: 'Kahawa WiFi', logoUrl: 'https://cdn.example.com/kahawa.png', primaryColor: '#06b6d4', supportPhone: '0700000001', supportEmail: 'help@kahawa.example' },
    })
    const res = await t.app.inject({ method: 'GET', url: `/api/portal/${branded.subdomain}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=60')
    expect(res.json()).toEqual({
      subdomain: branded.subdomain, name: 'Kahawa WiFi', logoUrl: 'https://cdn.example.com/kahawa.png', primaryColor: '#06b6d4', accentColor: null,
      timezone: 'Africa/Kampala', currency: 'UGX', supportPhone: '0700000001', supportEmail: 'help@kahawa.example',
    })
    // Without branding: the tenant's own name and nulls.
    expect((await t.app.inject({ method: 'GET', url: portal('') })).json()).toEqual({
      subdomain: tenant.subdomain, name: tenant.name, logoUrl: null, primaryColor: null, accentColor: null,
      timezone: 'Africa/Nairobi', currency: 'KES', supportPhone: null, supportEmail: null,
    })
  })

  it('answers 404 "Unknown ISP" for an unknown subdomain on every portal route', async () => {
    const id = randomUUID()
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/portal/no-such-isp' }),
      t.app.inject({ method: 'GET', url: '/api/portal/no-such-isp/plans' }),
      t.app.inject({ method: 'POST', url: '/api/portal/no-such-isp/purchases', payload: { planId, phone: '0712345678' }, remoteAddress: '10.66.0.1' }),
      t.app.inject({ method: 'GET', url: `/api/portal/no-such-isp/purchases/${id}` }),
      t.app.inject({ method: 'POST', url: '/api/portal/no-such-isp/recovery', payload: { phone: '0712345678' }, remoteAddress: '10.66.0.2' }),
      t.app.inject({ method: 'GET', url: `/api/portal/no-such-isp/recovery/${id}` }),
      t.app.inject({ method: 'POST', url: '/api/portal/no-such-isp/vouchers/redeem', payload: { code: 'AAAA-AAAA-AAAA' }, remoteAddress: '10.66.0.3' }),
    ])
    expect(answers.map((r) => [r.statusCode, r.json()])).toEqual(Array(7).fill([404, { error: 'NOT_FOUND', message: 'Unknown ISP' }]))
  })

  it('lists the plans on sale', async () => {
    const res = await t.app.inject({ method: 'GET', url: portal('/plans') })
    expect(res.statusCode).toBe(200)
    expect(res.json().map((p: { name: string; price: number }) => [p.name, p.price])).toEqual([['1 Hour', 5000], ['1 Day', 10000]])
  })

  it('buys a plan and reports COMPLETED with the login the portal submits to the router', async () => {
    const phone = nextPhone()
    const hotspot = await insertTestHotspot(t.tdb.db, tenant.id, { nas_ip: '10.9.9.1' })
    const res = await post(portal('/purchases'), { planId, phone: `+${phone}`, mac: 'AA-BB-CC-DD-EE-01', hotspotId: hotspot.id })
    expect(res.statusCode).toBe(202)
    const { transactionId } = res.json()
    const done = await waitFor(async () => { const s = await status(transactionId); return s.status === 'COMPLETED' ? s : undefined })
    expect(done.login).toEqual({ username: phone, password: expect.any(String) })
    expect(new Date(done.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3500_000)
    // The paying device is remembered, so radiusd's MAC login lets it in even if the captive window closed.
    const user = await t.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenant.id).where('username', '=', phone).executeTakeFirstOrThrow()
    expect(user).toMatchObject({ account_type: 'HOTSPOT', home_hotspot_id: hotspot.id, password: done.login.password })
    expect(await t.tdb.db.selectFrom('wifi_user_devices').select(['user_id', 'mac_address']).where('tenant_id', '=', tenant.id).where('user_id', '=', user.id).execute())
      .toEqual([{ user_id: user.id, mac_address: 'aa:bb:cc:dd:ee:01' }])
    expect(await t.tdb.db.selectFrom('transactions').select(['hotspot_id', 'mac_address']).where('id', '=', transactionId).executeTakeFirstOrThrow())
      .toEqual({ hotspot_id: hotspot.id, mac_address: 'aa:bb:cc:dd:ee:01' })
  })

  it('refuses an invalid phone clearly and a second prompt while one is open', async () => {
    const bad = await post(portal('/purchases'), { planId, phone: '0812345678' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'INVALID_PHONE', message: expect.stringContaining('07XXXXXXXX') })
    const phone = nextPhone()
    sim.queueScenarioForPhone(phone, { processingMs: 3000 })
    expect((await post(portal('/purchases'), { planId, phone })).statusCode).toBe(202)
    const again = await post(portal('/purchases'), { planId, phone })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toBe('PAYMENT_IN_PROGRESS')
  })

  it('shows why a payment failed so the customer can retry', async () => {
    const phone = nextPhone()
    sim.queueScenarioForPhone(phone, { outcome: 'cancelled' })
    const { transactionId } = (await post(portal('/purchases'), { planId, phone })).json()
    const s = await waitFor(async () => { const x = await status(transactionId); return x.status === 'FAILED' ? x : undefined })
    expect(s).toMatchObject({ failureReason: 'CANCELLED', canRetry: true, message: expect.stringContaining('cancelled') })
  })
})

describe("I paid but I'm not online", () => {
  it('verifies an unknown receipt with Transaction Status and activates the plan once', async () => {
    const phone = nextPhone()
    // Paid to the paybill before C2B URLs were registered: only M-Pesa knows this receipt.
    const paid = await sim.payBill({ shortcode: '174379', phone, amount: 50, billRef: 'wifi' })
    const res = await post(portal('/recovery'), { receipt: paid.receipt!.toLowerCase(), mac: 'aa:bb:cc:dd:ee:02' })
    expect(res.json()).toMatchObject({ status: 'VERIFYING' })
    const checkId = res.json().checkId
    const done = await waitFor(async () => {
      const x = (await t.app.inject({ method: 'GET', url: portal(`/recovery/${checkId}`) })).json()
      return x.status === 'ACTIVATED' ? x : undefined
    })
    expect(done.login.username).toBe(phone)
    const tx = await t.tdb.db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', paid.receipt!).executeTakeFirstOrThrow()
    expect(tx).toMatchObject({ settled_by: 'RECOVERY', reconciliation_status: 'MATCHED', amount: 5000, mac_address: 'aa:bb:cc:dd:ee:02' })
    // The same code again (a returning customer on a new device) signs that device in to the running plan,
    // crediting nothing more, and remembers it for MAC login…
    const reuse = await post(portal('/recovery'), { receipt: paid.receipt!, mac: 'aa:bb:cc:dd:ee:03' })
    expect(reuse.json()).toEqual({ status: 'ACTIVATED', message: 'Your plan is active.', checkId: null, transactionId: tx.id, expiresAt: done.expiresAt, login: done.login })
    const user = await t.tdb.db.selectFrom('wifi_users').selectAll().where('id', '=', tx.user_id!).executeTakeFirstOrThrow()
    expect(user.expiry_time!.toISOString()).toBe(done.expiresAt)
    const devices = await t.tdb.db.selectFrom('wifi_user_devices').select('mac_address').where('user_id', '=', user.id).orderBy('mac_address').execute()
    expect(devices.map((d) => d.mac_address)).toEqual(['aa:bb:cc:dd:ee:02', 'aa:bb:cc:dd:ee:03'])
    // …but not once the plan has ended.
    await t.tdb.db.updateTable('wifi_users').set({ expiry_time: new Date(Date.now() - 1000) }).where('id', '=', user.id).execute()
    const ended = await post(portal('/recovery'), { receipt: paid.receipt! })
    expect(ended.statusCode).toBe(409)
    expect(ended.json()).toEqual({ error: 'RECEIPT_ALREADY_USED', message: 'The plan this M-Pesa code paid for has ended. Buy a new plan to get back online.' })
  })

  it('fills in the receipt of a payment the poll already credited, without crediting it again', async () => {
    const phone = nextPhone()
    sim.queueScenarioForPhone(phone, { outcome: 'success', callback: 'lost' })
    const { transactionId } = (await post(portal('/purchases'), { planId, phone })).json()
    await waitFor(async () => (await status(transactionId)).status === 'COMPLETED')
    const tx = await t.tdb.db.selectFrom('transactions').selectAll().where('id', '=', transactionId).executeTakeFirstOrThrow()
    expect(tx).toMatchObject({ settled_by: 'POLL', mpesa_receipt: null })
    const receipt = sim.payment(tx.checkout_request_id!)!.receipt!
    const { checkId } = (await post(portal('/recovery'), { receipt })).json()
    const done = await waitFor(async () => {
      const x = (await t.app.inject({ method: 'GET', url: portal(`/recovery/${checkId}`) })).json()
      return x.status === 'ACTIVATED' ? x : undefined
    })
    expect(done.transactionId).toBe(transactionId)
    const after = await t.tdb.db.selectFrom('transactions').selectAll().where('user_phone', '=', phone).execute()
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ mpesa_receipt: receipt, credited_at: tx.credited_at })
    const outbox = await t.tdb.db.selectFrom('notification_outbox').select('id').where('recipient', '=', phone).execute()
    expect(outbox).toHaveLength(1)
  })

  it("refuses a receipt paid to another business's shortcode", async () => {
    const paid = await sim.payBill({ shortcode: '600984', phone: nextPhone(), amount: 50 })
    const { checkId } = (await post(portal('/recovery'), { receipt: paid.receipt! })).json()
    const done = await waitFor(async () => {
      const x = (await t.app.inject({ method: 'GET', url: portal(`/recovery/${checkId}`) })).json()
      return x.status === 'FAILED' ? x : undefined
    })
    expect(done.message).toMatch(/does not know this code|not paid to this provider/)
  })

  it('refuses a receipt another tenant already holds', async () => {
    const other = await insertTestTenant(t.tdb.db)
    await t.tdb.db.insertInto('transactions').values({
      tenant_id: other.id, user_phone: '254700000009', amount: 5000, mpesa_receipt: 'UKQOTHER01', status: 'COMPLETED', completed_at: new Date(), provider_log: '[]',
    }).execute()
    const res = await post(portal('/recovery'), { receipt: 'UKQOTHER01' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toBe('RECEIPT_NOT_FOUND')
  })

  it('credits a C2B paybill payment at once when the account names a customer, else lets them claim it', async () => {
    const ctx = { secretBox: createSecretBox(t.config.MNETIFI_SECRET_KEY), tokenCache: createDarajaTokenCache(), config: t.config }
    const urls = tenantHookUrls(tenant, ctx.config)
    await darajaClientForTenant(tenant, ctx).registerC2bUrls({ confirmationUrl: urls.c2bConfirm, validationUrl: urls.c2bValidate, responseType: 'Completed' })
    const known = nextPhone()
    await insertTestUser(t.tdb.db, tenant.id, { phone_number: known, username: `c2b${known.slice(-5)}` })
    const direct = await sim.payBill({ shortcode: '174379', phone: known, amount: 50, billRef: `0${known.slice(3)}` })
    const credited = await waitFor(async () => t.tdb.db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', direct.receipt!).where('credited_at', 'is not', null).executeTakeFirst())
    expect(credited).toMatchObject({ kind: 'C2B', settled_by: 'C2B', reconciliation_status: 'MATCHED' })

    const stranger = nextPhone()
    const loose = await sim.payBill({ shortcode: '174379', phone: stranger, amount: 50, billRef: 'HELLO' })
    await waitFor(async () => t.tdb.db.selectFrom('transactions').select('id').where('mpesa_receipt', '=', loose.receipt!).where('reconciliation_status', '=', 'UNMATCHED').executeTakeFirst())
    const claim = await post(portal('/recovery'), { receipt: loose.receipt!, phone: `0${stranger.slice(3)}` })
    expect(claim.json()).toMatchObject({ status: 'ACTIVATED', login: { username: stranger } })
    // Claimed once: the code now only signs devices in to that plan, crediting nothing more.
    const again = (await post(portal('/recovery'), { receipt: loose.receipt!, phone: stranger })).json()
    expect(again).toMatchObject({ status: 'ACTIVATED', expiresAt: claim.json().expiresAt, login: claim.json().login })
  })
})

describe('admin payments', () => {
  it('lists, reports, exports and resolves with an audit entry', async () => {
    const hotspot = await insertTestHotspot(t.tdb.db, tenant.id, { nas_ip: '10.9.9.9' })
    const review = await t.tdb.db.insertInto('transactions').values({
      tenant_id: tenant.id, hotspot_id: hotspot.id, user_phone: '254711000111', amount: 5000, mpesa_receipt: 'UKQREVIEW1', status: 'COMPLETED',
      completed_at: new Date(), reconciliation_status: 'MANUAL_REVIEW', reconciliation_note: 'test', provider_log: '[]',
    }).returning('id').executeTakeFirstOrThrow()
    const get = (url: string, cookie = owner.staff) => t.app.inject({ method: 'GET', url, headers: { cookie } })

    const list = await get('/api/payments/transactions?reconciliationStatus=MANUAL_REVIEW')
    expect(list.statusCode).toBe(200)
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([review.id])

    // Server-side sort: by amount both ways, and a user's payments only.
    const amounts = async (order: string) => ((await get(`/api/payments/transactions?sort=amount&order=${order}&limit=500`)).json().items as { amount: number }[]).map((i) => i.amount)
    const asc = await amounts('asc')
    expect(asc).toEqual([...asc].sort((x, y) => x - y))
    expect(await amounts('desc')).toEqual([...asc].reverse())
    expect((await get('/api/payments/transactions?sort=phone')).json().details[0].path).toBe('querystring.sort')
    const someUser = await t.tdb.db.selectFrom('transactions').select('user_id').where('tenant_id', '=', tenant.id).where('user_id', 'is not', null).executeTakeFirst()
    if (someUser?.user_id) {
      const mine = (await get(`/api/payments/transactions?userId=${someUser.user_id}`)).json().items as { userId: string }[]
      expect(mine.length).toBeGreaterThan(0)
      expect(new Set(mine.map((i) => i.userId))).toEqual(new Set([someUser.user_id]))
    }

    const report = (await get('/api/payments/reconciliation')).json()
    const matched = report.total.find((b: { status: string; reconciliationStatus: string | null }) => b.status === 'COMPLETED' && b.reconciliationStatus === 'MATCHED')
    expect(matched.count).toBeGreaterThanOrEqual(3)
    expect(report.byHotspot.find((b: { key: string }) => b.key === hotspot.id)).toMatchObject({ count: 1, amount: 5000, credited: 0 })
    expect(report.byDay.length).toBeGreaterThan(0)

    const csv = await get('/api/payments/transactions.csv?reconciliationStatus=MANUAL_REVIEW')
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\n')[1]).toContain('UKQREVIEW1')

    const forbidden = await post(`/api/payments/transactions/${review.id}/resolve`, { action: 'credit', planId, phone: '0711000111' }, { cookie: owner.staff })
    expect(forbidden.statusCode).toBe(403)
    const res = await post(`/api/payments/transactions/${review.id}/resolve`, { action: 'credit', planId, phone: '0711000111' }, { cookie: owner.owner })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ resolution: 'CREDITED', settledBy: 'ADMIN', creditedAt: expect.any(String) })
    const twice = await post(`/api/payments/transactions/${review.id}/resolve`, { action: 'refund', note: 'x' }, { cookie: owner.owner })
    expect(twice.statusCode).toBe(409)
    const auditRows = await t.tdb.db.selectFrom('audit_log').selectAll().where('entity_id', '=', review.id).execute()
    expect(auditRows).toHaveLength(1)
    expect(auditRows[0]).toMatchObject({ action: 'transaction.resolve.credit', actor_id: owner.ownerId })
    const user = await t.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenant.id).where('phone_number', '=', '254711000111').executeTakeFirstOrThrow()
    expect(user.current_plan_id).toBe(planId)
  })
})

describe('admin refunds', () => {
  it('marks an UNMATCHED payment refunded, with an audit entry, and it leaves the unresolved list', async () => {
    const row = await t.tdb.db.insertInto('transactions').values({
      tenant_id: tenant.id, kind: 'C2B', user_phone: '2547 ***** 123', amount: 7700, mpesa_receipt: 'UKQREFUND1', status: 'COMPLETED',
      completed_at: new Date(), reconciliation_status: 'UNMATCHED', provider_log: '[]',
    }).returning('id').executeTakeFirstOrThrow()
    const unresolved = async () => (await t.app.inject({ method: 'GET', url: '/api/payments/transactions?unresolved=true', headers: { cookie: owner.staff } })).json().items.map((i: { id: string }) => i.id)
    expect(await unresolved()).toContain(row.id)
    const res = await post(`/api/payments/transactions/${row.id}/resolve`, { action: 'refund', note: 'sent back via M-Pesa B2C' }, { cookie: owner.owner })
    expect(res.json()).toMatchObject({ resolution: 'REFUNDED', creditedAt: null, reconciliationNote: expect.stringContaining('refunded: sent back') })
    expect(await unresolved()).not.toContain(row.id)
    const entry = await t.tdb.db.selectFrom('audit_log').selectAll().where('entity_id', '=', row.id).executeTakeFirstOrThrow()
    expect(entry.action).toBe('transaction.resolve.refund')
  })
})

describe('limits and setup', () => {
  it('rate-limits the public recovery endpoint per client', async () => {
    const codes: number[] = []
    for (let i = 0; i < 12; i++) codes.push((await post(portal('/recovery'), { phone: '0799000001' })).statusCode)
    expect(codes).toContain(429)
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(10)
  })

  it('registers the C2B URLs for the tenant (owner only)', async () => {
    const staff = await post('/api/payments/c2b/register-urls', {}, { cookie: owner.staff })
    expect(staff.statusCode).toBe(403)
    const res = await post('/api/payments/c2b/register-urls', {}, { cookie: owner.owner })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ confirmationUrl: expect.stringContaining(`/hooks/daraja/c2b/confirm/${tenant.callback_token}`), daraja: { ResponseCode: '0' } })
  })
})

