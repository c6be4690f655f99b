/**
 * The mnetifi CLI against a real database: migrations, the demo seed, create/list/show, and usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { generateSecretKey } from '@mnetifi/db'
import { main } from '../src/main.js'

let t: TestDatabase
let env: Record<string, string>
beforeAll(async () => {
  t = await createTestDatabase('cli', { migrate: false })
  env = { DATABASE_URL: t.url, MNETIFI_SECRET_KEY: generateSecretKey('k1'), NODE_ENV: 'test' }
})
afterAll(async () => { await t?.destroy() })

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, env, (l) => out.push(l), (l) => err.push(l))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('mnetifi CLI', () => {
  it('migrates up, reports status, rolls back one step and re-applies', async () => {
    const up = await run('migrate', 'up')
    expect(up.code).toBe(0)
    expect(up.out).toContain('applied 2026_11_26_090000_create_freeradius_tables')
    const status = await run('migrate', 'status')
    expect(status.out.split('\n').every((l) => /^\d{4}-\d\d-\d\dT/.test(l))).toBe(true)
    const down = await run('migrate', 'down')
    expect(down.code).toBe(0)
    expect(down.out).toMatch(/^rolled back \S+$/)
    expect((await run('migrate', 'status')).out).toMatch(/pending\s+\S+$/)
    expect((await run('migrate', 'up')).out).toMatch(/^applied /)
    expect((await run('migrate', 'up')).out).toBe('database is up to date')
  })

  it('seeds the demo ISP once, printing the admin login once', async () => {
    const first = await run('seed-demo')
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/admin login \(shown once\): owner@demo\.mnetifi\.local \/ \S{16}/)
    expect(first.out).toContain('radtest 0712345678 demo1234 127.0.0.1 0 testing123')
    const users = await t.db.selectFrom('wifi_users').select(['username', 'account_type']).orderBy('username').execute()
    expect(users).toEqual([
      { username: '0712345678', account_type: 'HOTSPOT' },
      { username: 'pppoe-otieno', account_type: 'PPPOE' },
      { username: 'static-akinyi', account_type: 'STATIC' },
    ])
    const plans = await t.db.selectFrom('plans').select(['name', 'burst_rate_up']).orderBy('price').execute()
    expect(plans.map((p) => p.name)).toEqual(['1 Hour Quick', '24 Hours', 'Home 10 Mbps (30 days)'])
    expect(plans.every((p) => p.burst_rate_up !== null)).toBe(true)
    const admin = await t.db.selectFrom('admin_users').select(['email', 'role', 'password_hash']).executeTakeFirstOrThrow()
    expect(admin.role).toBe('TENANT_OWNER')
    expect(admin.password_hash).toMatch(/^\$argon2id\$/)
    const again = await run('seed-demo')
    expect(again.out).toMatch(/already exists/)
    expect(again.out).not.toMatch(/admin login/)
  })

  it('creates, lists and shows tenants, hotspots, plans and users', async () => {
    expect((await run('tenant', 'create', '--name', 'Kisumu Net', '--subdomain', 'kisumu')).code).toBe(0)
    expect((await run('tenant', 'list')).out).toMatch(/kisumu/)
    const hs = await run('hotspot', 'create', '--tenant', 'kisumu', '--name', 'Kondele', '--nas-ip', '10.99.0.5')
    expect(hs.code).toBe(0)
    expect(hs.out).toMatch(/RADIUS secret \(shown once\): [A-Za-z0-9_-]{24}/)
    const plan = await run('plan', 'create', '--tenant', 'kisumu', '--name', 'Daily', '--price', '30', '--duration', '1d',
      '--up', '1M', '--down', '3M', '--burst-up', '2M', '--burst-down', '6M', '--threshold-up', '800k', '--threshold-down', '2M', '--burst-time', '10')
    expect(plan.code).toBe(0)
    expect(plan.out).toMatch(/Daily\s+KES 30\.00\s+1d\s+1M\/3M 2M\/6M 800k\/2M 10\/10\s+HOTSPOT/)
    const planId = /([0-9a-f-]{36})\s+Daily/.exec(plan.out)![1]!
    const user = await run('user', 'create', '--tenant', 'kisumu', '--type', 'hotspot', '--phone', '0798 765 432', '--plan', planId)
    expect(user.code).toBe(0)
    expect(user.out).toMatch(/0798765432\s+HOTSPOT\s+254798765432\s+ACTIVE/)
    expect(user.out).toMatch(/password: [a-z2-9]{8}/)
    const shown = await run('user', 'show', '--tenant', 'kisumu', '0798765432')
    expect(JSON.parse(shown.out)).toMatchObject({ username: '0798765432', password: '(hidden)', current_plan_id: planId })
    expect((await run('hotspot', 'list', '--tenant', 'kisumu')).out).toMatch(/Kondele\s+10\.99\.0\.5/)
    // Another tenant's user is invisible from this tenant.
    expect((await run('user', 'show', '--tenant', 'demo', '0798765432')).code).toBe(2)
  })

  it.each([
    [[], 2, /usage: mnetifi <command>/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['migrate'], 2, /migrate needs an action/],
    [['migrate', 'down', '--steps', 'x'], 2, /--steps "x" is not a positive whole number/],
    [['tenant', 'create', '--name', 'x'], 2, /--subdomain is required/],
    [['plan', 'create', '--tenant', 'kisumu', '--name', 'Bad', '--price', '10', '--duration', '1h', '--up', '5M', '--down', 'fast'], 2, /--down "fast" is not a rate/],
    [['plan', 'create', '--tenant', 'kisumu', '--name', 'Bad', '--price', '10', '--duration', '1h', '--up', '5M', '--down', '5M', '--burst-up', '1M', '--burst-down', '6M', '--threshold-up', '1M', '--threshold-down', '1M', '--burst-time', '5'], 2, /burst_rate_up: must be above upload_limit/],
    [['user', 'create', '--tenant', 'kisumu', '--type', 'hotspot', '--phone', '12345'], 2, /--phone "12345" is not a Kenyan mobile number/],
    [['hotspot', 'create', '--tenant', 'kisumu', '--name', 'x', '--nas-ip', 'router'], 2, /--nas-ip "router" is not an IP address/],
    [['tenant', 'create', '--name', 'Dup', '--subdomain', 'kisumu'], 1, /database refused: .*tenants_subdomain_key/],
    [['tenant', 'list', '--bogus'], 2, /Unknown option '--bogus'/],
  ])('refuses %j with exit %d', async (argv, code, message) => {
    const r = await run(...(argv as string[]))
    expect(r.code).toBe(code)
    expect(r.err).toMatch(message)
  })

  it('start fails fast with how-to-start messages when Postgres or Redis is down', async () => {
    const err: string[] = []
    const code = await main(['start'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/mnetifi' }, () => {}, (l) => err.push(l))
    expect(code).toBe(1)
    expect(err.join('\n')).toMatch(/Postgres is not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/mnetifi .*\n.*pg_ctlcluster --skip-systemctl-redirect/)
    const err2: string[] = []
    const code2 = await main(['start'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' }, () => {}, (l) => err2.push(l))
    expect(code2).toBe(1)
    expect(err2.join('\n')).toMatch(/^mnetifi start: Redis is not reachable at 127\.0\.0\.1:1 .*\n.*redis-server --daemonize yes/)
  })

  it('names the bad variable when the configuration is invalid', async () => {
    const out: string[] = []
    const code = await main(['tenant', 'list'], { ...env, DATABASE_URL: 'not a url' }, () => {}, (l) => out.push(l))
    expect(code).toBe(1)
    expect(out.join('\n')).toMatch(/DATABASE_URL: /)
  })

  it('rotates secrets to the new key and keeps them readable', async () => {
    const { createSecretBox, secretContext } = await import('@mnetifi/db')
    const old = createSecretBox(env.MNETIFI_SECRET_KEY!)
    const tenant = await t.db.selectFrom('tenants').select('id').where('subdomain', '=', 'kisumu').executeTakeFirstOrThrow()
    const sealed = old.encrypt('{"consumerKey":"ck"}', secretContext('tenants', 'mpesa_credentials', tenant.id))
    await t.db.updateTable('tenants').set({ mpesa_credentials: sealed }).where('id', '=', tenant.id).execute()
    const newKey = generateSecretKey('k2')
    env = { ...env, MNETIFI_SECRET_KEY: `${newKey},${env.MNETIFI_SECRET_KEY}` }
    const r = await run('secrets', 'rotate')
    expect(r.out).toBe('re-encrypted 1 secret(s) under key "k2"')
    const row = await t.db.selectFrom('tenants').select('mpesa_credentials').where('id', '=', tenant.id).executeTakeFirstOrThrow()
    expect(row.mpesa_credentials!.startsWith('v1.k2.')).toBe(true)
    expect(createSecretBox(newKey).decrypt(row.mpesa_credentials!, secretContext('tenants', 'mpesa_credentials', tenant.id))).toBe('{"consumerKey":"ck"}')
  })
})
