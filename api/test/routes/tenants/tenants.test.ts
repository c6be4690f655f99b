import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretBox, secretContext } from '@mnetifi/db'
import { buildTestApp, createSignedInTenant, insertTestAdmin, signIn, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let platform: string
let t: TestTenant
beforeAll(async () => {
  ctx = await buildTestApp('api_tenants')
  platform = await signIn(ctx, (await insertTestAdmin(ctx, 'PLATFORM_OPERATOR', null)).email)
  t = await createSignedInTenant(ctx)
})
afterAll(async () => { await ctx.close() })

const creds = { shortcode: '174379', environment: 'sandbox', transactionType: 'CustomerPayBillOnline', consumerKey: 'ck', consumerSecret: 'cs-secret', passkey: 'pk-secret' }

describe('tenants (platform operators)', () => {
  it('creates a tenant with its first owner, who can then sign in', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/tenants', headers: { cookie: platform }, payload: {
      name: 'Kibera Net', subdomain: 'kibera-net', branding: { primaryColor: '#112233' }, saasMonthlyFee: 250000,
      owner: { email: 'boss@kibera.example', password: 'a long enough password' },
    } })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ name: 'Kibera Net', subdomain: 'kibera-net', timezone: 'Africa/Nairobi', branding: { primaryColor: '#112233' },
      mpesa: { credentialsSet: false, shortcode: null }, saas: { monthlyFee: 250000, status: 'ACTIVE' } })
    const cookie = await signIn(ctx, 'boss@kibera.example', 'a long enough password')
    const own = await ctx.app.inject({ method: 'GET', url: '/api/tenant', headers: { cookie } })
    expect(own.json().id).toBe(body.id)
  })

  it('answers 409 for a taken subdomain and 400 with field paths for a bad one', async () => {
    const dup = await ctx.app.inject({ method: 'POST', url: '/api/tenants', headers: { cookie: platform }, payload: { name: 'X', subdomain: 'kibera-net' } })
    expect(dup.statusCode).toBe(409)
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/tenants', headers: { cookie: platform }, payload: { name: '', subdomain: 'Bad_Name' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body.name', 'body.subdomain'])
  })

  it('lists and filters tenants, blocks one with a reason and unblocks it', async () => {
    const blocked = await ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${t.id}`, headers: { cookie: platform }, payload: { saasBillingStatus: 'BLOCKED', saasBlockedReason: 'unpaid' } })
    expect(blocked.statusCode).toBe(200)
    expect(blocked.json().saas).toMatchObject({ status: 'BLOCKED', blockedReason: 'unpaid' })
    expect(blocked.json().saas.blockedAt).not.toBeNull()
    const list = await ctx.app.inject({ method: 'GET', url: '/api/tenants?status=BLOCKED', headers: { cookie: platform } })
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([t.id])
    expect(list.json().total).toBe(1)
    const active = await ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${t.id}`, headers: { cookie: platform }, payload: { saasBillingStatus: 'ACTIVE' } })
    expect(active.json().saas).toMatchObject({ status: 'ACTIVE', blockedAt: null, blockedReason: null })
    const audit = await ctx.tdb.db.selectFrom('audit_log').select(['action', 'tenant_id']).where('entity_id', '=', t.id).orderBy('id').execute()
    expect(audit).toEqual([{ action: 'tenant.updated', tenant_id: t.id }, { action: 'tenant.updated', tenant_id: t.id }])
  })

  it('stores M-Pesa credentials encrypted and never returns them', async () => {
    const res = await ctx.app.inject({ method: 'PUT', url: `/api/tenants/${t.id}/mpesa-credentials`, headers: { cookie: platform }, payload: creds })
    expect(res.statusCode).toBe(200)
    expect(res.json().mpesa).toMatchObject({ credentialsSet: true, shortcode: '174379', environment: 'sandbox' })
    expect(res.body).not.toContain('cs-secret')
    const row = await ctx.tdb.db.selectFrom('tenants').select('mpesa_credentials').where('id', '=', t.id).executeTakeFirstOrThrow()
    expect(row.mpesa_credentials).toMatch(/^v1\./)
    const opened = JSON.parse(createSecretBox(ctx.config.MNETIFI_SECRET_KEY).decrypt(row.mpesa_credentials!, secretContext('tenants', 'mpesa_credentials', t.id)))
    expect(opened).toEqual({ consumerKey: 'ck', consumerSecret: 'cs-secret', passkey: 'pk-secret' })
    const audit = await ctx.tdb.db.selectFrom('audit_log').select(['after']).where('action', '=', 'tenant.mpesa-credentials-set').executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.after)).not.toContain('cs-secret')
  })

  it('refuses tenant admins on platform routes with 403 and unknown tenants with 404', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tenants', headers: { cookie: t.owner } })).statusCode).toBe(403)
    expect((await ctx.app.inject({ method: 'GET', url: `/api/tenants/${t.id}`, headers: { cookie: platform } })).json()).toMatchObject({ id: t.id, saas: { status: 'ACTIVE' } })
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/tenants/${t.id}`, headers: { cookie: t.owner }, payload: { saasMonthlyFee: 0 } })).statusCode).toBe(403)
    const badCreds = await ctx.app.inject({ method: 'PUT', url: `/api/tenants/${t.id}/mpesa-credentials`, headers: { cookie: platform }, payload: { ...creds, shortcode: '12' } })
    expect(badCreds.json().details[0].path).toBe('body.shortcode')
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tenants/00000000-0000-4000-8000-000000000000', headers: { cookie: platform } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tenants', headers: {} })).statusCode).toBe(401)
  })
})

describe('own tenant', () => {
  it('lets the owner re-brand and set credentials but not staff (403), and SaaS fields are not theirs (400)', async () => {
    const ok = await ctx.app.inject({ method: 'PATCH', url: '/api/tenant', headers: { cookie: t.owner }, payload: { branding: { name: 'Fast WiFi' } } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().branding).toEqual({ name: 'Fast WiFi' })
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/tenant', headers: { cookie: t.staff }, payload: { name: 'x' } })).statusCode).toBe(403)
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/tenant/mpesa-credentials', headers: { cookie: t.staff }, payload: creds })).statusCode).toBe(403)
    const saas = await ctx.app.inject({ method: 'PATCH', url: '/api/tenant', headers: { cookie: t.owner }, payload: { saasBillingStatus: 'ACTIVE' } })
    expect(saas.statusCode).toBe(400)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tenant', headers: { cookie: t.staff } })).json().id).toBe(t.id)
  })

  it('keeps the portal\'s support contacts and accent colour in the branding, checking their form', async () => {
    const branding = { name: 'Fast WiFi', accentColor: '#3b82f6', supportPhone: '0700000000', supportEmail: 'help@fast.example' }
    const ok = await ctx.app.inject({ method: 'PATCH', url: '/api/tenant', headers: { cookie: t.owner }, payload: { branding } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().branding).toEqual(branding)
    const bad = await ctx.app.inject({ method: 'PATCH', url: '/api/tenant', headers: { cookie: t.owner }, payload: { branding: { supportEmail: 'not-an-email', accentColor: 'blue' } } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body.branding.accentColor', 'body.branding.supportEmail'])
  })

  it('lets a platform operator act inside a tenant with X-Tenant-Id, and asks for it otherwise', async () => {
    const inside = await ctx.app.inject({ method: 'GET', url: '/api/tenant', headers: { cookie: platform, 'x-tenant-id': t.id } })
    expect(inside.json().id).toBe(t.id)
    const missing = await ctx.app.inject({ method: 'GET', url: '/api/tenant', headers: { cookie: platform } })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().details).toEqual([{ path: 'headers.x-tenant-id', message: 'required for platform operators on tenant routes' }])
    const unknown = await ctx.app.inject({ method: 'GET', url: '/api/tenant', headers: { cookie: platform, 'x-tenant-id': '00000000-0000-4000-8000-000000000000' } })
    expect(unknown.statusCode).toBe(404)
  })
})
