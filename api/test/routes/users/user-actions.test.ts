import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { insertTestHotspot, insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import type { WifiUserRow } from '@mnetifi/db'
import { createRadiusSessionControl, type RadiusSessionControl } from '../../../src/lib/radius-session-control.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'
import { ATTR, integer, startFakeNas, text, type FakeNas } from '../../fake-nas.js'

const SECRET = 'nas-secret-123'
let ctx: TestContext
let coa: RadiusSessionControl
let nasA: FakeNas
let nasB: FakeNas
let a: TestTenant
let b: TestTenant
let hotspotA: string
let hotspotB: string
let plan: string
let fastPlan: string
beforeAll(async () => {
  coa = createRadiusSessionControl({ retryMs: 50, maxAttempts: 2 })
  ctx = await buildTestApp('api_user_actions', { coa })
  nasA = await startFakeNas(SECRET)
  nasB = await startFakeNas(SECRET)
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  // Both fake routers listen on 127.0.0.1; RADIUS tells them apart by nas_ip, CoA by port.
  hotspotA = (await insertTestHotspot(ctx.tdb.db, a.id, { nas_ip: '127.0.0.1', radius_secret: SECRET, coa_port: nasA.port })).id
  hotspotB = (await insertTestHotspot(ctx.tdb.db, a.id, { nas_ip: '127.0.0.2', radius_secret: SECRET, coa_port: nasB.port })).id
  plan = (await insertTestPlan(ctx.tdb.db, a.id, { duration_seconds: 3600 })).id
  fastPlan = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'Fast', duration_seconds: 86_400, upload_limit: 5_000_000, download_limit: 10_000_000 })).id
})
afterEach(() => { nasA.received.length = 0; nasB.received.length = 0; nasA.mode = 'ack' })
afterAll(async () => { await ctx.close(); await coa.close(); await nasA.close(); await nasB.close() })

async function onlineUser(expiry: Date | null = new Date(Date.now() + 600_000)): Promise<WifiUserRow> {
  const user = await insertTestUser(ctx.tdb.db, a.id, { current_plan_id: plan, expiry_time: expiry, home_hotspot_id: hotspotA })
  await ctx.tdb.db.insertInto('radacct').values({ acctsessionid: `sess-${user.username}`, acctuniqueid: `uniq-${user.username}`, username: user.username,
    nasipaddress: '127.0.0.1', framedipaddress: '10.5.0.9', acctstarttime: new Date(Date.now() - 60_000), tenant_id: a.id }).execute()
  return user
}

function post(cookie: string, url: string, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) })
}

