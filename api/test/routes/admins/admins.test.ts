import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createSignedInTenant, signIn, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
beforeAll(async () => {
  ctx = await buildTestApp('api_admins')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
})
afterAll(async () => { await ctx.close() })

describe('tenant admins and audit log', () => {
  it('lets an owner add staff who can sign in, then deactivate them (their session ends at once)', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/admins', headers: { cookie: a.owner }, payload: { email: 'agent@a.example', fullName: 'Agent', role: 'TENANT_STAFF', password: 'a long staff password' } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ email: 'agent@a.example', role: 'TENANT_STAFF', isActive: true })
    const cookie = await signIn(ctx, 'agent@a.example', 'a long staff password')
    expect((await ctx.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(200)
    const off = await ctx.app.inject({ method: 'PATCH', url: `/api/admins/${res.json().id}`, headers: { cookie: a.owner }, payload: { isActive: false } })
    expect(off.json().isActive).toBe(false)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(401)
    const list = (await ctx.app.inject({ method: 'GET', url: '/api/admins', headers: { cookie: a.owner } })).json().items
    expect(list.map((x: { email: string }) => x.email)).toContain('agent@a.example')
    expect(list).toHaveLength(3)
  })

  it('refuses staff (403), a taken e-mail (409), self-demotion (409), another tenant’s admin (404)', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/admins', headers: { cookie: a.staff } })).statusCode).toBe(403)
    expect((await ctx.app.inject({ method: 'POST', url: '/api/admins', headers: { cookie: b.owner }, payload: { email: 'agent@a.example', role: 'TENANT_STAFF', password: 'another long password' } })).statusCode).toBe(409)
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/admins/${a.ownerId}`, headers: { cookie: a.owner }, payload: { role: 'TENANT_STAFF' } })).statusCode).toBe(409)
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/admins/${a.staffId}`, headers: { cookie: b.owner }, payload: { fullName: 'x' } })).statusCode).toBe(404)
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/admins', headers: { cookie: a.owner }, payload: { email: 'x@a.example', role: 'PLATFORM_OPERATOR', password: 'a long password!' } })
    expect(bad.json().details[0].path).toBe('body.role')
  })

  it('shows the audit log with who, what and before/after, newest first, without password hashes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/audit-log?entityType=admin_user', headers: { cookie: a.owner } })
    const items = res.json().items
    expect(items.map((i: { action: string }) => i.action)).toEqual(['admin.updated', 'admin.created'])
    expect(items[0]).toMatchObject({ actorId: a.ownerId, actorType: 'ADMIN', before: { is_active: true }, after: { is_active: false } })
    expect(items[0].requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.body).not.toContain('$argon2')
    expect((await ctx.app.inject({ method: 'GET', url: '/api/audit-log', headers: { cookie: b.owner } })).json().items).toEqual([])
  })
})
