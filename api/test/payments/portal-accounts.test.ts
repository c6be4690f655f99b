/**
 * The captive portal only ever credits, and only ever answers the login of, the phone's own HOTSPOT account
 * (api/src/lib/hotspot-accounts.ts, "the rule"): a phone that also holds a PPPoE or static home line gets a
 * hotspot login beside it. Every portal route is driven here with such phones — purchase + status, recovery
 * by receipt (Transaction Status and an UNMATCHED paybill claim), GET recovery/:id, recovery by phone, voucher
 * redemption — asserting the exact answer (no home-line username or password) and the exact rows (home lines
 * unchanged). Paybill payments with the home line's account number still renew it.
 */
import { createServer } from 'node:net'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createSecretBox, createVouchers, findTenantById, type PlanRow, type TenantRow, type WifiUserRow } from '@mnetifi/db'
import type { AccountType } from '@mnetifi/db/domain'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { startDarajaSim, type DarajaSim } from '../../src/daraja-sim/main.js'
import type { Config } from '../../src/config.js'
import { startWorker, type RunningWorker } from '../../src/jobs/worker.js'
import { createDarajaTokenCache } from '../../src/payments/daraja/oauth.js'
import { darajaClientForTenant, tenantHookUrls } from '../../src/payments/daraja/tenant-client.js'
import { generateVoucherCode } from '../../src/routes/vouchers/voucher-codes.js'
import { buildTestApp, createSignedInTenant, type TestContext } from '../helper.js'
import { nextPhone, waitFor } from './helper.js'

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
})

let t: TestContext
let sim: DarajaSim
let worker: RunningWorker
let tenant: TenantRow
let hourPlan: PlanRow
let homePlan: PlanRow

beforeAll(async () => {
  sim = await startDarajaSim({ port: 0, defaults: { processingMs: 100 } })
  const port = await freePort()
  const payments = { DARAJA_SIM_URL: sim.url, PAYMENTS_POLL_DELAY_MS: 300, PAYMENTS_POLL_INTERVAL_MS: 150, JOBS_PREFIX: `test-${randomUUID()}` }
  t = await buildTestApp('portal_accounts', { config: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...(payments as Partial<Config>) } })
  await t.app.listen({ host: '127.0.0.1', port })
  worker = await startWorker({ ...t.config, COA_RETRY_MS: 50, COA_MAX_ATTEMPTS: 1 }, {
    db: t.tdb.db, secretBox: createSecretBox(t.config.MNETIFI_SECRET_KEY), log: createLogger({ level: 'silent' }), handleSignals: false, sweepEveryMs: 0,
  })
  tenant = (await findTenantById(t.tdb.db, (await createSignedInTenant(t)).id))!
  hourPlan = await insertTestPlan(t.tdb.db, tenant.id, { price: 5000, name: '1 Hour', duration_seconds: 3600 })
  homePlan = await insertTestPlan(t.tdb.db, tenant.id, { price: 250_000, name: 'Home 30 days', duration_seconds: 30 * 86_400, account_types: ['PPPOE', 'STATIC'] })
})
afterAll(async () => {
  await worker?.close()
  const prefix = (t?.config as unknown as { JOBS_PREFIX?: string } | undefined)?.JOBS_PREFIX
  const keys = prefix ? await t.redis.keys(`${prefix}:*`) : []
  if (keys.length) await t.redis.del(...keys)
  await t?.close()
  await sim?.close()
})

// Each request from its own address, so the portal's per-address limits never answer for the behaviour under test.
let lastOctet = 0
const newIp = () => `10.77.${Math.floor(++lastOctet / 250)}.${lastOctet % 250}`
const portal = (path: string) => `/api/portal/${tenant.subdomain}${path}`
const post = (path: string, payload: object) => t.app.inject({ method: 'POST', url: portal(path), payload, remoteAddress: newIp() })
const get = (path: string) => t.app.inject({ method: 'GET', url: portal(path), remoteAddress: newIp() })
const local = (phone: string) => `0${phone.slice(3)}`

const HOME_EXPIRY = new Date('2031-01-01T00:00:00.000Z')
/** A home line (PPPoE or static) on `phone`, paid until 2031, with a password no portal answer may contain. */
const homeLine = (phone: string, type: Exclude<AccountType, 'HOTSPOT'>, username = `${type.toLowerCase()}-${phone.slice(-6)}`) =>
  insertTestUser(t.tdb.db, tenant.id, {
    phone_number: phone, account_type: type, username, password: `home-secret-${type}`, current_plan_id: homePlan.id, expiry_time: HOME_EXPIRY,
  })
