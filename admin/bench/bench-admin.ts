/**
 * `npm run bench:admin`: what an ISP owner waits for. Loads the reports bench data set (1,000,000 radacct rows,
 * 10,000 users with phone numbers, 50,000 payments; api/bench/reports-data-set.ts), serves the built dashboard
 * from the real API, and in Debian's headless Chromium with a cold cache measures:
 * - first load: every HTML/JS/CSS/font file fetched until the dashboard is drawn, counted gzip-compressed;
 * - dashboard: navigation start → the figures and both charts drawn;
 * - user search: typing a customer's phone (as they say it, 07…) and Enter → their row listed.
 * Figures go to admin/bench/results.md; the last line is the summary the issue asks for.
 */
import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { createAdminUser, hashPassword } from '@mnetifi/db'
import { launchChromium } from '../../portal/test/browser.js'
import { startStack } from '../../portal/test/stack.js'
import { seedReportsDataSet, USERS } from '../../api/bench/reports-data-set.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const ROOT = new URL('../../', import.meta.url).pathname
const DIST = new URL('../dist/', import.meta.url).pathname
const RESULTS = new URL('./results.md', import.meta.url).pathname
const BUDGET = { firstLoadKb: 250, dashboardMs: 1500, searchMs: 300 }
const log = (msg: string) => process.stdout.write(`${msg}\n`)

const build = spawnSync('npm', ['run', 'build', '--silent', '-w', '@mnetifi/admin'], { cwd: ROOT, stdio: 'inherit' })
if (build.status !== 0) throw new Error('admin build failed')

const stack = await startStack('bench_admin')
const { tenantId } = await seedReportsDataSet(stack.db, log)
// Customers have phone numbers (the data set's users have none): 2547 + 8 digits from their number.
await sql`UPDATE wifi_users SET phone_number = '2547' || lpad(substr(username, 2), 8, '0'), full_name = 'Customer ' || substr(username, 2) WHERE tenant_id = ${tenantId}`.execute(
  stack.db,
)
await sql`ANALYZE wifi_users`.execute(stack.db)
await createAdminUser(stack.db, {
  tenant_id: tenantId,
  role: 'TENANT_OWNER',
  email: 'bench@example.com',
  password_hash: await hashPassword('bench-password-123'),
})
const login = await fetch(`${stack.apiUrl}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-123' }),
})
const session = /mnetifi_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
if (!session) throw new Error('bench login failed')

/** gzip size of a file the dashboard serves (its .gz copy when the build wrote one; woff2 as it is). */
function gzipSizeOf(pathname: string): number {
  if (!pathname.startsWith('/admin/assets/')) return gzipSync(readFileSync(`${DIST}index.html`), { level: 9 }).length
  const file = `${DIST}${pathname.replace(/^\/admin\//, '')}`
  if (existsSync(`${file}.gz`)) return readFileSync(`${file}.gz`).length
  const body = readFileSync(file)
  return file.endsWith('.woff2') ? body.length : gzipSync(body, { level: 9 }).length
}

const browser = await launchChromium()
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-KE', timezoneId: 'Africa/Nairobi' })
  await context.addCookies([{ name: 'mnetifi_session', value: session!, url: stack.apiUrl }])
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  return { context, page }
}

async function dashboardOnce() {
  const { context, page } = await newPage()
  const files = new Set<string>()
  let drawn = false
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname
    if (!drawn && p.startsWith('/admin/')) files.add(p)
  })
  await page.goto(`${stack.apiUrl}/admin/`, { waitUntil: 'commit' })
  await page.getByTestId('dashboard-ready').waitFor({ timeout: 30_000 })
  await page.locator('.uplot canvas').nth(1).waitFor({ timeout: 30_000 })
  // Time since navigation start, by the page's own clock.
  const ms = Math.round((await page.evaluate('performance.now()')) as number)
  drawn = true
  await context.close()
  return { ms, gzipBytes: [...files].reduce((n, p) => n + gzipSizeOf(p), 0), files: [...files] }
}

async function searchOnce(i: number) {
  const { context, page } = await newPage()
  await page.goto(`${stack.apiUrl}/admin/users`)
  await page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1).waitFor()
  const n = 1 + ((i * 3797) % USERS)
  const local = `07${String(n).padStart(8, '0')}`
  const name = `Customer ${String(n).padStart(5, '0')}`
  const box = page.getByLabel('Search')
  await box.fill(local)
  const t0 = (await page.evaluate('performance.now()')) as number
  await box.press('Enter')
  await page.getByRole('table', { name: 'Users' }).getByRole('link', { name, exact: true }).waitFor({ timeout: 10_000 })
  const ms = Math.round(((await page.evaluate('performance.now()')) as number) - t0)
  await context.close()
  return ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const loads: Awaited<ReturnType<typeof dashboardOnce>>[] = []
const searches: number[] = []
try {
  await dashboardOnce() // warm the API's query plans; not counted
  for (let i = 0; i < RUNS; i++) loads.push(await dashboardOnce())
  await searchOnce(0)
  for (let i = 1; i <= RUNS; i++) searches.push(await searchOnce(i))
} finally {
  await browser.close()
  await stack.close()
}

const firstLoadKb = median(loads.map((l) => l.gzipBytes)) / 1024
const dashboardMs = median(loads.map((l) => l.ms))
const searchMs = median(searches)
const files = loads[0]!.files
  .map((p) => `\`${p.replace(/^\/admin\//, '') || 'index.html'}\` ${(gzipSizeOf(p) / 1024).toFixed(1)} KB`)
  .join(', ')
const summary = `admin first load ${firstLoadKb.toFixed(1)} KB gzip, dashboard ${dashboardMs} ms, user search ${searchMs} ms`
const ok = firstLoadKb <= BUDGET.firstLoadKb && dashboardMs < BUDGET.dashboardMs && searchMs < BUDGET.searchMs
const section = `
## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${RUNS} cold loads and ${RUNS} searches, median (min–max)

Data: 1,000,000 radacct rows over 90 days, 10,000 users, 50,000 payments (api/bench/reports-data-set.ts). Desktop 1440×900,
no throttling, cache disabled.

| measure | result | budget |
| --- | --- | --- |
| first load (gzip) | ${firstLoadKb.toFixed(1)} KB | ${BUDGET.firstLoadKb} KB |
| dashboard drawn (figures + both charts) | ${dashboardMs} ms (${Math.min(...loads.map((l) => l.ms))}–${Math.max(...loads.map((l) => l.ms))}) | ${BUDGET.dashboardMs} ms |
| user found by phone (Enter → row) | ${searchMs} ms (${Math.min(...searches)}–${Math.max(...searches)}) | ${BUDGET.searchMs} ms |

First load files: ${files}.

\`${summary}\`
`
if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# bench:admin results\n\nAppended by `npm run bench:admin`; newest last.\n')
appendFileSync(RESULTS, section)
log(ok ? 'every figure within budget' : 'A FIGURE MISSED ITS BUDGET')
log(summary)
if (!ok) process.exitCode = 1
