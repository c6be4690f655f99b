import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVouchers, type TenantRow } from '@mnetifi/db'
import { insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { generateVoucherCode } from '../../../src/routes/vouchers/voucher-codes.js'
import { buildTestApp, type TestContext } from '../../helper.js'

const MAX_FAILURES = 5
const PER_MINUTE = 8
let ctx: TestContext
let a: TenantRow
let b: TenantRow
let planA: string
let planB: string
beforeAll(async () => {
  ctx = await buildTestApp('api_portal_vouchers', { config: { PORTAL_VOUCHER_MAX_FAILURES: MAX_FAILURES, PORTAL_VOUCHER_RATE_LIMIT_PER_MINUTE: PER_MINUTE } })
  a = await insertTestTenant(ctx.tdb.db, { name: 'Kahawa WiFi' })
  b = await insertTestTenant(ctx.tdb.db, { name: 'Other ISP' })
  planA = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'Day pass', duration_seconds: 86_400 })).id
  planB = (await insertTestPlan(ctx.tdb.db, b.id)).id
})
afterAll(async () => { await ctx.close() })

/** Inserts one UNUSED voucher and returns its code. */
async function voucher(tenant: TenantRow = a, extra: { valid_until?: Date } = {}): Promise<string> {
  const [row] = await createVouchers(ctx.tdb.db, [{
    tenant_id: tenant.id, batch_id: randomUUID(), code: generateVoucherCode(), plan_id: tenant.id === a.id ? planA : planB, ...extra,
  }])
  return row!.code
}

// Each test speaks from its own address, so the per-address limits of one test do not leak into the next.
let lastOctet = 0
const newIp = () => `10.5.0.${++lastOctet}`
const redeem = (payload: Record<string, unknown>, ip: string, subdomain = a.subdomain) =>
  ctx.app.inject({ method: 'POST', url: `/api/portal/${subdomain}/vouchers/redeem`, payload, remoteAddress: ip })

