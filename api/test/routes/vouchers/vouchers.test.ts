import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
let plan: string
beforeAll(async () => {
  ctx = await buildTestApp('api_vouchers')
  a = await createSignedInTenant(ctx, { name: 'Kahawa WiFi' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  plan = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'Day pass', duration_seconds: 86_400, price: 5000 })).id
})
afterAll(async () => { await ctx.close() })

async function batch(count: number, extra: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/vouchers/batches', headers: { cookie: a.owner }, payload: { planId: plan, count, ...extra } })
  expect(res.statusCode).toBe(201)
  return res.json() as { batchId: string; vouchers: { id: string; code: string; status: string }[] }
}
const redeem = (cookie: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/api/vouchers/redeem', headers: { cookie }, payload })

describe('vouchers', () => {
  it('generates a batch of distinct, well-formed UNUSED codes and lists them', async () => {
    const { batchId, vouchers } = await batch(50)
    expect(vouchers).toHaveLength(50)
    expect(new Set(vouchers.map((v) => v.code)).size).toBe(50)
    for (const v of vouchers) expect(v).toMatchObject({ status: 'UNUSED', code: expect.stringMatching(/^[ACEFGHJKMNPRTUVWXY34679]{4}(-[ACEFGHJKMNPRTUVWXY34679]{4}){2}$/) })
    const list = await ctx.app.inject({ method: 'GET', url: `/api/vouchers?batchId=${batchId}&limit=10`, headers: { cookie: a.staff } })
    expect(list.json()).toMatchObject({ total: 50, limit: 10 })
  })

  it('exports a batch as CSV and as a PDF sheet', async () => {
    const { batchId, vouchers } = await batch(30)
    const csv = await ctx.app.inject({ method: 'GET', url: `/api/vouchers/batches/${batchId}/export.csv`, headers: { cookie: a.owner } })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = csv.body.trim().split('\n')
    expect(lines[0]).toBe('code,plan,price,duration,status,valid_until,batch_id')
    expect(lines).toHaveLength(31)
    expect(lines[1]).toBe(`${[...vouchers].sort((x, y) => x.code.localeCompare(y.code))[0]!.code},Day pass,KES 50.00,1 day,UNUSED,,${batchId}`)
    const pdf = await ctx.app.inject({ method: 'GET', url: `/api/vouchers/batches/${batchId}/export.pdf`, headers: { cookie: a.owner } })
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    expect((pdf.rawPayload.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBe(2) // 30 cards, 24 per page
    expect((await ctx.app.inject({ method: 'GET', url: `/api/vouchers/batches/${batchId}/export.csv`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: `/api/vouchers/batches/${batchId}/export.pdf`, headers: { cookie: a.staff } })).statusCode).toBe(403)
  })

  it('redeems into a new code-named user, a phone user, or an existing user (extending from the current expiry)', async () => {
    const { vouchers: [v1, v2, v3] } = await batch(3)
    const fresh = await redeem(a.staff, { code: v1!.code.toLowerCase().replace(/-/g, ' ') })
    expect(fresh.statusCode).toBe(200)
    expect(fresh.json()).toMatchObject({ createdUser: true, voucher: { status: 'REDEEMED' }, user: { username: v1!.code, currentPlanId: plan } })
    const phone = await redeem(a.staff, { code: v2!.code, phoneNumber: '0722000111' })
    expect(phone.json()).toMatchObject({ createdUser: true, user: { username: '254722000111', phoneNumber: '254722000111' } })
    const expiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000)
    const user = await insertTestUser(ctx.tdb.db, a.id, { expiry_time: expiry })
    const existing = await redeem(a.staff, { code: v3!.code, userId: user.id })
    expect(existing.json()).toMatchObject({ createdUser: false, user: { id: user.id, expiryTime: new Date(expiry.getTime() + 86_400_000).toISOString() } })
  })

  it('redeems exactly once when 12 requests race for the same code', async () => {
    const { vouchers: [v] } = await batch(1)
    const phones = Array.from({ length: 12 }, (_, i) => `07330000${String(i).padStart(2, '0')}`)
    const results = await Promise.all(phones.map((phoneNumber) => redeem(a.staff, { code: v!.code, phoneNumber })))
    const codes = results.map((r) => r.statusCode).sort()
    expect(codes).toEqual([200, ...Array(11).fill(409)])
    expect(results.find((r) => r.statusCode === 409)!.json()).toEqual({ error: 'CONFLICT', message: 'This voucher is redeemed' })
    const credited = await ctx.tdb.db.selectFrom('wifi_users').select('phone_number').where('tenant_id', '=', a.id).where('phone_number', 'like', '2547330000%').execute()
    expect(credited).toHaveLength(1)
    const row = await ctx.tdb.db.selectFrom('vouchers').selectAll().where('id', '=', v!.id).executeTakeFirstOrThrow()
    expect(row.status).toBe('REDEEMED')
    const audits = await ctx.tdb.db.selectFrom('audit_log').select('id').where('entity_id', '=', v!.id).where('action', '=', 'voucher.redeemed').execute()
    expect(audits).toHaveLength(1)
  })

  it('refuses revoked, expired, unknown, malformed and foreign codes', async () => {
    const { vouchers: [v1, v2] } = await batch(2)
    const revoked = await ctx.app.inject({ method: 'POST', url: `/api/vouchers/${v1!.id}/revoke`, headers: { cookie: a.owner } })
    expect(revoked.json().status).toBe('REVOKED')
    expect((await ctx.app.inject({ method: 'POST', url: `/api/vouchers/${v1!.id}/revoke`, headers: { cookie: a.owner } })).statusCode).toBe(409)
    expect((await redeem(a.staff, { code: v1!.code })).json()).toEqual({ error: 'CONFLICT', message: 'This voucher is revoked' })
    const { vouchers: [old] } = await batch(1, { validUntil: new Date(Date.now() - 1000).toISOString() })
    expect((await redeem(a.staff, { code: old!.code })).json().message).toBe('This voucher has expired')
    expect((await redeem(a.staff, { code: 'AAAA-AAAA-AAAA' })).statusCode).toBe(404)
    const bad = await redeem(a.staff, { code: 'hello' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].path).toBe('body.code')
    expect((await redeem(b.owner, { code: v2!.code })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'POST', url: `/api/vouchers/${v2!.id}/revoke`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'POST', url: '/api/vouchers/batches', headers: { cookie: a.staff }, payload: { planId: plan, count: 1 } })).statusCode).toBe(403)
    const tooMany = await ctx.app.inject({ method: 'POST', url: '/api/vouchers/batches', headers: { cookie: a.owner }, payload: { planId: plan, count: 5000 } })
    expect(tooMany.json().details[0].path).toBe('body.count')
  })
})
