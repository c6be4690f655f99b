import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretBox, secretContext } from '@mnetifi/db'
import { HOTSPOT_FILE_NAMES, renderHotspotFile } from '../../../src/routes/hotspots/hotspot-files.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
beforeAll(async () => {
  ctx = await buildTestApp('api_hotspots')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
})
afterAll(async () => { await ctx.close() })

async function create(cookie: string, payload: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/api/hotspots', headers: { cookie }, payload })
}

describe('hotspots', () => {
  it('creates a hotspot, answers a generated RADIUS secret once, and mirrors it into nas', async () => {
    const res = await create(a.owner, { locationName: 'Mall', nasIp: '10.99.0.2', routerApi: { ip: '10.99.0.2', user: 'api', password: 'router-pw' } })
    expect(res.statusCode).toBe(201)
    const { hotspot, radiusSecret } = res.json()
    expect(radiusSecret).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect(hotspot).toMatchObject({ locationName: 'Mall', nasIp: '10.99.0.2', coaPort: 3799, connectivityStatus: 'UNKNOWN', routerApi: { user: 'api', passwordSet: true } })
    expect(res.body).not.toContain('router-pw')
    const nas = await ctx.tdb.db.selectFrom('nas').select(['secret', 'tenant_id']).where('hotspot_id', '=', hotspot.id).executeTakeFirstOrThrow()
    expect(nas).toEqual({ secret: radiusSecret, tenant_id: a.id })
    const shown = await ctx.app.inject({ method: 'GET', url: `/api/hotspots/${hotspot.id}`, headers: { cookie: a.staff } })
    expect(shown.statusCode).toBe(200)
    expect(shown.body).not.toContain(radiusSecret)
    const row = await ctx.tdb.db.selectFrom('hotspots').select('router_api_pass').where('id', '=', hotspot.id).executeTakeFirstOrThrow()
    expect(createSecretBox(ctx.config.MNETIFI_SECRET_KEY).decrypt(row.router_api_pass!, secretContext('hotspots', 'router_api_pass', hotspot.id))).toBe('router-pw')
  })

  it('rotates the secret (new one shown once), updates fields, and archives', async () => {
    const { hotspot, radiusSecret } = (await create(a.owner, { locationName: 'Stage', nasIp: '10.99.0.3' })).json()
    const rotated = await ctx.app.inject({ method: 'POST', url: `/api/hotspots/${hotspot.id}/rotate-secret`, headers: { cookie: a.owner } })
    expect(rotated.statusCode).toBe(200)
    expect(rotated.json().radiusSecret).not.toBe(radiusSecret)
    const patched = await ctx.app.inject({ method: 'PATCH', url: `/api/hotspots/${hotspot.id}`, headers: { cookie: a.owner }, payload: { locationName: 'Bus Stage', coaPort: 1700 } })
    expect(patched.json()).toMatchObject({ locationName: 'Bus Stage', coaPort: 1700 })
    const archived = await ctx.app.inject({ method: 'DELETE', url: `/api/hotspots/${hotspot.id}`, headers: { cookie: a.owner } })
    expect(archived.statusCode).toBe(200)
    expect(typeof archived.json().archivedAt).toBe('string')
    expect(await ctx.tdb.db.selectFrom('nas').select('id').where('hotspot_id', '=', hotspot.id).execute()).toEqual([])
    const list = await ctx.app.inject({ method: 'GET', url: '/api/hotspots?search=stage', headers: { cookie: a.owner } })
    expect(list.json().total).toBe(0)
    const all = await ctx.app.inject({ method: 'GET', url: '/api/hotspots?search=stage&includeArchived=true', headers: { cookie: a.owner } })
    expect(all.json().items.map((h: { id: string }) => h.id)).toEqual([hotspot.id])
    const actions = await ctx.tdb.db.selectFrom('audit_log').select('action').where('entity_id', '=', hotspot.id).orderBy('id').execute()
    expect(actions.map((x) => x.action)).toEqual(['hotspot.created', 'hotspot.secret-rotated', 'hotspot.updated', 'hotspot.archived'])
  })

  it('refuses: a taken NAS IP (409), a bad IP (400 with path), staff writes (403), another tenant’s hotspot (404)', async () => {
    expect((await create(b.owner, { locationName: 'Dup', nasIp: '10.99.0.2' })).statusCode).toBe(409)
    const bad = await create(a.owner, { locationName: 'X', nasIp: '10.99.0.300' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].path).toBe('body.nasIp')
    expect((await create(a.staff, { locationName: 'X', nasIp: '10.99.0.9' })).statusCode).toBe(403)
    const first = (await ctx.app.inject({ method: 'GET', url: '/api/hotspots', headers: { cookie: a.owner } })).json().items[0]
    const badPatch = await ctx.app.inject({ method: 'PATCH', url: `/api/hotspots/${first.id}`, headers: { cookie: a.owner }, payload: { coaPort: 70000, acctInterimInterval: 30 } })
    expect(badPatch.json().details.map((d: { path: string }) => d.path).sort()).toEqual(['body.acctInterimInterval', 'body.coaPort'])
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/hotspots/${first.id}`, headers: { cookie: a.staff }, payload: { locationName: 'x' } })).statusCode).toBe(403)
    const mine = (await ctx.app.inject({ method: 'GET', url: '/api/hotspots', headers: { cookie: a.owner } })).json().items[0]
    for (const [method, url] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/rotate-secret']] as const) {
      const res = await ctx.app.inject({ method, url: `/api/hotspots/${mine.id}${url}`, headers: { cookie: b.owner }, ...(method === 'PATCH' ? { payload: { locationName: 'pwn' } } : {}) })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/hotspots', headers: { cookie: b.owner } })).json().total).toBe(0)
  })
})

describe('GET /api/hotspots/:id/hotspot-files/:file', () => {
  const download = (id: string, file: string, cookie?: string) =>
    ctx.app.inject({ method: 'GET', url: `/api/hotspots/${id}/hotspot-files/${file}`, headers: cookie ? { cookie } : {} })

  it('downloads the router pages for the tenant\'s portal, rendered for this hotspot, to staff', async () => {
    await ctx.tdb.db.updateTable('tenants').set({ branding_config: { name: 'Kahawa <WiFi>' } }).where('id', '=', a.id).execute()
    const { subdomain } = await ctx.tdb.db.selectFrom('tenants').select('subdomain').where('id', '=', a.id).executeTakeFirstOrThrow()
    const { hotspot } = (await create(a.owner, { locationName: 'Files', nasIp: '10.99.0.20' })).json()
    const input = { publicBaseUrl: ctx.config.PUBLIC_BASE_URL, subdomain, ispName: 'Kahawa <WiFi>', hotspotId: hotspot.id }
    for (const file of HOTSPOT_FILE_NAMES) {
      const res = await download(hotspot.id, file, a.staff)
      expect(res.statusCode, file).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${file}"`)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.body).toBe(renderHotspotFile(file, input))
    }
    const login = (await download(hotspot.id, 'login.html', a.owner)).body
    expect(login).toContain(`http://localhost:3000/portal/${subdomain}/?link-login-only=$(link-login-only-esc)&amp;`)
    expect(login).toContain(`&amp;hotspot=${hotspot.id}&amp;`)
    expect(login).toContain('<title>Kahawa &#60;WiFi&#62; Wi-Fi</title>')
    expect((await download(hotspot.id, 'rlogin.html', a.owner)).body).toBe(login)
  })

  it('requires a session (401), refuses another tenant\'s hotspot (404) and an unknown file name (400)', async () => {
    const { hotspot } = (await create(a.owner, { locationName: 'Files 2', nasIp: '10.99.0.21' })).json()
    const anonymous = await download(hotspot.id, 'login.html')
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json()).toEqual({ error: 'UNAUTHENTICATED', message: 'Sign in first' })
    const foreign = await download(hotspot.id, 'login.html', b.staff)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json()).toEqual({ error: 'NOT_FOUND', message: 'Hotspot not found' })
    const unknown = await download(hotspot.id, 'md5.js', a.staff)
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().details.map((d: { path: string }) => d.path)).toEqual(['params.file'])
  })
})
