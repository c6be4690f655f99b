/**
 * The admin dashboard end to end in Debian's Chromium against the real API, Postgres, Redis, worker, radiusd and
 * the Daraja simulator: an owner signs in, creates a plan (watching the Mikrotik-Rate-Limit string), a hotspot
 * (its secret shown once) and a user, recharges the user and radtest then passes; a live session started by
 * radclient is disconnected and the router (a fake /radius incoming) receives the Disconnect-Request; a
 * MANUAL_REVIEW payment is resolved; vouchers are generated and exported; a report CSV is checked row by row;
 * staff see fewer pages and the API refuses them. Every page is checked with axe-core and photographed at
 * 1440×900 and 390×844 under test-results/admin/.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createAdminUser, hashPassword, type TenantRow } from '@mnetifi/db'
import { insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { addDays, localDay } from '@mnetifi/db/domain'
import { createRadiusSessionControl, type RadiusSessionControl } from '@mnetifi/api'
import { startStack, type Stack } from '../../portal/test/stack.js'
import { axeViolations, launchChromium, screenshot } from '../../portal/test/browser.js'
import { startFakeNas, type FakeNas } from '../../api/test/fake-nas.js'
import { radclient, radtest } from '../../radiusd/test/helper.js'

const OWNER = { email: 'owner@kahawa.test', password: 'owner-password-123' }
const STAFF = { email: 'staff@kahawa.test', password: 'staff-password-123' }
const OPERATOR = { email: 'ops@mnetifi.test', password: 'operator-password-123' }
let stack: Stack
let coa: RadiusSessionControl
let browser: Browser
let tenant: TenantRow
let owner: BrowserContext
let page: Page
let nas: FakeNas | undefined
/** What the UI showed once and later steps need. */
const shown = { radiusSecret: '', userPassword: '', userPath: '', hotspotPath: '' }

async function signIn(context: BrowserContext, who: { email: string; password: string }): Promise<Page> {
  const p = await context.newPage()
  await p.goto(`${stack.apiUrl}/admin/`)
  await p.waitForURL(/\/admin\/login/)
  await p.getByLabel('E-mail').fill(who.email)
  await p.getByLabel('Password').fill(who.password)
  await p.getByRole('button', { name: 'Sign in' }).click()
  await p.getByRole('heading', { name: 'Dashboard' }).waitFor()
  return p
}

const desktop = () =>
  browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-KE', timezoneId: 'Africa/Nairobi', acceptDownloads: true })

beforeAll(async () => {
  coa = createRadiusSessionControl({ retryMs: 100, maxAttempts: 2 })
  stack = await startStack('admin_e2e', { coa })
  browser = await launchChromium()
  tenant = await insertTestTenant(stack.db, {
    name: 'Kahawa WiFi',
    subdomain: 'kahawa',
    timezone: 'Africa/Nairobi',
    branding_config: { name: 'Kahawa WiFi', supportPhone: '0700000000' },
  })
  await createAdminUser(stack.db, {
    tenant_id: tenant.id,
    role: 'TENANT_OWNER',
    email: OWNER.email,
    full_name: 'Achieng Owner',
    password_hash: await hashPassword(OWNER.password),
  })
  await createAdminUser(stack.db, {
    tenant_id: tenant.id,
    role: 'TENANT_STAFF',
    email: STAFF.email,
    full_name: 'Baraka Staff',
    password_hash: await hashPassword(STAFF.password),
  })
  await createAdminUser(stack.db, {
    tenant_id: null,
    role: 'PLATFORM_OPERATOR',
    email: OPERATOR.email,
    full_name: 'Platform Ops',
    password_hash: await hashPassword(OPERATOR.password),
  })
  // A lived-in business for the dashboard and the reports: a plan with sales over the last days.
  const day = await insertTestPlan(stack.db, tenant.id, { name: 'Day Pass', price: 5000, duration_seconds: 86_400 })
  const now = Date.now()
  await stack.db
    .insertInto('transactions')
    .values(
      [0, 1, 1, 2, 4, 6].map((daysAgo, i) => ({
        tenant_id: tenant.id,
        user_phone: `25471100000${i}`,
        amount: 5000,
        status: 'COMPLETED' as const,
        plan_id: day.id,
        kind: 'STK_PUSH' as const,
        mpesa_receipt: `UKQ00000${i}A`,
        reconciliation_status: 'MATCHED' as const,
        created_at: new Date(now - daysAgo * 86_400_000 - 60_000),
        completed_at: new Date(now - daysAgo * 86_400_000 - 60_000),
        credited_at: new Date(now - daysAgo * 86_400_000 - 60_000),
      })),
    )
    .execute()
  await insertTestUser(stack.db, tenant.id, {
    username: '254722000111',
    full_name: 'Otieno Expiring',
    phone_number: '254722000111',
    current_plan_id: day.id,
    expiry_time: new Date(now + 2 * 3_600_000),
  })
  owner = await desktop()
  page = await signIn(owner, OWNER)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await nas?.close()
  await stack?.close()
  await coa?.close()
})