describe('POST /api/portal/:subdomain/vouchers/redeem', () => {
  it('creates a user for a new phone, records the MAC for radiusd, and answers the router login', async () => {
    const code = await voucher()
    const before = Date.now()
    const res = await redeem({ code, phone: '0712 345 678', mac: 'AA-BB-CC-00-11-22' }, newIp())
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toEqual({ username: '254712345678', password: code.replace(/-/g, ''), expiresAt: expect.any(String), message: 'Voucher accepted. You are being signed in.' })
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThanOrEqual(before + 86_400_000 - 1000)
    const user = await ctx.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', a.id).where('username', '=', '254712345678').executeTakeFirstOrThrow()
    expect(user).toMatchObject({ phone_number: '254712345678', current_plan_id: planA, account_type: 'HOTSPOT' })
    const device = await ctx.tdb.db.selectFrom('wifi_user_devices').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(device.mac_address).toBe('aa:bb:cc:00:11:22')
    const v = await ctx.tdb.db.selectFrom('vouchers').selectAll().where('code', '=', code).executeTakeFirstOrThrow()
    expect(v).toMatchObject({ status: 'REDEEMED', redeemed_by_user_id: user.id })
    const audit = await ctx.tdb.db.selectFrom('audit_log').selectAll().where('entity_id', '=', v.id).executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'voucher.redeemed', actor_type: 'CUSTOMER', actor_id: null, tenant_id: a.id, request_id: res.headers['x-request-id'] })
  })

  it('extends an existing phone user from their current expiry without revealing their password or letting a new device in', async () => {
    const expiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000)
    const user = await insertTestUser(ctx.tdb.db, a.id, { phone_number: '254722111222', username: 'kamau', password: 'pw-kamau', expiry_time: expiry })
    const res = await redeem({ code: await voucher(), phone: '+254722111222', mac: 'AA:BB:CC:DD:EE:01' }, newIp())
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      username: 'kamau', password: null, expiresAt: new Date(expiry.getTime() + 86_400_000).toISOString(),
      message: 'Your account has been credited. Sign in with your usual password.',
    })
    expect(await ctx.tdb.db.selectFrom('wifi_user_devices').select('id').where('user_id', '=', user.id).execute()).toEqual([])
    const row = await ctx.tdb.db.selectFrom('wifi_users').select(['id', 'current_plan_id']).where('phone_number', '=', '254722111222').where('tenant_id', '=', a.id).execute()
    expect(row).toEqual([{ id: user.id, current_plan_id: planA }])
  })

  it('without a phone, makes the code itself the username and password (MikroTik voucher style), whatever the case and spacing typed', async () => {
    const code = await voucher()
    const res = await redeem({ code: ` ${code.toLowerCase().replace(/-/g, ' ')} ` }, newIp())
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ username: code, password: code })
  })

  it('signs another device in with a code-named voucher already in use, redeeming nothing more, until its time runs out', async () => {
    const code = await voucher()
    const first = await redeem({ code, mac: '02:aa:00:00:00:01' }, newIp())
    expect(first.statusCode).toBe(200)
    const again = await redeem({ code: code.toLowerCase(), mac: '02:aa:00:00:00:02' }, newIp())
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual({ username: code, password: code, expiresAt: first.json().expiresAt, message: 'This voucher is in use. Signing this device in to its remaining time.' })
    const user = await ctx.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', a.id).where('username', '=', code).executeTakeFirstOrThrow()
    expect(user.expiry_time!.toISOString()).toBe(first.json().expiresAt)
    const devices = await ctx.tdb.db.selectFrom('wifi_user_devices').select('mac_address').where('user_id', '=', user.id).orderBy('mac_address').execute()
    expect(devices.map((d) => d.mac_address)).toEqual(['02:aa:00:00:00:01', '02:aa:00:00:00:02'])
    expect(await ctx.tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'voucher.redeemed').where('after', '@>', JSON.stringify({ userId: user.id })).execute()).toHaveLength(1)
    await ctx.tdb.db.updateTable('wifi_users').set({ expiry_time: new Date(Date.now() - 1000) }).where('id', '=', user.id).execute()
    const ended = await redeem({ code }, newIp())
    expect(ended.statusCode).toBe(409)
    expect(ended.json()).toEqual({ error: 'CONFLICT', message: 'This voucher is redeemed' })
  })

  it('refuses unknown (404), used (409), expired (409), other-tenant (404) and malformed (400, with field paths) codes', async () => {
    const ip = newIp()
    const unknown = await redeem({ code: 'AAAA-AAAA-AAAA' }, ip)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({ error: 'NOT_FOUND', message: 'No such voucher' })

    // Spent on a phone's account: the code is no login of its own, so typing it again is refused.
    const used = await voucher()
    expect((await redeem({ code: used, phone: '0733 222 111' }, newIp())).statusCode).toBe(200)
    const again = await redeem({ code: used }, newIp())
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({ error: 'CONFLICT', message: 'This voucher is redeemed' })

    const expired = await redeem({ code: await voucher(a, { valid_until: new Date(Date.now() - 1000) }) }, newIp())
    expect(expired.statusCode).toBe(409)
    expect(expired.json().message).toBe('This voucher has expired')

    const foreign = await voucher(b)
    const crossTenant = await redeem({ code: foreign }, newIp())
    expect(crossTenant.statusCode).toBe(404)
    expect((await ctx.tdb.db.selectFrom('vouchers').select('status').where('code', '=', foreign).executeTakeFirstOrThrow()).status).toBe('UNUSED')

    const badCode = await redeem({ code: 'hello' }, newIp())
    expect(badCode.statusCode).toBe(400)
    expect(badCode.json().details).toEqual([{ path: 'body.code', message: expect.any(String) }])
    const badBody = await redeem({ code: 42, mac: 'not-a-mac', extra: true }, newIp())
    expect(badBody.statusCode).toBe(400)
    expect(badBody.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body', 'body.code', 'body.mac'])
    const badPhone = await redeem({ code: await voucher(), phone: '0800000000x' }, newIp())
    expect(badPhone.statusCode).toBe(400)
    expect(badPhone.json().details).toEqual([{ path: 'body.phone', message: expect.any(String) }])
    const unknownIsp = await redeem({ code: await voucher() }, newIp(), 'no-such-isp')
    expect(unknownIsp.statusCode).toBe(404)
    expect(unknownIsp.json()).toEqual({ error: 'NOT_FOUND', message: 'Unknown ISP' })
  })

  it('refuses a suspended phone account without spending the code (409)', async () => {
    await insertTestUser(ctx.tdb.db, a.id, { phone_number: '254733999000', status: 'SUSPENDED' })
    const code = await voucher()
    const res = await redeem({ code, phone: '0733999000' }, newIp())
    expect(res.statusCode).toBe(409)
    expect((await ctx.tdb.db.selectFrom('vouchers').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('UNUSED')
  })

  it('refuses a BLOCKED tenant with 403 and leaves the voucher unused', async () => {
    const blocked = await insertTestTenant(ctx.tdb.db, { saas_billing_status: 'BLOCKED' })
    const plan = await insertTestPlan(ctx.tdb.db, blocked.id)
    const [row] = await createVouchers(ctx.tdb.db, [{ tenant_id: blocked.id, batch_id: randomUUID(), code: generateVoucherCode(), plan_id: plan.id }])
    const res = await redeem({ code: row!.code }, newIp(), blocked.subdomain)
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toBe('TENANT_BLOCKED')
    expect((await ctx.tdb.db.selectFrom('vouchers').select('status').where('id', '=', row!.id).executeTakeFirstOrThrow()).status).toBe('UNUSED')
  })

  it('redeems exactly once when 8 devices race for the same code through HTTP', async () => {
    const code = await voucher()
    const phones = Array.from({ length: 8 }, (_, i) => `07440000${String(i).padStart(2, '0')}`)
    const macs = phones.map((_, i) => `02:00:00:00:00:0${i}`)
    const results = await Promise.all(phones.map((phone, i) => redeem({ code, phone, mac: macs[i] }, newIp())))
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, ...Array(7).fill(409)])
    const users = await ctx.tdb.db.selectFrom('wifi_users').select('id').where('tenant_id', '=', a.id).where('phone_number', 'like', '2547440000%').execute()
    expect(users).toHaveLength(1)
    const devices = await ctx.tdb.db.selectFrom('wifi_user_devices').select('user_id').where('mac_address', 'in', macs).execute()
    expect(devices).toEqual([{ user_id: users[0]!.id }])
    const v = await ctx.tdb.db.selectFrom('vouchers').selectAll().where('code', '=', code).executeTakeFirstOrThrow()
    expect(v).toMatchObject({ status: 'REDEEMED', redeemed_by_user_id: users[0]!.id })
    expect(await ctx.tdb.db.selectFrom('audit_log').select('id').where('entity_id', '=', v.id).execute()).toHaveLength(1)
  })
})

