import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestTenant } from '@mnetifi/db/testing'
import { buildTestApp, insertTestAdmin, signIn, TEST_PASSWORD, type TestContext } from '../../helper.js'

const IDLE_SECONDS = 1800

let ctx: TestContext
beforeAll(async () => { ctx = await buildTestApp('api_auth', { config: { LOGIN_RATE_LIMIT_MAX: 3, SESSION_IDLE_TIMEOUT_SECONDS: IDLE_SECONDS } }) })
afterAll(async () => { await ctx.close() })

describe('POST /api/auth/login', () => {
  it('signs in with the right password and sets an HTTP-only, SameSite=Lax, signed session cookie', async () => {
    const tenant = await insertTestTenant(ctx.tdb.db)
    const admin = await insertTestAdmin(ctx, 'TENANT_OWNER', tenant.id)
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email.toUpperCase(), password: TEST_PASSWORD } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ admin: { id: admin.id, email: admin.email, fullName: 'Test TENANT_OWNER', role: 'TENANT_OWNER', tenantId: tenant.id } })
    const cookie = res.cookies.find((c) => c.name === 'mnetifi_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(cookie.secure).toBeUndefined() // http PUBLIC_BASE_URL in tests
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const rows = await ctx.tdb.db.selectFrom('admin_sessions').selectAll().where('admin_id', '=', admin.id).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/) // only the hash is stored
    expect(cookie.value).not.toContain(rows[0]!.id)
  })

  it('answers 401 INVALID_CREDENTIALS for a wrong password and for an unknown e-mail alike', async () => {
    const admin = await insertTestAdmin(ctx, 'PLATFORM_OPERATOR', null)
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: 'nope' } })
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ghost@example.com', password: 'nope' } })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: 'Wrong e-mail or password' })
    expect(unknown.json()).toEqual(wrong.json())
  })

  it('answers 400 with field paths for a malformed body', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'not-an-email' } })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error).toBe('VALIDATION_FAILED')
    expect(body.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.email', 'body.password'])
  })

  it('rate-limits repeated attempts for one address and e-mail with 429, in Redis', async () => {
    const email = 'target@example.com'
    const codes: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'guess' } })
      codes.push(res.statusCode)
      if (i === 3) {
        expect(res.json().error).toBe('RATE_LIMITED')
        expect(res.json().details.retryAfterSeconds).toBeGreaterThan(0)
      }
    }
    expect(codes).toEqual([401, 401, 401, 429])
    expect((await ctx.redis.keys(`${ctx.config.REDIS_KEY_PREFIX}rate-limit:*`)).length).toBeGreaterThan(0)
    // Another e-mail from the same address is counted separately.
    const other = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'other@example.com', password: 'guess' } })
    expect(other.statusCode).toBe(401)
  })

  it('caps attempts per address whatever the e-mail (spraying many accounts), counted apart from other addresses', async () => {
    const capped = await buildTestApp('api_auth_ip_cap', { config: { LOGIN_RATE_LIMIT_MAX: 3, LOGIN_IP_RATE_LIMIT_MAX: 5 } })
    try {
      const tenant = await insertTestTenant(capped.tdb.db)
      const admin = await insertTestAdmin(capped, 'TENANT_OWNER', tenant.id)
      const attempt = (email: string, remoteAddress: string, password = 'guess') =>
        capped.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress })
      const codes: number[] = []
      // Five different e-mails: none reaches the per-e-mail limit of 3, but the address reaches its cap of 5.
      for (let i = 0; i < 6; i++) codes.push((await attempt(`victim${i}@example.com`, '10.7.0.1')).statusCode)
      expect(codes).toEqual([401, 401, 401, 401, 401, 429])
      const refused = await attempt(admin.email, '10.7.0.1', TEST_PASSWORD)
      expect(refused.statusCode).toBe(429) // even the right password, until the window passes
      expect(refused.json()).toMatchObject({ error: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } })
      expect((await capped.redis.keys(`${capped.config.REDIS_KEY_PREFIX}rate-limit:*login-ip:10.7.0.1*`)).length).toBe(1)
      expect((await attempt(admin.email, '10.7.0.2', TEST_PASSWORD)).statusCode).toBe(200)
    } finally {
      await capped.close()
    }
  })

  it('refuses a deactivated admin', async () => {
    const tenant = await insertTestTenant(ctx.tdb.db)
    const admin = await insertTestAdmin(ctx, 'TENANT_STAFF', tenant.id)
    await ctx.tdb.db.updateTable('admin_users').set({ is_active: false }).where('id', '=', admin.id).execute()
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: TEST_PASSWORD } })
    expect(res.statusCode).toBe(401)
  })
})