describe('an owner runs the business', () => {
  it('refuses a wrong password with a clear message, and the dashboard shows today’s figures', async () => {
    const context = await desktop()
    const p = await context.newPage()
    await p.goto(`${stack.apiUrl}/admin/login`)
    await p.getByLabel('E-mail').fill(OWNER.email)
    await p.getByLabel('Password').fill('not-the-password')
    await p.getByRole('button', { name: 'Sign in' }).click()
    await expect(p.getByRole('alert').textContent()).resolves.toBe('Wrong e-mail or password.')
    expect(await axeViolations(p)).toEqual([])
    await screenshot(p, 'login-error-1440', 'admin')
    await context.close()

    await page.getByTestId('dashboard-ready').waitFor()
    // One sale today (the others are 1–6 days old): KES 50.00.
    const today = page.locator('div', { has: page.getByText('Revenue today', { exact: true }) }).last()
    await expect(today.textContent()).resolves.toContain('KES 50.00')
    await page.getByRole('link', { name: 'Otieno Expiring' }).waitFor()
  })

  it('creates a plan, watching the rate-limit string change and burst mistakes marked on their field', async () => {
    await page.getByRole('link', { name: 'Plans' }).click()
    await page.getByRole('button', { name: 'New plan' }).click()
    const dialog = page.getByRole('dialog')
    const preview = dialog.getByTestId('rate-limit-preview')
    await dialog.getByLabel('Name').fill('Kahawa Hour')
    await dialog.getByLabel('Price (KES)').fill('20')
    await dialog.getByLabel('Duration').fill('1h')
    await dialog.getByLabel('Upload limit').fill('2M')
    await dialog.getByLabel('Download limit').fill('5M')
    await expect(preview.textContent()).resolves.toBe('2M/5M')
    await dialog.getByLabel('Let users burst').check()
    await dialog.getByLabel('Burst upload').fill('4M')
    await dialog.getByLabel('Burst download').fill('4M') // below the 5M limit: refused like the API refuses it
    await dialog.getByLabel('Threshold upload').fill('1500k')
    await dialog.getByLabel('Threshold download').fill('4M')
    await dialog.getByLabel('Burst time (seconds)').fill('8')
    await dialog.getByRole('button', { name: 'Create plan' }).click()
    await dialog.getByText('must be above the download limit').waitFor()
    await dialog.getByLabel('Burst download').fill('10M')
    await expect(preview.textContent()).resolves.toBe('2M/5M 4M/10M 1500k/4M 8/8')
    await screenshot(page, 'plan-form-1440', 'admin')
    await dialog.getByRole('button', { name: 'Create plan' }).click()
    await page.getByRole('cell', { name: 'Kahawa Hour', exact: true }).waitFor()
    const row = await stack.db
      .selectFrom('plans')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('name', '=', 'Kahawa Hour')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      price: 2000,
      duration_seconds: 3600,
      upload_limit: 2_000_000,
      download_limit: 5_000_000,
      burst_rate_down: 10_000_000,
      burst_time: 8,
    })
    const reply = await stack.db
      .selectFrom('radgroupreply')
      .select('value')
      .where('attribute', '=', 'Mikrotik-Rate-Limit')
      .where('groupname', 'like', `%${row.id}%`)
      .executeTakeFirst()
    if (reply) expect(reply.value).toBe('2M/5M 4M/10M 1500k/4M 8/8')
    await expect(page.getByRole('cell', { name: '2M/5M 4M/10M 1500k/4M 8/8' }).isVisible()).resolves.toBe(true)
  })

  it('adds a hotspot: the API’s field error sits next to the field, then the secret is shown once', async () => {
    await page.getByRole('link', { name: 'Hotspots' }).click()
    await page.getByRole('button', { name: 'Add hotspot' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Location name').fill('Kahawa Stage')
    await dialog.getByLabel('NAS address').fill('300.1.1.1')
    await dialog.getByRole('button', { name: 'Add hotspot' }).click()
    const nasField = dialog.locator('div', { has: page.getByLabel('NAS address') }).last()
    await nasField.getByRole('alert').waitFor()
    await screenshot(page, 'hotspot-form-error-1440', 'admin')
    await dialog.getByLabel('NAS address').fill('127.0.0.1')
    await dialog.getByRole('button', { name: 'Add hotspot' }).click()
    shown.radiusSecret = (await page.getByTestId('secret-value').textContent()) ?? ''
    expect(shown.radiusSecret).toMatch(/^\S{16,}$/)
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await page.getByRole('cell', { name: 'Kahawa Stage', exact: true }).waitFor()
    const listed = await (await owner.request.get(`${stack.apiUrl}/api/hotspots/`)).text()
    expect(listed).not.toContain(shown.radiusSecret)
    await page.getByRole('link', { name: 'Kahawa Stage' }).click()
    await page.getByTestId('router-health').waitFor()
    shown.hotspotPath = new URL(page.url()).pathname
  })

  it('adds a user, recharges them, and radtest is then accepted by radiusd', async () => {
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByRole('button', { name: 'Add user' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Phone').fill('0712 345 678')
    await dialog.getByLabel('Full name').fill('Wanjiku Kamau')
    await dialog.getByLabel('Plan').selectOption({ label: 'Kahawa Hour' })
    await dialog.getByRole('button', { name: 'Add user' }).click()
    shown.userPassword = (await page.getByTestId('secret-value').textContent()) ?? ''
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await page.getByRole('heading', { name: /Wanjiku Kamau/ }).waitFor()
    shown.userPath = new URL(page.url()).pathname

    // No time bought yet: RADIUS refuses.
    expect((await radtest('254712345678', shown.userPassword, stack.radiusd.authPort, shown.radiusSecret)).code).toBe('Access-Reject')
    await page.getByRole('button', { name: 'Recharge' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Recharge' }).click()
    const result = page.getByTestId('action-result')
    await result.waitFor()
    await expect(result.textContent()).resolves.toContain('RADIUS now accepts this user.')
    const accept = await radtest('254712345678', shown.userPassword, stack.radiusd.authPort, shown.radiusSecret)
    expect(accept.code).toBe('Access-Accept')
    expect(accept.attributes).toContainEqual(['Mikrotik-Rate-Limit', '2M/5M 4M/10M 1500k/4M 8/8'])

    // Found again by the phone as the customer says it, searched on the server.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click()
    await page.getByLabel('Search').fill('0712 345 678')
    await page.getByLabel('Search').press('Enter')
    await page.waitForURL(/search=0712/)
    const table = page.getByRole('table', { name: 'Users' })
    await expect.poll(() => table.getByRole('link').allTextContents(), { timeout: 10_000 }).toEqual(['Wanjiku Kamau'])
  })

  it('disconnects a live session: the router receives the Disconnect-Request and the session list says so', async () => {
    nas = await startFakeNas(shown.radiusSecret)
    await stack.db
      .updateTable('hotspots')
      .set({ coa_port: nas.port })
      .where('tenant_id', '=', tenant.id)
      .where('nas_ip', '=', '127.0.0.1')
      .execute()
    const [started] = await radclient(stack.radiusd.acctPort, 'acct', shown.radiusSecret, [
      'User-Name = 254712345678\nAcct-Status-Type = Start\nAcct-Session-Id = "e2e-sess-1"\nFramed-IP-Address = 10.5.50.9\nCalling-Station-Id = "AA:BB:CC:00:11:22"\nNAS-IP-Address = 127.0.0.1',
    ])
    expect(started!.code).toBe('Accounting-Response')
    await page.getByRole('link', { name: 'Live sessions' }).click()
    await page.getByRole('button', { name: 'Disconnect 254712345678' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click()
    await page.getByText('Disconnect sent: the router confirmed').waitFor()
    expect(nas.received.map((p) => p.code)).toEqual([40])
    expect(nas.received[0]!.attributes.get(44)?.[0]?.toString()).toBe('e2e-sess-1')
    // The router's page now knows when it last logged someone in and last sent accounting.
    await page.goto(`${stack.apiUrl}${shown.hotspotPath}`)
    const health = page.getByTestId('router-health')
    await health.waitFor()
    const text = (await health.textContent()) ?? ''
    expect(text).toMatch(/Last login \(auth\)\d/)
    expect(text).toMatch(/Last accounting\d/)
    expect(text).toContain('Open sessions1')
  })

  it('resolves a MANUAL_REVIEW payment by crediting the customer', async () => {
    const review = await stack.db
      .insertInto('transactions')
      .values({
        tenant_id: tenant.id,
        kind: 'C2B',
        user_phone: '254733444555',
        amount: 2000,
        mpesa_receipt: 'UKQREVIEW1',
        status: 'COMPLETED',
        completed_at: new Date(),
        reconciliation_status: 'MANUAL_REVIEW',
        reconciliation_note: 'account number matched no customer',
        provider_log: '[]',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await page.getByRole('link', { name: 'Reconciliation' }).click()
    await page.getByRole('button', { name: 'Resolve UKQREVIEW1' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Plan', { exact: true }).selectOption({ label: 'Kahawa Hour — KES 20.00' })
    await expect(dialog.getByLabel('Customer’s phone').inputValue()).resolves.toBe('0733 444 555')
    await dialog.getByRole('button', { name: 'Credit customer' }).click()
    await page.getByText('Nothing to resolve. Every payment is accounted for.').waitFor()
    const row = await stack.db.selectFrom('transactions').selectAll().where('id', '=', review.id).executeTakeFirstOrThrow()
    expect(row.resolution).toBe('CREDITED')
    expect(row.credited_at).not.toBeNull()
    const credited = await stack.db
      .selectFrom('wifi_users')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('phone_number', '=', '254733444555')
      .executeTakeFirstOrThrow()
    expect(credited.expiry_time!.getTime()).toBeGreaterThan(Date.now() + 3500_000)
  })

  it('generates a voucher batch and exports it as CSV and PDF', async () => {
    await page.getByRole('link', { name: 'Vouchers' }).click()
    await page.getByRole('button', { name: 'Generate vouchers' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Plan').selectOption({ label: 'Kahawa Hour' })
    await dialog.getByLabel('How many').fill('5')
    await dialog.getByRole('button', { name: 'Generate' }).click()
    await page.getByText('This batch').waitFor()
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n')
    const codes = await stack.db.selectFrom('vouchers').select('code').where('tenant_id', '=', tenant.id).execute()
    expect(codes).toHaveLength(5)
    expect(lines).toHaveLength(6)
    for (const { code } of codes) expect(lines.some((l) => l.includes(code))).toBe(true)
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Printable PDF' }).click()])
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
  })

  it('exports the revenue report as CSV with one row per day that had sales', async () => {
    const today = localDay(new Date(), 'Africa/Nairobi')
    await page.goto(`${stack.apiUrl}/admin/reports?tab=revenue&from=${addDays(today, -6)}&to=${today}`)
    await page.getByRole('heading', { name: 'Revenue per day' }).waitFor()
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const text = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\n')
    const expected = await stack.db
      .selectFrom('transactions')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount').as('sum')])
      .where('tenant_id', '=', tenant.id)
      .where('status', '=', 'COMPLETED')
      .executeTakeFirstOrThrow()
    expect(text[0]).toBe('key,label,payments,amount')
    const rows = text.slice(1).map((l) => l.split(','))
    expect(rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(Number(expected.n))
    expect(rows.reduce((s, r) => s + Number(r[3]), 0)).toBe(Number(expected.sum))
    const todays = await stack.db
      .selectFrom('transactions')
      .select((eb) => eb.fn.sum<number>('amount').as('sum'))
      .where('tenant_id', '=', tenant.id)
      .where('status', '=', 'COMPLETED')
      .where('completed_at', '>=', new Date(`${today}T00:00:00+03:00`))
      .executeTakeFirstOrThrow()
    expect(rows.find((r) => r[0] === today)?.[3]).toBe(String(todays.sum))
  })
})

describe('staff', () => {
  it('see no owner pages or buttons, and the API refuses their direct calls', async () => {
    const context = await desktop()
    const p = await signIn(context, STAFF)
    await screenshot(p, 'staff-dashboard-1440', 'admin')
    const nav = p.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Users' }).waitFor()
    for (const name of ['Reports', 'Admins', 'Audit log', 'Settings', 'Tenants (ISPs)'])
      await expect(nav.getByRole('link', { name }).count()).resolves.toBe(0)
    await expect(p.getByText('Revenue today').count()).resolves.toBe(0)
    await p.goto(`${stack.apiUrl}/admin/settings`)
    await p.getByRole('heading', { name: 'Not available for your role' }).waitFor()
    await p.goto(`${stack.apiUrl}/admin/plans`)
    await p.getByRole('cell', { name: 'Kahawa Hour', exact: true }).waitFor()
    await expect(p.getByRole('button', { name: 'New plan' }).count()).resolves.toBe(0)
    const status = async (method: string, url: string, body?: object) =>
      (await context.request.fetch(`${stack.apiUrl}${url}`, { method, ...(body ? { data: body } : {}) })).status()
    expect(await status('GET', '/api/reports/revenue?from=2026-01-01&to=2026-01-31')).toBe(403)
    expect(await status('GET', '/api/admins')).toBe(403)
    expect(await status('POST', '/api/plans/', { name: 'x' })).toBe(403)
    expect(await status('GET', '/api/users/')).toBe(200)
    await context.close()
  })
})

describe('platform operators', () => {
  it('start on the tenants page, open an ISP’s dashboard, and can block it', async () => {
    const context = await desktop()
    const p = await context.newPage()
    await p.goto(`${stack.apiUrl}/admin/login`)
    await p.getByLabel('E-mail').fill(OPERATOR.email)
    await p.getByLabel('Password').fill(OPERATOR.password)
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByRole('heading', { name: 'Tenants' }).waitFor()
    // No ISP chosen yet: only the platform pages are offered.
    await expect(p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).resolves.toBe(0)
    expect(await axeViolations(p)).toEqual([])
    await screenshot(p, 'tenants-1440', 'admin')
    await p.getByRole('button', { name: 'Billing of Kahawa WiFi' }).click()
    await p.getByRole('dialog').getByLabel('Status').selectOption('BLOCKED')
    await p.getByRole('dialog').getByLabel('Reason').fill('invoice 2026-11 unpaid')
    await p.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await p.getByRole('cell', { name: 'blocked' }).waitFor()
    expect(
      await stack.db
        .selectFrom('tenants')
        .select(['saas_billing_status', 'saas_blocked_reason'])
        .where('id', '=', tenant.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      saas_billing_status: 'BLOCKED',
      saas_blocked_reason: 'invoice 2026-11 unpaid',
    })
    await p.getByRole('button', { name: 'Billing of Kahawa WiFi' }).click()
    await p.getByRole('dialog').getByLabel('Status').selectOption('ACTIVE')
    await p.getByRole('dialog').getByRole('button', { name: 'Save' }).click()
    await p.getByRole('cell', { name: 'active' }).waitFor()
    await p.getByRole('button', { name: 'Open the dashboard of Kahawa WiFi' }).click()
    await p.getByTestId('dashboard-ready').waitFor()
    await p.getByRole('link', { name: 'Otieno Expiring' }).waitFor()
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants (ISPs)' }).waitFor()
    await context.close()
  })
})

describe('every page', () => {
  const PAGES = [
    ['dashboard', '/admin/', 'Dashboard'],
    ['users', '/admin/users', 'Users'],
    ['user', '', 'Wanjiku Kamau'],
    ['sessions', '/admin/sessions', 'Live sessions'],
    ['transactions', '/admin/transactions', 'Transactions'],
    ['reconciliation', '/admin/reconciliation', 'Reconciliation'],
    ['reports', '/admin/reports', 'Reports'],
    ['reports-performance', '/admin/reports?tab=performance', 'Reports'],
    ['plans', '/admin/plans', 'Plans'],
    ['hotspots', '/admin/hotspots', 'Hotspots'],
    ['hotspot', '', 'Kahawa Stage'],
    ['vouchers', '/admin/vouchers', 'Vouchers'],
    ['ip-pools', '/admin/ip-pools', 'IP pools'],
    ['tickets', '/admin/tickets', 'Tickets'],
    ['messages', '/admin/messages', 'Messages'],
    ['admins', '/admin/admins', 'Admins'],
    ['audit-log', '/admin/audit-log', 'Audit log'],
    ['settings', '/admin/settings', 'Settings'],
    ['account', '/admin/account', 'Your account'],
  ] as const

  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    it(`has no serious or critical axe violations at ${width}×${height}, and is photographed`, async () => {
      const context = await browser.newContext({
        viewport: { width, height },
        locale: 'en-KE',
        timezoneId: 'Africa/Nairobi',
        isMobile: width < 500,
        hasTouch: width < 500,
        deviceScaleFactor: width < 500 ? 2 : 1,
      })
      await context.addCookies(await owner.cookies())
      const p = await context.newPage()
      const problems: string[] = []
      for (const [name, path, heading] of PAGES) {
        await p.goto(`${stack.apiUrl}${path || (name === 'user' ? shown.userPath : shown.hotspotPath)}`)
        await p.getByRole('heading', { name: heading }).first().waitFor()
        await p.waitForLoadState('networkidle')
        for (const v of await axeViolations(p)) problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.join(', ')}`)
        await screenshot(p, `${name}-${width}`, 'admin')
      }
      if (width < 500) {
        await p.getByRole('button', { name: 'Open menu' }).click()
        await p.getByRole('navigation', { name: 'Menu' }).waitFor()
        for (const v of await axeViolations(p)) problems.push(`menu: ${v.id} (${v.impact}) ${v.nodes.join(', ')}`)
        await screenshot(p, `menu-${width}`, 'admin')
      }
      expect(problems).toEqual([])
      await context.close()
    }, 180_000)
  }
})
