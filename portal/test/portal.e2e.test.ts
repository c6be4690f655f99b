/**
 * The captive portal end to end in Debian's Chromium at 360×640, against the real API, Postgres, Redis, worker,
 * radiusd and the Daraja simulator: the router's login page redirects with CHAP variables → plan → phone →
 * the simulated customer answers → the portal posts the router's login form (hash checked) → radiusd accepts
 * that login → "You're online until …". Every screen is checked with axe-core and photographed.
 */
import { createHash, randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createAdminUser, createVouchers, hashPassword, type HotspotRow, type PlanRow, type TenantRow } from '@mnetifi/db'
import { insertTestHotspot, insertTestPlan, insertTestTenant } from '@mnetifi/db/testing'
import { generateVoucherCode } from '@mnetifi/api'
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

// A test that fails midway leaves its page open; close every context so none can touch the shared router later.
afterEach(async () => {
  for (const context of browser?.contexts() ?? []) await context.close()
})

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

/** Waits for "You're online until …"; on a timeout, says where the page got stuck instead. */
async function waitOnline(page: Page, timeout = 20_000): Promise<void> {
  const heading = page.getByRole('heading', { name: /^You're online until / })
  await heading.waitFor({ timeout }).catch(async (err: Error) => {
    const text = (
      await page
        .locator('body')
        .innerText()
        .catch(() => '')
    )
      .replace(/\s+/g, ' ')
      .slice(0, 300)
    const last = router.logins.at(-1)
    // Was the posted hash right for the account's password and the challenge the router had issued?
    const user = last?.form.username
      ? await stack.db
          .selectFrom('wifi_users')
          .select(['password', 'expiry_time'])
          .where('tenant_id', '=', tenant.id)
          .where('username', '=', last.form.username)
          .executeTakeFirst()
      : undefined
    const hashOk = last && user ? chapHash(last, user.password) === last.form.password : undefined
    throw new Error(
      `${err.message}\nat ${page.url()}: ${text}\nrouter logins: ${router.logins.length}, pages served: ${router.pagesServed}; last: ` +
        `${JSON.stringify(last?.form)} → ${JSON.stringify(last?.radius)}; hash matches the DB password: ${hashOk}; user: ${JSON.stringify(user)}`,
    )
  })
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

    await waitOnline(page)
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

  it("retries once with the router's fresh challenge when a second login page made the first one stale", async () => {
    const page = await openPortal()
    // The phone's captive-portal checker opens the router's login page too: RouterOS issues a new challenge.
    await fetch(router.loginUrl)
    const before = router.logins.length
    await buy(page, '1 Hour Quick', nextPhone())
    await waitOnline(page)
    const [stale, retried] = router.logins.slice(before)
    expect(router.logins).toHaveLength(before + 2)
    expect(stale!.radius.code).toBe('Access-Reject')
    expect(retried!.radius.code).toBe('Access-Accept')
    expect(retried!.form.username).toBe(stale!.form.username)
  }, 60_000)

  it('explains a cancelled prompt in plain words and pays on a one-tap retry', async () => {
    const page = await openPortal()
    const phone = nextPhone()
    stack.sim.queueScenarioForPhone(msisdn(phone), { outcome: 'cancelled', processingMs: 300 })
    await buy(page, '1 Hour Quick', phone)
    await page.getByRole('heading', { name: 'Payment not completed' }).waitFor({ timeout: 20_000 })
    expect(await page.getByRole('alert').first().textContent()).toBe('You cancelled the M-Pesa prompt. Tap "Try again" when you are ready.')
    await expectAccessible(page)
    await screenshot(page, 'failed-cancelled')
    await page.getByRole('button', { name: 'Try again' }).click()
    await waitOnline(page)
    const txs = await stack.db
      .selectFrom('transactions')
      .select(['status', 'failure_reason'])
      .where('tenant_id', '=', tenant.id)
      .where('user_phone', '=', msisdn(phone))
      .orderBy('created_at')
      .execute()
    expect(txs).toEqual([
      { status: 'FAILED', failure_reason: 'CANCELLED' },
      { status: 'COMPLETED', failure_reason: null },
    ])
    await page.context().close()
  }, 60_000)

  it('says the PIN was wrong and offers the retry', async () => {
    const page = await openPortal()
    const phone = nextPhone()
    stack.sim.queueScenarioForPhone(msisdn(phone), { outcome: 'wrong_pin', processingMs: 300 })
    await buy(page, 'Day Pass', phone)
    await page.getByRole('heading', { name: 'Payment not completed' }).waitFor({ timeout: 20_000 })
    expect(await page.getByRole('alert').first().textContent()).toBe('The M-Pesa PIN was wrong. Try again with the right PIN.')
    expect(await page.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true)
    await screenshot(page, 'failed-wrong-pin')
    const tx = await stack.db
      .selectFrom('transactions')
      .select(['status', 'failure_reason', 'result_code'])
      .where('tenant_id', '=', tenant.id)
      .where('user_phone', '=', msisdn(phone))
      .executeTakeFirstOrThrow()
    expect(tx).toEqual({ status: 'FAILED', failure_reason: 'WRONG_PIN', result_code: '2001' })
    await page.context().close()
  }, 60_000)

  it('survives a reload mid-payment without sending a second prompt', async () => {
    const page = await openPortal()
    const phone = nextPhone()
    // Long enough that the reload surely lands while the prompt is still open, even on a loaded CI machine.
    stack.sim.queueScenarioForPhone(msisdn(phone), { outcome: 'success', processingMs: 8000 })
    await buy(page, '1 Hour Quick', phone)
    await page.getByRole('heading', { name: 'Check your phone' }).waitFor()
    const before = new URL(page.url())
    expect(before.searchParams.get('step')).toBe('paying')
    await page.reload()
    await page.getByRole('heading', { name: 'Check your phone' }).waitFor()
    expect(new URL(page.url()).searchParams.get('tx')).toBe(before.searchParams.get('tx'))
    await waitOnline(page, 25_000)
    const txs = await stack.db
      .selectFrom('transactions')
      .select(['id', 'status'])
      .where('tenant_id', '=', tenant.id)
      .where('user_phone', '=', msisdn(phone))
      .execute()
    expect(txs).toEqual([{ id: before.searchParams.get('tx'), status: 'COMPLETED' }])
    expect([...stack.sim.payments.values()].filter((p) => p.phone === msisdn(phone))).toHaveLength(1)
    await page.context().close()
  }, 60_000)

  it('gets a customer whose payment M-Pesa never reported online from the code in their SMS', async () => {
    const phone = nextPhone()
    // Paid straight to the paybill, and the confirmation never reached us: only M-Pesa knows this receipt.
    const paid = await stack.sim.payBill({ shortcode: '174379', phone: msisdn(phone), amount: 10, billRef: 'wifi' })
    expect(paid.receipt).toMatch(/^[A-Z0-9]{10}$/)
    const page = await openPortal()
    await page.getByRole('button', { name: 'Paid but not online?' }).click()
    await page.getByRole('heading', { name: 'Paid but not online?' }).waitFor()
    await expectAccessible(page)
    await screenshot(page, 'recover')
    await page.getByLabel('M-Pesa code').fill(paid.receipt!.toLowerCase())
    await page.getByLabel('Phone number you paid with').fill(phone)
    await page.getByRole('button', { name: 'Check my payment' }).click()
    await waitOnline(page)
    const user = await userOf(phone)
    expect(router.logins.at(-1)!.form.username).toBe(user.username)
    expect(router.logins.at(-1)!.radius.code).toBe('Access-Accept')
    const tx = await stack.db
      .selectFrom('transactions')
      .select(['status', 'settled_by', 'plan_id'])
      .where('mpesa_receipt', '=', paid.receipt!)
      .executeTakeFirstOrThrow()
    expect(tx).toEqual({ status: 'COMPLETED', settled_by: 'RECOVERY', plan_id: hour.id })
    await page.context().close()
  }, 60_000)

  it('signs a returning customer in on a new device with the M-Pesa code of their running plan', async () => {
    const paidBefore = await stack.db
      .selectFrom('transactions')
      .select(['mpesa_receipt', 'user_id'])
      .where('tenant_id', '=', tenant.id)
      .where('status', '=', 'COMPLETED')
      .where('kind', '=', 'STK_PUSH')
      .where('mpesa_receipt', 'is not', null)
      .executeTakeFirstOrThrow()
    const owner = await stack.db.selectFrom('wifi_users').selectAll().where('id', '=', paidBefore.user_id!).executeTakeFirstOrThrow()
    const logins = router.logins.length
    const page = await openPortal() // a fresh browser context: nothing of the first device is on this one
    await page.getByRole('button', { name: 'Already paid on another device?' }).click()
    await page.getByRole('button', { name: 'I have an M-Pesa code' }).click()
    await page.getByLabel('M-Pesa code').fill(paidBefore.mpesa_receipt!)
    await page.getByRole('button', { name: 'Check my payment' }).click()
    await waitOnline(page)
    expect(await page.getByRole('heading', { name: /^You're online until / }).textContent()).toBe(
      `You're online until ${nairobiTime(owner.expiry_time!)}`,
    )
    expect(router.logins).toHaveLength(logins + 1)
    expect(router.logins.at(-1)!.form.username).toBe(owner.username)
    expect(router.logins.at(-1)!.radius.code).toBe('Access-Accept')
    // Nothing was credited again.
    const after = await stack.db.selectFrom('wifi_users').select('expiry_time').where('id', '=', owner.id).executeTakeFirstOrThrow()
    expect(after.expiry_time).toEqual(owner.expiry_time)
    await page.context().close()
  }, 60_000)

  it('refuses an unknown M-Pesa code next to the field', async () => {
    const page = await openPortal()
    await page.getByRole('button', { name: 'Have a voucher?' }).waitFor()
    await page.getByRole('button', { name: 'Paid but not online?' }).click()
    await page.getByLabel('M-Pesa code').fill('ABC123')
    await page.getByRole('button', { name: 'Check my payment' }).click()
    expect(await page.getByRole('alert').first().textContent()).toBe('An M-Pesa code has 10 letters and numbers, like UKQ7RT61SV.')
    await screenshot(page, 'recover-error')
    await page.context().close()
  }, 30_000)

  it('logs a device in with a voucher code', async () => {
    const [voucher] = await createVouchers(stack.db, [
      { tenant_id: tenant.id, batch_id: randomUUID(), code: generateVoucherCode(), plan_id: hour.id },
    ])
    const page = await openPortal()
    await page.getByRole('button', { name: 'Have a voucher?' }).click()
    await page.getByRole('heading', { name: 'Use a voucher' }).waitFor()
    await expectAccessible(page)
    await screenshot(page, 'voucher')
    // Typed as a customer would: lower case, with the dashes of the printed code.
    await page.getByLabel('Voucher code').fill(voucher!.code.toLowerCase())
    await page.getByRole('button', { name: 'Use voucher' }).click()
    await waitOnline(page)
    const row = await stack.db
      .selectFrom('vouchers')
      .select(['status', 'redeemed_by_user_id'])
      .where('id', '=', voucher!.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('REDEEMED')
    const user = await stack.db.selectFrom('wifi_users').selectAll().where('id', '=', row.redeemed_by_user_id!).executeTakeFirstOrThrow()
    const login = router.logins.at(-1)!
    expect(login.form.username).toBe(user.username)
    expect(login.form.password).toBe(chapHash(login, user.password))
    expect(login.radius.code).toBe('Access-Accept')
    await page.context().close()
  }, 60_000)

  it('signs a returning customer in on a new device with a one-time code sent by SMS', async () => {
    const owner = await stack.db
      .selectFrom('wifi_users')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('account_type', '=', 'HOTSPOT')
      .where('expiry_time', '>', new Date())
      .where('phone_number', 'is not', null)
      .executeTakeFirstOrThrow()
    const logins = router.logins.length
    const page = await openPortal()
    await page.getByRole('button', { name: 'Already paid on another device?' }).click()
    await page.getByRole('heading', { name: 'On a new device?' }).waitFor()
    await expectAccessible(page)
    await screenshot(page, 'returning')
    await page.getByRole('button', { name: 'Send me a one-time code by SMS' }).click()
    await page.getByLabel('Phone number').fill(`0${owner.phone_number!.slice(3)}`)
    await page.getByRole('button', { name: 'Send me a code' }).click()
    await page.getByLabel('6-digit code').waitFor()
    await expectAccessible(page)
    await screenshot(page, 'code')
    // The phone also got its payment confirmation earlier: the code is the newest "login code" message.
    const codeSms = () => stack.sms.filter((m) => m.to === owner.phone_number && m.body.includes('login code'))
    const deadline = Date.now() + 10_000
    while (codeSms().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const text = codeSms().at(-1)!.body
    expect(text).toMatch(/^\d{6} is your Kahawa WiFi login code\. It expires in 5 minutes\. Do not share it\.$/)
    const code = text.slice(0, 6)
    // A wrong code first: told how many tries are left, next to the field.
    await page.getByLabel('6-digit code').fill(code === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: 'Sign this device in' }).click()
    expect(await page.getByRole('alert').first().textContent()).toBe('That code is not right. 4 tries left.')
    await page.getByLabel('6-digit code').fill(code)
    await page.getByRole('button', { name: 'Sign this device in' }).click()
    await waitOnline(page)
    expect(router.logins).toHaveLength(logins + 1)
    expect(router.logins.at(-1)!.form.username).toBe(owner.username)
    expect(router.logins.at(-1)!.radius.code).toBe('Access-Accept')
    await page.context().close()
  }, 60_000)

  it('speaks Swahili when asked, and remembers it', async () => {
    const page = await openPortal()
    await page.getByRole('heading', { name: 'Choose a plan' }).waitFor()
    await page.getByRole('button', { name: 'Badilisha lugha hadi Kiswahili' }).click()
    await page.getByRole('heading', { name: 'Chagua kifurushi' }).waitFor()
    expect(await page.getByRole('button', { name: /^1 Hour Quick/ }).textContent()).toContain('5 Mbps · saa 1')
    expect(await page.evaluate('document.documentElement.lang')).toBe('sw')
    await expectAccessible(page)
    await screenshot(page, 'plans-sw')
    await page.reload()
    await page.getByRole('heading', { name: 'Chagua kifurushi' }).waitFor()
    await page.getByRole('button', { name: /^1 Hour Quick/ }).click()
    await page.getByRole('heading', { name: 'Lipa kwa M-Pesa' }).waitFor()
    await page.getByLabel('Nambari ya simu ya M-Pesa').fill('12345')
    await page.getByRole('button', { name: 'Lipa KSh 10' }).click()
    expect(await page.getByRole('alert').first().textContent()).toBe('Weka nambari ya Safaricom kama 0712 345 678 au 0110 123 456.')
    await screenshot(page, 'phone-error-sw')
    await page.context().close()
  }, 30_000)

  it("shows a router's refusal kindly", async () => {
    const page = await phonePage(browser)
    await page.goto(
      `${stack.apiUrl}/portal/kahawa/?link-login-only=${encodeURIComponent(`${router.url}/login`)}&error=${encodeURIComponent('invalid username or password')}`,
    )
    await page.getByText('The router did not accept the login.').waitFor()
    await screenshot(page, 'router-error')
    await page.context().close()
  }, 30_000)

  it("wears the ISP's branding instead of MnetiFi's", async () => {
    await insertTestTenant(stack.db, {
      name: 'Umoja Networks Ltd',
      subdomain: 'umoja',
      branding_config: { name: 'Umoja Net', primaryColor: '#e11d48', accentColor: '#f59e0b', supportPhone: '0722 111 222' },
    })
    const page = await phonePage(browser)
    await page.goto(`${stack.apiUrl}/portal/umoja/`)
    await page.getByRole('heading', { name: 'Choose a plan' }).waitFor()
    expect(await page.locator('header').textContent()).toContain('Umoja Net')
    expect(await page.title()).toBe('Umoja Net Wi-Fi')
    expect(await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand-from').trim()")).toBe('#e11d48')
    expect(await page.getByRole('link', { name: 'Call 0722 111 222' }).getAttribute('href')).toBe('tel:0722 111 222')
    expect(await page.getByText('Powered by MnetiFi').count()).toBe(1)
    await expectAccessible(page)
    await screenshot(page, 'branded')
    await page.context().close()
  }, 30_000)

  it('says "unknown ISP" for a subdomain nobody has', async () => {
    const page = await phonePage(browser)
    await page.goto(`${stack.apiUrl}/portal/nobody-here/`)
    await page.getByText('This Wi-Fi provider is not known here. Check the address.').waitFor()
    expect(await page.locator('header').textContent()).toContain('MnetiFi')
    await screenshot(page, 'unknown-isp')
    await page.context().close()
  }, 30_000)

  it('fits a 320 px screen without sideways scrolling, and keeps still for reduced motion', async () => {
    const page = await phonePage(browser, { viewport: { width: 320, height: 568 }, reducedMotion: 'reduce' })
    await page.goto(router.loginUrl)
    await page.getByRole('heading', { name: 'Choose a plan' }).waitFor()
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320)
    await page.getByRole('button', { name: /^Day Pass/ }).click()
    await page.getByRole('heading', { name: 'Pay with M-Pesa' }).waitFor()
    expect(await page.evaluate('document.getAnimations().length')).toBe(0)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320)
    await screenshot(page, 'phone-320')
    await page.context().close()
  }, 30_000)
})