describe('sessions', () => {
  it('GET /api/auth/me answers 401 without a cookie, with a forged cookie, and 200 with a real one', async () => {
    const tenant = await insertTestTenant(ctx.tdb.db)
    const admin = await insertTestAdmin(ctx, 'TENANT_STAFF', tenant.id)
    const cookie = await signIn(ctx, admin.email)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401)
    const forged = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'mnetifi_session=abc.def' } })
    expect(forged.statusCode).toBe(401)
    expect(forged.json()).toEqual({ error: 'UNAUTHENTICATED', message: 'Sign in first' })
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })
    expect(me.statusCode).toBe(200)
    expect(me.json().admin.id).toBe(admin.id)
  })

  it('slides: a request writes last_seen_at at most once a minute, and a session idle past the timeout is refused', async () => {
    const tenant = await insertTestTenant(ctx.tdb.db)
    const admin = await insertTestAdmin(ctx, 'TENANT_STAFF', tenant.id)
    const cookie = await signIn(ctx, admin.email)
    const session = () => ctx.tdb.db.selectFrom('admin_sessions').selectAll().where('admin_id', '=', admin.id).executeTakeFirstOrThrow()
    const setLastSeen = (secondsAgo: number) => ctx.tdb.db.updateTable('admin_sessions').set({ last_seen_at: new Date(Date.now() - secondsAgo * 1000) }).where('admin_id', '=', admin.id).execute()
    const me = () => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })

    // Seen 20 s ago: answered, but not written again (at most one write a minute).
    await setLastSeen(20)
    const recent = (await session()).last_seen_at
    expect((await me()).statusCode).toBe(200)
    expect((await session()).last_seen_at).toEqual(recent)

    // Seen 5 min ago: answered and pushed to now, so the idle clock restarts.
    await setLastSeen(300)
    const before = Date.now()
    expect((await me()).statusCode).toBe(200)
    expect((await session()).last_seen_at.getTime()).toBeGreaterThanOrEqual(before - 1000)

    // Nearly idle, then used: still alive afterwards because the request slid it.
    await setLastSeen(IDLE_SECONDS - 5)
    expect((await me()).statusCode).toBe(200)
    expect((await me()).statusCode).toBe(200)

    // Idle past the timeout: refused, although the absolute expiry is hours away.
    await setLastSeen(IDLE_SECONDS + 1)
    expect((await session()).expires_at.getTime()).toBeGreaterThan(Date.now())
    const idle = await me()
    expect(idle.statusCode).toBe(401)
    expect(idle.json()).toEqual({ error: 'UNAUTHENTICATED', message: 'Sign in first' })
  })

  it('ends at the absolute expiry however active the admin is', async () => {
    const admin = await insertTestAdmin(ctx, 'PLATFORM_OPERATOR', null)
    const cookie = await signIn(ctx, admin.email)
    await ctx.tdb.db.updateTable('admin_sessions').set({ expires_at: new Date(Date.now() - 1000), last_seen_at: new Date() }).where('admin_id', '=', admin.id).execute()
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401)
  })

  it('logout ends the session server-side, so the old cookie stops working', async () => {
    const admin = await insertTestAdmin(ctx, 'PLATFORM_OPERATOR', null)
    const cookie = await signIn(ctx, admin.email)
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })
    expect(out.statusCode).toBe(200)
    expect(out.json()).toEqual({ ok: true })
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401)
  })

  it('password change needs the current password, signs out other sessions, keeps this one, and is audited', async () => {
    const tenant = await insertTestTenant(ctx.tdb.db)
    const admin = await insertTestAdmin(ctx, 'TENANT_OWNER', tenant.id)
    const mine = await signIn(ctx, admin.email)
    const other = await signIn(ctx, admin.email)
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: mine }, payload: { currentPassword: 'wrong', newPassword: 'a much longer passphrase' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details).toEqual([{ path: 'body.currentPassword', message: 'does not match' }])
    const short = await ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: mine }, payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' } })
    expect(short.statusCode).toBe(400)
    expect(short.json().details).toEqual([{ path: 'body.newPassword', message: 'must be at least 10 characters' }])
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: mine }, payload: { currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' } })
    expect(ok.statusCode).toBe(200)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: mine } })).statusCode).toBe(200)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: other } })).statusCode).toBe(401)
    await signIn(ctx, admin.email, 'a much longer passphrase')
    const audit = await ctx.tdb.db.selectFrom('audit_log').selectAll().where('entity_id', '=', admin.id).execute()
    expect(audit.map((a) => [a.action, a.actor_id, a.tenant_id])).toEqual([['admin.password-changed', admin.id, tenant.id]])
  })
})

describe('errors and docs', () => {
  it('answers 404 JSON for an unknown route and 400 for malformed JSON, never with a stack', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/api/nope' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ error: 'NOT_FOUND', message: 'No route GET /api/nope' })
    const broken = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().error).toBe('VALIDATION_FAILED')
    expect(broken.body).not.toContain(' at ')
  })

  it('serves the OpenAPI document at /api/docs/json with the auth routes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/auth/login', '/api/auth/me', '/api/auth/password', '/api/tenants', '/api/hotspots/{id}/rotate-secret', '/api/plans/{id}',
      '/api/users/{id}/suspend', '/api/sessions/{id}/disconnect', '/api/vouchers/redeem', '/api/ip-pools/{id}/assignments',
      '/api/tickets/{id}/close', '/api/reports/performance', '/api/reports/expiring-soon', '/api/admins', '/api/audit-log',
    ]))
    expect(doc.paths['/api/plans/'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['name', 'price', 'durationSeconds', 'uploadLimit', 'downloadLimit', 'accountTypes']))
    const ui = await ctx.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(ui.statusCode).toBe(200)
    expect(ui.headers['content-type']).toContain('text/html')
  })
})