const row = (id: string) => t.tdb.db.selectFrom('wifi_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const accountsOf = (phone: string) => t.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenant.id)
  .where('phone_number', '=', phone).orderBy('account_type').execute()
const hotspotOf = async (phone: string) => (await accountsOf(phone)).find((u) => u.account_type === 'HOTSPOT')!
const devicesOf = (mac: string) => t.tdb.db.selectFrom('wifi_user_devices').select(['user_id', 'mac_address']).where('mac_address', '=', mac).execute()
/** A home line exactly as it was: same expiry, plan, username and password. */
const expectUnchanged = async (before: WifiUserRow) => expect(await row(before.id)).toEqual(before)
/** The body must not contain a home line's name or password anywhere. */
const expectNoHomeSecrets = (body: string, ...homes: WifiUserRow[]) => {
  for (const h of homes) {
    expect(body).not.toContain(h.password)
    expect(body).not.toContain(h.username)
  }
}

async function completedPurchase(phone: string, extra: { mac?: string } = {}) {
  const res = await post('/purchases', { planId: hourPlan.id, phone: local(phone), ...extra })
  expect(res.statusCode).toBe(202)
  const { transactionId } = res.json()
  const done = await waitFor(async () => { const r = await get(`/purchases/${transactionId}`); return r.json().status === 'COMPLETED' ? r : undefined })
  return { transactionId: transactionId as string, res: done }
}

describe('POST purchases + GET purchases/:id', () => {
  it('gives a PPPoE and static customer a hotspot login of their own, remembers the MAC, and leaves both home lines untouched', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const fixed = await homeLine(phone, 'STATIC')
    const { transactionId, res } = await completedPurchase(phone, { mac: 'AA:BB:CC:00:00:01' })
    const hotspot = await hotspotOf(phone)
    expect(res.json()).toEqual({
      transactionId, status: 'COMPLETED', failureReason: null, message: 'Paid. You are being connected…', canRetry: false,
      expiresAt: hotspot.expiry_time!.toISOString(), login: { username: phone, password: hotspot.password },
    })
    expectNoHomeSecrets(res.body, pppoe, fixed)
    expect(hotspot).toMatchObject({ account_type: 'HOTSPOT', username: phone, current_plan_id: hourPlan.id, phone_number: phone })
    await expectUnchanged(pppoe)
    await expectUnchanged(fixed)
    expect((await accountsOf(phone)).map((u) => u.account_type)).toEqual(['HOTSPOT', 'PPPOE', 'STATIC'])
    const tx = await t.tdb.db.selectFrom('transactions').selectAll().where('id', '=', transactionId).executeTakeFirstOrThrow()
    expect(tx).toMatchObject({ user_id: hotspot.id, mac_address: 'aa:bb:cc:00:00:01', plan_id: hourPlan.id })
    // radiusd's MAC login finds the hotspot account through this row even if the captive window closed.
    expect(await devicesOf('aa:bb:cc:00:00:01')).toEqual([{ user_id: hotspot.id, mac_address: 'aa:bb:cc:00:00:01' }])
    const sms = await t.tdb.db.selectFrom('notification_outbox').select('payload').where('dedupe_key', '=', `payment-confirmed:${transactionId}`).executeTakeFirstOrThrow()
    expect(sms.payload).toMatchObject({ username: phone, password: hotspot.password })
  })

  it('names the new hotspot login <phone>-wifi when the PPPoE line already has the phone as its username', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE', phone)
    const { transactionId, res } = await completedPurchase(phone)
    const hotspot = await hotspotOf(phone)
    expect(hotspot.username).toBe(`${phone}-wifi`)
    expect(res.json()).toEqual({
      transactionId, status: 'COMPLETED', failureReason: null, message: 'Paid. You are being connected…', canRetry: false,
      expiresAt: hotspot.expiry_time!.toISOString(), login: { username: `${phone}-wifi`, password: hotspot.password },
    })
    expect(res.body).not.toContain(pppoe.password)
    await expectUnchanged(pppoe)
  })

  it('reuses the phone\'s existing hotspot login, extending it from its current expiry', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const expiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 7_200_000)
    const existing = await insertTestUser(t.tdb.db, tenant.id, { phone_number: phone, username: `hs-${phone.slice(-6)}`, password: 'hs-own-pw', expiry_time: expiry })
    const { transactionId, res } = await completedPurchase(phone)
    expect(res.json()).toEqual({
      transactionId, status: 'COMPLETED', failureReason: null, message: 'Paid. You are being connected…', canRetry: false,
      expiresAt: new Date(expiry.getTime() + 3_600_000).toISOString(), login: { username: existing.username, password: 'hs-own-pw' },
    })
    expect((await accountsOf(phone)).map((u) => u.id).sort()).toEqual([existing.id, pppoe.id].sort())
    await expectUnchanged(pppoe)
  })

  it('settles a push whose row names the home line (written before this rule) onto the phone\'s hotspot login', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    sim.queueScenarioForPhone(phone, { processingMs: 1500 })
    const res = await post('/purchases', { planId: hourPlan.id, phone: local(phone) })
    const { transactionId } = res.json()
    await t.tdb.db.updateTable('transactions').set({ user_id: pppoe.id }).where('id', '=', transactionId).where('credited_at', 'is', null).execute()
    const done = await waitFor(async () => { const r = await get(`/purchases/${transactionId}`); return r.json().status === 'COMPLETED' ? r : undefined })
    const hotspot = await hotspotOf(phone)
    expect(done.json().login).toEqual({ username: phone, password: hotspot.password })
    expect((await t.tdb.db.selectFrom('transactions').select('user_id').where('id', '=', transactionId).executeTakeFirstOrThrow()).user_id).toBe(hotspot.id)
    await expectUnchanged(pppoe)
  })

  it('refuses to sell a home-line plan at the portal (404), whatever the phone', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const res = await post('/purchases', { planId: homePlan.id, phone: local(phone) })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'That plan is not on sale.' })
    expect(await t.tdb.db.selectFrom('transactions').select('id').where('user_phone', '=', phone).execute()).toEqual([])
    await expectUnchanged(pppoe)
  })

  it('answers no login and no expiry for a payment that credited a home line (status of a paybill transaction)', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const tx = await t.tdb.db.insertInto('transactions').values({
      tenant_id: tenant.id, kind: 'C2B', user_id: pppoe.id, plan_id: homePlan.id, user_phone: phone, amount: 250_000, mpesa_receipt: `UKQ${phone.slice(-7)}`,
      status: 'COMPLETED', completed_at: new Date(), credited_at: new Date(), settled_by: 'C2B', reconciliation_status: 'MATCHED', provider_log: '[]',
    }).returning('id').executeTakeFirstOrThrow()
    const res = await get(`/purchases/${tx.id}`)
    expect(res.json()).toEqual({
      transactionId: tx.id, status: 'COMPLETED', failureReason: null, message: 'Paid. You are being connected…', canRetry: false, expiresAt: null, login: null,
    })
    expectNoHomeSecrets(res.body, pppoe)
  })
})