describe('admin manual actions', () => {
  it('recharge extends expiry by the plan from the current end, audits before/after, and CoAs the live session', async () => {
    const expiry = new Date(Math.floor(Date.now() / 1000) * 1000 + 600_000)
    const user = await onlineUser(expiry)
    const res = await post(a.owner, `/api/users/${user.id}/recharge`, { planId: fastPlan })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.user).toMatchObject({ currentPlanId: fastPlan, expiryTime: new Date(expiry.getTime() + 86_400_000).toISOString() })
    expect(body.enforcement).toEqual({ radius: 'accepts', liveSession: { path: 'radius-coa', sessions: 1, outcomes: ['ack'] }, routerApi: { path: 'not-used', reason: 'not-needed' } })
    expect(nasA.received).toHaveLength(1)
    const packet = nasA.received[0]!
    expect(packet.code).toBe(43)
    expect(text(packet, ATTR.UserName)).toBe(user.username)
    expect(text(packet, ATTR.AcctSessionId)).toBe(`sess-${user.username}`)
    expect(integer(packet, ATTR.SessionTimeout)).toBeGreaterThan(86_400 + 590)
    const audit = await ctx.tdb.db.selectFrom('audit_log').selectAll().where('entity_id', '=', user.id).where('action', '=', 'user.recharged').executeTakeFirstOrThrow()
    expect(audit.actor_id).toBe(a.ownerId)
    expect([(audit.before as { current_plan_id: string }).current_plan_id, (audit.after as { current_plan_id: string }).current_plan_id]).toEqual([plan, fastPlan])
  })

  it('recharge is owner-only (staff 403) and reports path none when the user is offline', async () => {
    const user = await insertTestUser(ctx.tdb.db, a.id, { current_plan_id: plan })
    expect((await post(a.staff, `/api/users/${user.id}/recharge`, {})).statusCode).toBe(403)
    const res = await post(a.owner, `/api/users/${user.id}/recharge`, { durationSeconds: 120 })
    expect(res.json().enforcement.liveSession).toEqual({ path: 'none', reason: 'no-live-session' })
    const expiry = new Date(res.json().user.expiryTime).getTime()
    expect(Math.abs(expiry - (Date.now() + 120_000))).toBeLessThan(2000)
  })

  it('suspend makes RADIUS reject new logins and disconnects the live session; activate restores acceptance', async () => {
    const user = await onlineUser()
    const res = await post(a.staff, `/api/users/${user.id}/suspend`, { reason: 'abuse' })
    expect(res.json().enforcement).toEqual({ radius: 'rejects', liveSession: { path: 'radius-disconnect', sessions: 1, outcomes: ['ack'] }, routerApi: { path: 'not-used', reason: 'not-configured' } })
    expect(nasA.received.map((p) => p.code)).toEqual([40])
    const reject = await ctx.tdb.db.selectFrom('radcheck').select('value').where('username', '=', user.username).where('attribute', '=', 'Auth-Type').executeTakeFirst()
    expect(reject?.value).toBe('Reject')
    const back = await post(a.staff, `/api/users/${user.id}/activate`)
    expect(back.json().enforcement.radius).toBe('accepts')
    expect(await ctx.tdb.db.selectFrom('radcheck').select('value').where('username', '=', user.username).where('attribute', '=', 'Auth-Type').executeTakeFirst()).toBeUndefined()
  })

  it('reports a NAK or a timeout from the router as such', async () => {
    nasA.mode = 'nak'
    const user = await onlineUser()
    expect((await post(a.staff, `/api/users/${user.id}/suspend`, {})).json().enforcement.liveSession.outcomes).toEqual(['nak'])
    nasA.mode = 'silent'
    const other = await onlineUser()
    expect((await post(a.staff, `/api/users/${other.id}/suspend`, {})).json().enforcement.liveSession.outcomes).toEqual(['timeout'])
    expect(nasA.received).toHaveLength(3) // one NAKed request, one sent twice (maxAttempts 2)
  })

  it('move to hotspot B disconnects the session on A only', async () => {
    const user = await onlineUser()
    const res = await post(a.staff, `/api/users/${user.id}/move`, { hotspotId: hotspotB })
    expect(res.json().user.homeHotspotId).toBe(hotspotB)
    expect(res.json().enforcement.liveSession).toEqual({ path: 'radius-disconnect', sessions: 1, outcomes: ['ack'] })
    expect(nasA.received.map((p) => p.code)).toEqual([40])
    expect(nasB.received).toEqual([])
  })

  it('change-plan refuses a plan that does not serve the account type (400) and another tenant (404)', async () => {
    const user = await onlineUser()
    const pppoe = (await insertTestPlan(ctx.tdb.db, a.id, { name: 'PPP', account_types: ['PPPOE'] })).id
    const wrong = await post(a.owner, `/api/users/${user.id}/change-plan`, { planId: pppoe })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().details[0].path).toBe('body.planId')
    expect((await post(b.owner, `/api/users/${user.id}/change-plan`, { planId: fastPlan })).statusCode).toBe(404)
    expect((await post(b.owner, `/api/users/${user.id}/suspend`, {})).statusCode).toBe(404)
    const ok = await post(a.owner, `/api/users/${user.id}/change-plan`, { planId: fastPlan, expiryTime: '2031-01-01T00:00:00.000Z' })
    expect(ok.json().user).toMatchObject({ currentPlanId: fastPlan, expiryTime: '2031-01-01T00:00:00.000Z' })
    expect(nasA.received).toHaveLength(1)
  })
})

