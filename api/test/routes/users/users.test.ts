import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestHotspot, insertTestPlan } from '@mnetifi/db/testing'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
let planA: string
let pppoePlanA: string
let planB: string
beforeAll(async () => {
  ctx = await buildTestApp('api_users')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  planA = (await insertTestPlan(ctx.tdb.db, a.id)).id
  pppoePlanA = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'PPPoE', account_types: ['PPPOE'] })).id
  planB = (await insertTestPlan(ctx.tdb.db, b.id)).id
  await insertTestHotspot(ctx.tdb.db, a.id, { nas_ip: '10.1.0.1' })
})
afterAll(async () => { await ctx.close() })

async function create(cookie: string, payload: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie }, payload })
}

describe('wifi users', () => {
  it('creates a hotspot user from a phone number (normalised, username defaults to it) and answers the password once', async () => {
    const res = await create(a.staff, { accountType: 'HOTSPOT', phoneNumber: '0712 345 678', fullName: 'Wanjiku', currentPlanId: planA, expiryTime: '2030-01-01T00:00:00.000Z' })
    expect(res.statusCode).toBe(201)
    const { user, password } = res.json()
    expect(user).toMatchObject({ phoneNumber: '254712345678', username: '254712345678', fullName: 'Wanjiku', status: 'ACTIVE', currentPlanId: planA, expiryTime: '2030-01-01T00:00:00.000Z' })
    expect(password).toMatch(/^[a-hj-km-np-z2-9]{8}$/)
    const shown = await ctx.app.inject({ method: 'GET', url: `/api/users/${user.id}`, headers: { cookie: a.staff } })
    expect(shown.body).not.toContain(password)
    const check = await ctx.tdb.db.selectFrom('radcheck').select('value').where('username', '=', '254712345678').where('attribute', '=', 'Cleartext-Password').executeTakeFirstOrThrow()
    expect(check.value).toBe(password)
  })

  it('creates a PPPoE user with a Framed-Pool and searches by phone in any form, name and username', async () => {
    const res = await create(a.owner, { accountType: 'PPPOE', username: 'pppoe-otieno', password: 'pw-1234', fullName: 'Otieno', currentPlanId: pppoePlanA, framedPool: 'pppoe-pool', expiryTime: '2030-01-01T00:00:00.000Z' })
    expect(res.statusCode).toBe(201)
    const reply = await ctx.tdb.db.selectFrom('radreply').select(['attribute', 'value']).where('username', '=', 'pppoe-otieno').orderBy('attribute').execute()
    expect(reply.filter((r) => r.attribute !== 'Class')).toEqual([{ attribute: 'Framed-Pool', value: 'pppoe-pool' }, { attribute: 'Framed-Protocol', value: 'PPP' }])
    const q = async (query: string) => (await ctx.app.inject({ method: 'GET', url: `/api/users?${query}`, headers: { cookie: a.staff } })).json()
    expect((await q('search=0712345678')).items.map((u: { fullName: string }) => u.fullName)).toEqual(['Wanjiku'])
    expect((await q('search=otien')).items.map((u: { username: string }) => u.username)).toEqual(['pppoe-otieno'])
    expect((await q('accountType=PPPOE')).total).toBe(1)
    expect((await q(`planId=${planA}`)).total).toBe(1)
    expect((await q('limit=1&offset=1')).items).toHaveLength(1)
    expect((await q('limit=1')).total).toBe(2)
  })

  it('edits contact details (audited without the password) and archives', async () => {
    const { user } = (await create(a.staff, { accountType: 'HOTSPOT', username: 'edit-me' })).json()
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: { cookie: a.staff }, payload: { fullName: 'New Name', password: 'new-secret', phoneNumber: '+254 110 000 001' } })
    expect(res.json()).toMatchObject({ fullName: 'New Name', phoneNumber: '254110000001' })
    const audit = await ctx.tdb.db.selectFrom('audit_log').select(['before', 'after', 'actor_id']).where('entity_id', '=', user.id).where('action', '=', 'user.updated').executeTakeFirstOrThrow()
    expect(audit.actor_id).toBe(a.staffId)
    expect(JSON.stringify(audit)).not.toContain('new-secret')
    const gone = await ctx.app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: { cookie: a.staff } })
    expect(gone.statusCode).toBe(200)
    expect((await ctx.app.inject({ method: 'GET', url: `/api/users/${user.id}`, headers: { cookie: a.staff } })).statusCode).toBe(404)
  })

  it('suspends without a CoA client configured and says the live session could not be reached', async () => {
    const user = (await create(a.staff, { accountType: 'HOTSPOT', username: 'online-no-coa' })).json().user
    await ctx.tdb.db.insertInto('radacct').values({ acctsessionid: 'nc1', acctuniqueid: 'nc1', username: 'online-no-coa', nasipaddress: '10.1.0.1', tenant_id: a.id, acctstarttime: new Date() }).execute()
    const res = await ctx.app.inject({ method: 'POST', url: `/api/users/${user.id}/suspend`, headers: { cookie: a.staff }, payload: {} })
    expect(res.json().enforcement).toEqual({ radius: 'rejects', liveSession: { path: 'unavailable', reason: 'no-coa-client' }, routerApi: { path: 'not-used', reason: 'not-configured' } })
  })

  it('refuses: bad phone and missing username (400 paths), a plan for another account type (400), a duplicate username (409), another tenant’s plan or user (404)', async () => {
    const phone = await create(a.staff, { accountType: 'HOTSPOT', phoneNumber: '12345' })
    expect(phone.statusCode).toBe(400)
    expect(phone.json().details).toEqual([{ path: 'body.phoneNumber', message: 'use 07XXXXXXXX, 01XXXXXXXX or 2547XXXXXXXX' }])
    expect((await create(a.staff, { accountType: 'HOTSPOT' })).json().details[0].path).toBe('body.username')
    const wrongType = await create(a.staff, { accountType: 'STATIC', username: 's1', currentPlanId: planA })
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json().details[0].path).toBe('body.currentPlanId')
    expect((await create(a.staff, { accountType: 'HOTSPOT', username: 'pppoe-otieno' })).statusCode).toBe(409)
    const foreignPlan = await create(a.staff, { accountType: 'HOTSPOT', username: 'x1', currentPlanId: planB })
    expect(foreignPlan.statusCode).toBe(404)
    const mine = (await ctx.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: a.staff } })).json().items[0]
    expect((await ctx.app.inject({ method: 'GET', url: `/api/users/${mine.id}`, headers: { cookie: b.owner } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/users/${mine.id}`, headers: { cookie: b.owner }, payload: { notes: 'x' } })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/users', headers: {} })).statusCode).toBe(401)
  })
})

describe('sorting and session history', () => {
  it('sorts by name both ways on the server, and refuses an unknown column with its path', async () => {
    for (const name of ['Zawadi', 'Achieng', 'Mwangi']) await create(a.owner, { accountType: 'HOTSPOT', username: `sort-${name}`, fullName: name })
    const names = async (order: string) => ((await ctx.app.inject({ method: 'GET', url: `/api/users?search=sort-&sort=fullName&order=${order}`, headers: { cookie: a.staff } })).json().items as { fullName: string }[]).map((u) => u.fullName)
    expect(await names('asc')).toEqual(['Achieng', 'Mwangi', 'Zawadi'])
    expect(await names('desc')).toEqual(['Zawadi', 'Mwangi', 'Achieng'])
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/users?sort=password', headers: { cookie: a.staff } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].path).toBe('querystring.sort')
  })

  it('lists a user’s sessions, open and closed, newest first, and not another tenant’s', async () => {
    const user = (await create(a.owner, { accountType: 'HOTSPOT', username: 'history-user' })).json().user
    await ctx.tdb.db.insertInto('radacct').values([
      { acctsessionid: 'h1', acctuniqueid: 'u-h1', username: 'history-user', nasipaddress: '10.1.0.1', tenant_id: a.id, acctstarttime: new Date('2026-05-01T08:00:00Z'), acctstoptime: new Date('2026-05-01T09:00:00Z'), acctsessiontime: 3600, acctinputoctets: 10, acctoutputoctets: 20, acctterminatecause: 'User-Request' },
      { acctsessionid: 'h2', acctuniqueid: 'u-h2', username: 'history-user', nasipaddress: '10.1.0.1', tenant_id: a.id, acctstarttime: new Date('2026-05-02T08:00:00Z') },
      { acctsessionid: 'hb', acctuniqueid: 'u-hb', username: 'history-user', nasipaddress: '10.9.0.1', tenant_id: b.id, acctstarttime: new Date('2026-05-03T08:00:00Z') },
    ]).execute()
    const res = await ctx.app.inject({ method: 'GET', url: `/api/users/${user.id}/sessions`, headers: { cookie: a.staff } })
    expect(res.statusCode).toBe(200)
    const page = res.json()
    expect(page.total).toBe(2)
    expect(page.items.map((s: { acctSessionId: string }) => s.acctSessionId)).toEqual(['h2', 'h1'])
    expect(page.items[1]).toMatchObject({ stoppedAt: '2026-05-01T09:00:00.000Z', sessionTimeSeconds: 3600, uploadBytes: 10, downloadBytes: 20, terminateCause: 'User-Request' })
    expect((await ctx.app.inject({ method: 'GET', url: `/api/users/${user.id}/sessions`, headers: { cookie: b.owner } })).statusCode).toBe(404)
  })
})