describe('recovery by receipt (Transaction Status) and GET recovery/:id', () => {
  it('activates the hotspot login of a PPPoE customer who paid the paybill, never the home line', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE', phone)
    // Paid before C2B URLs were registered (the next describe registers them): only M-Pesa knows this receipt.
    const paid = await sim.payBill({ shortcode: '174379', phone, amount: 50, billRef: 'wifi' })
    const first = await post('/recovery', { receipt: paid.receipt!, mac: 'AA:BB:CC:00:00:02' })
    expect(first.json()).toEqual({ status: 'VERIFYING', message: 'Checking your payment with M-Pesa…', checkId: expect.any(String), transactionId: null, expiresAt: null, login: null })
    const { checkId } = first.json()
    const done = await waitFor(async () => { const r = await get(`/recovery/${checkId}`); return r.json().status === 'ACTIVATED' ? r : undefined })
    const hotspot = await hotspotOf(phone)
    const tx = await t.tdb.db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', paid.receipt!).executeTakeFirstOrThrow()
    expect(done.json()).toEqual({
      status: 'ACTIVATED', message: 'Your plan is active.', checkId, transactionId: tx.id,
      expiresAt: hotspot.expiry_time!.toISOString(), login: { username: `${phone}-wifi`, password: hotspot.password },
    })
    expectNoHomeSecrets(done.body.replace(`${phone}-wifi`, ''), pppoe)
    expect(tx).toMatchObject({ user_id: hotspot.id, plan_id: hourPlan.id, settled_by: 'RECOVERY' })
    expect(await devicesOf('aa:bb:cc:00:00:02')).toEqual([{ user_id: hotspot.id, mac_address: 'aa:bb:cc:00:00:02' }])
    await expectUnchanged(pppoe)
  })
})