describe('refusals of the manual actions', () => {
  it('recharge of a user without a plan asks for one (400 body.planId) and changes nothing', async () => {
    const user = await insertTestUser(ctx.tdb.db, a.id, { username: `noplan-${Date.now()}` })
    const res = await post(a.owner, `/api/users/${user.id}/recharge`, {})
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: 'VALIDATION_FAILED', message: 'The user has no plan; choose one', details: [{ path: 'body.planId', message: 'required' }] })
    expect((await ctx.tdb.db.selectFrom('wifi_users').select('expiry_time').where('id', '=', user.id).executeTakeFirstOrThrow()).expiry_time).toBeNull()
  })

  it('answers 404 for every action on another tenant’s user, and for a move to another tenant’s hotspot', async () => {
    const user = await insertTestUser(ctx.tdb.db, a.id, { username: `mine-${Date.now()}`, current_plan_id: plan })
    for (const [action, body] of [['recharge', { planId: plan }], ['change-plan', { planId: plan }], ['move', { hotspotId: hotspotB }], ['suspend', {}], ['activate', undefined]] as const) {
      const res = await post(b.owner, `/api/users/${user.id}/${action}`, body)
      expect(res.statusCode, action).toBe(404)
      expect(res.json().error, action).toBe('NOT_FOUND')
    }
    const foreignHotspot = (await insertTestHotspot(ctx.tdb.db, b.id, { nas_ip: '127.0.0.9' })).id
    const move = await post(a.staff, `/api/users/${user.id}/move`, { hotspotId: foreignHotspot })
    expect(move.statusCode).toBe(404)
    expect(move.json().details[0].path).toBe('body.hotspotId')
    expect((await post(a.staff, `/api/users/${user.id}/move`, { hotspotId: 'nope' })).json().details[0].path).toBe('body.hotspotId')
  })
})

describe('live sessions', () => {
  it('lists open sessions with usage per hotspot and disconnects one by RFC 5176', async () => {
    const user = await onlineUser()
    await ctx.tdb.db.updateTable('radacct').set({ acctinputoctets: 1000, acctoutputoctets: 5000, acctsessiontime: 30 }).where('username', '=', user.username).execute()
    const list = await ctx.app.inject({ method: 'GET', url: `/api/sessions?hotspotId=${hotspotA}&username=${user.username}`, headers: { cookie: a.staff } })
    expect(list.statusCode).toBe(200)
    const [session] = list.json().items
    expect(session).toMatchObject({ username: user.username, userId: user.id, hotspotId: hotspotA, service: 'HOTSPOT', framedIp: '10.5.0.9', uploadBytes: 1000, downloadBytes: 5000 })
    expect(session.sessionTimeSeconds).toBeGreaterThanOrEqual(59)
    const res = await post(a.staff, `/api/sessions/${session.id}/disconnect`)
    expect(res.json().result).toEqual({ path: 'radius-disconnect', outcome: 'ack' })
    expect(text(nasA.received[0]!, ATTR.UserName)).toBe(user.username)
    expect((await post(b.owner, `/api/sessions/${session.id}/disconnect`)).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/sessions', headers: { cookie: b.owner } })).json().total).toBe(0)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/sessions?hotspotId=nope', headers: { cookie: a.staff } })).json().details[0].path).toBe('querystring.hotspotId')
    expect((await post(a.staff, '/api/sessions/abc/disconnect')).json().details[0].path).toBe('params.id')
    expect((await post(a.staff, `/api/sessions/${session.id}/disconnect`)).statusCode).toBe(200) // still open until the NAS sends Stop
    await ctx.tdb.db.updateTable('radacct').set({ acctstoptime: new Date() }).where('radacctid', '=', session.id).execute()
    expect((await post(a.staff, `/api/sessions/${session.id}/disconnect`)).statusCode).toBe(404)
  })
})