describe('brute-force protection', () => {
  it(`refuses an address after ${MAX_FAILURES} failed codes, even with a good code, counted in Redis; other addresses still redeem`, async () => {
    const ip = newIp()
    for (let i = 0; i < MAX_FAILURES; i++) expect((await redeem({ code: generateVoucherCode() }, ip)).statusCode).toBe(404)
    const good = await voucher()
    const refused = await redeem({ code: good }, ip)
    expect(refused.statusCode).toBe(429)
    expect(refused.json()).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringContaining('wrong voucher codes'), details: { retryAfterSeconds: expect.any(Number) } })
    expect(refused.json().details.retryAfterSeconds).toBeGreaterThan(0)
    expect(await ctx.redis.get(`${ctx.config.REDIS_KEY_PREFIX}portal-voucher-failures:${ip}`)).toBe(String(MAX_FAILURES))
    expect((await ctx.tdb.db.selectFrom('vouchers').select('status').where('code', '=', good).executeTakeFirstOrThrow()).status).toBe('UNUSED')
    expect((await redeem({ code: good }, newIp())).statusCode).toBe(200)
  })

  it(`limits any address to ${PER_MINUTE} redemptions a minute (429), successful or not`, async () => {
    const ip = newIp()
    const codes: number[] = []
    for (let i = 0; i <= PER_MINUTE; i++) codes.push((await redeem({ code: await voucher() }, ip)).statusCode)
    expect(codes).toEqual([...Array(PER_MINUTE).fill(200), 429])
    expect((await redeem({ code: await voucher() }, newIp())).statusCode).toBe(200)
  })

  it('is documented in the OpenAPI document as a public route', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/docs/json' })).json()
    const op = doc.paths['/api/portal/{subdomain}/vouchers/redeem'].post
    expect(op.security).toEqual([])
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '403', '404', '409', '429', '500'])
  })
})
