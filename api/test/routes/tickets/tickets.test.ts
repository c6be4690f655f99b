import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestUser } from '@mnetifi/db/testing'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../../helper.js'

let ctx: TestContext
let a: TestTenant
let b: TestTenant
let userA: string
beforeAll(async () => {
  ctx = await buildTestApp('api_tickets')
  a = await createSignedInTenant(ctx, { name: 'A' })
  b = await createSignedInTenant(ctx, { name: 'B' })
  userA = (await insertTestUser(ctx.tdb.db, a.id, { username: 'caller' })).id
})
afterAll(async () => { await ctx.close() })

const req = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
  ctx.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) })

describe('tickets', () => {
  it('opens, assigns, notes, closes and reopens a ticket, keeping the full history', async () => {
    const opened = await req(a.staff, 'POST', '/api/tickets', { userId: userA, subject: 'No internet', issueDetails: 'Paid but not connected' })
    expect(opened.statusCode).toBe(201)
    const t = opened.json()
    expect(t).toMatchObject({ status: 'OPEN', userId: userA, createdBy: a.staffId, assigneeId: null, closedAt: null })
    await req(a.owner, 'PATCH', `/api/tickets/${t.id}`, { assigneeId: a.staffId })
    await req(a.staff, 'POST', `/api/tickets/${t.id}/notes`, { note: 'Called the customer' })
    const closed = await req(a.staff, 'POST', `/api/tickets/${t.id}/close`, { resolutionNotes: 'Router rebooted' })
    expect(closed.json()).toMatchObject({ status: 'CLOSED', resolutionNotes: 'Router rebooted' })
    expect(closed.json().closedAt).not.toBeNull()
    expect((await req(a.staff, 'POST', `/api/tickets/${t.id}/close`, { resolutionNotes: 'again' })).statusCode).toBe(409)
    const reopened = (await req(a.staff, 'POST', `/api/tickets/${t.id}/reopen`)).json()
    expect(reopened).toMatchObject({ status: 'OPEN', closedAt: null, assigneeId: a.staffId })
    expect(reopened.history.map((e: { event: string; actorId: string }) => [e.event, e.actorId])).toEqual([
      ['opened', a.staffId], ['assigned', a.ownerId], ['note', a.staffId], ['closed', a.staffId], ['reopened', a.staffId],
    ])
    expect(reopened.history[1].detail).toEqual({ from: null, to: a.staffId })
    const open = await req(a.staff, 'GET', `/api/tickets?status=OPEN&assigneeId=${a.staffId}`)
    expect(open.json().items.map((x: { id: string }) => x.id)).toEqual([t.id])
  })

  it('refuses a missing issue (400 path), another tenant’s user or assignee (404), another tenant’s ticket (404), and anonymous callers (401)', async () => {
    const bad = await req(a.staff, 'POST', '/api/tickets', { subject: 'x' })
    expect(bad.json().details).toEqual([{ path: 'body.issueDetails', message: expect.any(String) }])
    const foreignUser = (await insertTestUser(ctx.tdb.db, b.id, { username: 'other' })).id
    expect((await req(a.staff, 'POST', '/api/tickets', { userId: foreignUser, issueDetails: 'x' })).json().details[0].path).toBe('body.userId')
    expect((await req(a.staff, 'POST', '/api/tickets', { assigneeId: b.staffId, issueDetails: 'x' })).statusCode).toBe(404)
    const t = (await req(a.staff, 'POST', '/api/tickets', { issueDetails: 'slow' })).json()
    expect((await req(b.staff, 'GET', `/api/tickets/${t.id}`)).statusCode).toBe(404)
    expect((await req(b.staff, 'POST', `/api/tickets/${t.id}/close`, { resolutionNotes: 'x' })).statusCode).toBe(404)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tickets' })).statusCode).toBe(401)
  })
})