describe('with C2B URLs registered', () => {
  beforeAll(async () => {
    const ctx = { secretBox: createSecretBox(t.config.MNETIFI_SECRET_KEY), tokenCache: createDarajaTokenCache(), config: t.config }
    const urls = tenantHookUrls(tenant, ctx.config)
    await darajaClientForTenant(tenant, ctx).registerC2bUrls({ confirmationUrl: urls.c2bConfirm, validationUrl: urls.c2bValidate, responseType: 'Completed' })
  })
  const c2bRow = (receipt: string) => waitFor(async () => t.tdb.db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', receipt).executeTakeFirst(), 10_000, 'C2B confirmation')

  it('still renews a home line paid by paybill with its username, or with the phone when the amount picks it', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const hotspot = await insertTestUser(t.tdb.db, tenant.id, { phone_number: phone, username: `hs-${phone.slice(-6)}` })
    const byName = await c2bRow((await sim.payBill({ shortcode: '174379', phone, amount: 2500, billRef: pppoe.username })).receipt!)
    expect(byName).toMatchObject({ kind: 'C2B', user_id: pppoe.id, plan_id: homePlan.id, reconciliation_status: 'MATCHED', credited_at: expect.any(Date) })
    const afterOne = new Date(HOME_EXPIRY.getTime() + 30 * 86_400_000)
    expect((await row(pppoe.id)).expiry_time).toEqual(afterOne)
    // The phone holds two accounts; 2,500 buys only the home plan, so the PPPoE line is the one.
    const byPhone = await c2bRow((await sim.payBill({ shortcode: '174379', phone, amount: 2500, billRef: local(phone) })).receipt!)
    expect(byPhone).toMatchObject({ user_id: pppoe.id, reconciliation_status: 'MATCHED', credited_at: expect.any(Date) })
    expect((await row(pppoe.id)).expiry_time).toEqual(new Date(afterOne.getTime() + 30 * 86_400_000))
    // …and 50 buys only the hour, so the hotspot login is.
    const hour = await c2bRow((await sim.payBill({ shortcode: '174379', phone, amount: 50, billRef: local(phone) })).receipt!)
    expect(hour).toMatchObject({ user_id: hotspot.id, plan_id: hourPlan.id, reconciliation_status: 'MATCHED', credited_at: expect.any(Date) })
    expect((await row(pppoe.id)).current_plan_id).toBe(homePlan.id)
  })

  it('lets a PPPoE customer claim an unmatched paybill payment at the portal for a hotspot login of their own', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const paid = await sim.payBill({ shortcode: '174379', phone, amount: 50, billRef: 'HELLO' })
    expect(await c2bRow(paid.receipt!)).toMatchObject({ reconciliation_status: 'UNMATCHED', credited_at: null })
    const res = await post('/recovery', { receipt: paid.receipt!, phone: local(phone), mac: 'aa:bb:cc:00:00:03' })
    const hotspot = await hotspotOf(phone)
    const tx = await t.tdb.db.selectFrom('transactions').selectAll().where('mpesa_receipt', '=', paid.receipt!).executeTakeFirstOrThrow()
    expect(res.json()).toEqual({
      status: 'ACTIVATED', message: 'Your plan is active.', checkId: null, transactionId: tx.id,
      expiresAt: hotspot.expiry_time!.toISOString(), login: { username: phone, password: hotspot.password },
    })
    expectNoHomeSecrets(res.body, pppoe)
    expect(tx).toMatchObject({ user_id: hotspot.id, plan_id: hourPlan.id, reconciliation_status: 'MATCHED', settled_by: 'RECOVERY' })
    expect(await devicesOf('aa:bb:cc:00:00:03')).toEqual([{ user_id: hotspot.id, mac_address: 'aa:bb:cc:00:00:03' }])
    await expectUnchanged(pppoe)
  })

  it('leaves a home-line amount claimed at the portal to the provider (UNDER_REVIEW), crediting nothing', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const paid = await sim.payBill({ shortcode: '174379', phone, amount: 2500, billRef: 'HELLO' })
    await c2bRow(paid.receipt!)
    const res = await post('/recovery', { receipt: paid.receipt!, phone: local(phone) })
    expect(res.json()).toEqual({
      status: 'UNDER_REVIEW', message: 'The amount paid does not match a plan. The provider will sort it out; please contact them.',
      checkId: null, transactionId: null, expiresAt: null, login: null,
    })
    expect(await t.tdb.db.selectFrom('transactions').select(['reconciliation_status', 'credited_at', 'user_id']).where('mpesa_receipt', '=', paid.receipt!).executeTakeFirstOrThrow())
      .toEqual({ reconciliation_status: 'UNMATCHED', credited_at: null, user_id: null })
    expect((await accountsOf(phone)).map((u) => u.id)).toEqual([pppoe.id])
    await expectUnchanged(pppoe)
  })

  it('recovery by phone reports only hotspot time: not a home line renewed by paybill, and never a login', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    await c2bRow((await sim.payBill({ shortcode: '174379', phone, amount: 2500, billRef: pppoe.username })).receipt!)
    const renewed = await row(pppoe.id)
    const none = await post('/recovery', { phone: local(phone) })
    expect(none.json()).toEqual({
      status: 'FAILED', message: 'We found no completed payment from this number in the last 24 hours. Enter the M-Pesa code from your SMS instead.',
      checkId: null, transactionId: null, expiresAt: null, login: null,
    })
    const { transactionId } = await completedPurchase(phone)
    const hotspot = await hotspotOf(phone)
    const active = await post('/recovery', { phone: local(phone) })
    expect(active.json()).toEqual({
      status: 'ACTIVATED', message: 'Your plan is active.', checkId: null, transactionId, expiresAt: hotspot.expiry_time!.toISOString(), login: null,
    })
    expectNoHomeSecrets(active.body, pppoe)
    await expectUnchanged(renewed)
  })
})

