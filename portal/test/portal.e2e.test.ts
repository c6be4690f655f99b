/**
 * The captive portal end to end in Debian's Chromium at 360×640, against the real API, Postgres, Redis, worker,
 * radiusd and the Daraja simulator: the router's login page redirects with CHAP variables → plan → phone →
 * the simulated customer answers → the portal posts the router's login form (hash checked) → radiusd accepts
 * that login → "You're online until …". Every screen is checked with axe-core and photographed.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createAdminUser, createVouchers, hashPassword, type HotspotRow, type PlanRow, type TenantRow } from '@mnetifi/db'
import { insertTestHotspot, insertTestPlan, insertTestTenant } from '@mnetifi/db/testing'
import { startStack, type Stack } from './stack.js'
import { startFakeRouter, type FakeRouter, type RecordedLogin } from './fake-router.js'
import { axeViolations, launchChromium, phonePage, screenshot } from './browser.js'

const DEVICE_MAC = 'AA:BB:CC:12:34:56'
let stack: Stack
let browser: Browser
let tenant: TenantRow
let hotspot: HotspotRow
let hour: PlanRow
let router: FakeRouter
let loginHtml: string
let phoneSeq = 0
/** A fresh customer phone per test (the simulator keeps one open prompt per phone). */
const nextPhone = () => `07${String(12_000_000 + ++phoneSeq * 7_919 + (process.pid % 1000) * 13).padStart(8, '0')}`
const msisdn = (local: string) => `254${local.slice(1)}`

beforeAll(async () => {
  stack = await startStack('portal_e2e')
  browser = await launchChromium()
  tenant = await insertTestTenant(stack.db, { name: 'Kahawa WiFi', subdomain: 'kahawa', timezone: 'Africa/Nairobi' })
  hotspot = await insertTestHotspot(stack.db, tenant.id, {
    location_name: 'Kahawa Stage',
    nas_ip: '127.0.0.1',
    radius_secret: 'testing123',
    mac_auth_enabled: true,
  })
  hour = await insertTestPlan(stack.db, tenant.id, {
    name: '1 Hour Quick',
    price: 1000,
    duration_seconds: 3600,
    download_limit: 5_000_000,
    upload_limit: 2_000_000,
  })
  await insertTestPlan(stack.db, tenant.id, {
    name: 'Day Pass',
    price: 5000,
    duration_seconds: 86_400,
    download_limit: 10_000_000,
    upload_limit: 5_000_000,
  })
  // The owner downloads the hotspot's login.html from the API, as they would to upload it to the router.
  await createAdminUser(stack.db, {
    tenant_id: tenant.id,
    role: 'TENANT_OWNER',
    email: 'owner@kahawa.test',
    full_name: 'Owner',
    password_hash: await hashPassword('owner-password-123'),
  })
  const login = await fetch(`${stack.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@kahawa.test', password: 'owner-password-123' }),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const file = await fetch(`${stack.apiUrl}/api/hotspots/${hotspot.id}/hotspot-files/login.html`, { headers: { cookie } })
  expect(file.status).toBe(200)
  loginHtml = await file.text()
  router = await startFakeRouter({
    loginHtml,
    radiusPort: stack.radiusd.authPort,
    radiusSecret: 'testing123',
    mac: DEVICE_MAC,
    ip: '10.5.50.23',
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await router?.close()
  await stack?.close()
})

/** Opens the portal the way a phone does: the captive check lands on the router, whose login.html redirects. */
async function openPortal(options: { locale?: string } = {}): Promise<Page> {
  const page = await phonePage(browser, options.locale ? { locale: options.locale } : {})
  await page.goto(router.loginUrl)
  await page.waitForURL(/\/portal\/kahawa\//)
  return page
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([])
}

async function buy(page: Page, planName: string, phone: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${planName}`) }).click()
  await page.getByLabel('M-Pesa phone number').fill(phone)
  await page.getByRole('button', { name: /^Pay KSh/ }).click()
}

async function userOf(phone: string) {
  return stack.db
    .selectFrom('wifi_users')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('phone_number', '=', msisdn(phone))
    .where('account_type', '=', 'HOTSPOT')
    .executeTakeFirstOrThrow()
}

/** "18:42" in Nairobi for a stored expiry. */
const nairobiTime = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Nairobi', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)

/** What MikroTik's login.html computes: hexMD5(chap-id + password + chap-challenge) over bytes. */
const chapHash = (login: RecordedLogin, password: string) =>
  createHash('md5')
    .update(Buffer.concat([login.chapId, Buffer.from(password), login.chapChallenge]))
    .digest('hex')

describe('captive portal in Chromium', () => {
  it('takes a customer from the router redirect to "online until", logging the device in with HTTP-CHAP that radiusd accepts', async () => {
    const page = await openPortal()
    // The redirect carried the router's variables into the portal.
    const landed = new URL(page.url())
    expect(landed.searchParams.get('link-login-only')).toBe(`${router.url}/login`)
    expect(landed.searchParams.get('chap-challenge')).toMatch(/^(\\[0-7]{3}){16}$/)
    expect(landed.searchParams.get('hotspot')).toBe(hotspot.id)

    await expect(page.getByRole('heading', { name: 'Choose a plan' }).waitFor()).resolves.toBeUndefined()
    expect(await page.getByRole('button', { name: /^1 Hour Quick/ }).textContent()).toContain('KSh 10')
    expect(await page.getByRole('button', { name: /^1 Hour Quick/ }).textContent()).toContain('5 Mbps · 1 hour')
    expect(await page.getByRole('button', { name: /^Day Pass/ }).textContent()).toContain('10 Mbps · 24 hours')
    expect(await page.locator('header').textContent()).toContain('Kahawa WiFi')
    await expectAccessible(page)
    await screenshot(page, 'plans')

    await page.getByRole('button', { name: /^1 Hour Quick/ }).click()
    await page.getByRole('heading', { name: 'Pay with M-Pesa' }).waitFor()
    await screenshot(page, 'phone')
    await expectAccessible(page)
    const phone = nextPhone()
    await page.getByLabel('M-Pesa phone number').fill(phone)
    await page.getByRole('button', { name: 'Pay KSh 10' }).click()
    await page.getByRole('heading', { name: 'Check your phone' }).waitFor()
    expect(await page.getByText('Enter your M-Pesa PIN on the prompt sent to').textContent()).toContain(
      `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`,
    )
    await expectAccessible(page)
    await screenshot(page, 'paying')

    await page.getByRole('heading', { name: /^You're online until / }).waitFor({ timeout: 20_000 })
    const user = await userOf(phone)
    expect(await page.getByRole('heading', { name: /^You're online until / }).textContent()).toBe(
      `You're online until ${nairobiTime(user.expiry_time!)}`,
    )
    await expectAccessible(page)
    await screenshot(page, 'online')

    // The router got the stock login form, CHAP-hashed with the challenge it issued, for the customer's own login…
    expect(router.logins).toHaveLength(1)
    const [login] = router.logins
    expect(Object.keys(login!.form).sort()).toEqual(['dst', 'password', 'popup', 'username'])
    expect(login!.form.username).toBe(user.username)
    expect(login!.form.password).toBe(chapHash(login!, user.password))
    expect(new URL(login!.form.dst!).pathname).toBe('/portal/kahawa/')
    // …and radiusd accepted it with the plan's rate limit.
    expect(login!.radius.code).toBe('Access-Accept')
    expect(login!.radius.attributes).toContainEqual(['Mikrotik-Rate-Limit', '2M/5M'])
    // Paid once, and the device is remembered for MAC login if the captive window closes.
    const txs = await stack.db
      .selectFrom('transactions')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('user_phone', '=', msisdn(phone))
      .execute()
    expect(txs.map((t) => [t.status, t.plan_id, t.amount])).toEqual([['COMPLETED', hour.id, 1000]])
    const device = await stack.db.selectFrom('wifi_user_devices').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(device.mac_address).toBe(DEVICE_MAC.toLowerCase())
    await page.context().close()
  }, 60_000)
})