describe('POST vouchers/redeem', () => {
  const voucher = async (plan: PlanRow = hourPlan) => {
    const [v] = await createVouchers(t.tdb.db, [{ tenant_id: tenant.id, batch_id: randomUUID(), code: generateVoucherCode(), plan_id: plan.id }])
    return v!.code
  }
  const redeem = (payload: object) => post('/vouchers/redeem', payload)

  it('creates a hotspot login for a phone that only has a PPPoE line (whose username is the phone), with the MAC', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE', phone)
    const code = await voucher()
    const res = await redeem({ code, phone: local(phone), mac: 'AA:BB:CC:00:00:04' })
    expect(res.statusCode).toBe(200)
    const hotspot = await hotspotOf(phone)
    expect(res.json()).toEqual({
      username: `${phone}-wifi`, password: code.replace(/-/g, ''), expiresAt: hotspot.expiry_time!.toISOString(), message: 'Voucher accepted. You are being signed in.',
    })
    expect(res.body).not.toContain(pppoe.password)
    expect(hotspot).toMatchObject({ username: `${phone}-wifi`, current_plan_id: hourPlan.id })
    expect(await devicesOf('aa:bb:cc:00:00:04')).toEqual([{ user_id: hotspot.id, mac_address: 'aa:bb:cc:00:00:04' }])
    await expectUnchanged(pppoe)
  })

  it('credits the existing hotspot login of a phone with accounts of every type, naming only it and revealing no password', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const fixed = await homeLine(phone, 'STATIC')
    const expiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 600_000)
    const hotspot = await insertTestUser(t.tdb.db, tenant.id, { phone_number: phone, username: `hs-${phone.slice(-6)}`, password: 'hs-own-pw', expiry_time: expiry })
    const res = await redeem({ code: await voucher(), phone: `+${phone}`, mac: 'aa:bb:cc:00:00:05' })
    expect(res.json()).toEqual({
      username: hotspot.username, password: null, expiresAt: new Date(expiry.getTime() + 3_600_000).toISOString(),
      message: 'Your account has been credited. Sign in with your usual password.',
    })
    expectNoHomeSecrets(res.body, pppoe, fixed)
    expect(await devicesOf('aa:bb:cc:00:00:05')).toEqual([])
    await expectUnchanged(pppoe)
    await expectUnchanged(fixed)
  })

  it('refuses a home-line voucher at the portal without spending it or touching the PPPoE line', async () => {
    const phone = nextPhone()
    const pppoe = await homeLine(phone, 'PPPOE')
    const code = await voucher(homePlan)
    const res = await redeem({ code, phone: local(phone) })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: 'The voucher\'s plan does not serve HOTSPOT accounts' })
    expectNoHomeSecrets(res.body, pppoe)
    expect((await t.tdb.db.selectFrom('vouchers').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('UNUSED')
    expect((await accountsOf(phone)).map((u) => u.id)).toEqual([pppoe.id])
    await expectUnchanged(pppoe)
  })
})
