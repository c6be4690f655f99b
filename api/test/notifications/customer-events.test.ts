/**
 * The customer hears of a redeemed voucher and of a support ticket closed or reopened, through the admin routes
 * that make those changes: one message per voucher and per ticket event, written in the change's transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { formatDateTime } from '../../src/notifications/format.js'
import { buildTestApp, createSignedInTenant, type TestContext, type TestTenant } from '../helper.js'

let t: TestContext
let isp: TestTenant
beforeAll(async () => {
  t = await buildTestApp('notify_customer_events')
  isp = await createSignedInTenant(t, { name: 'Kilimani Net' })
})
afterAll(async () => { await t?.close() })

const call = (method: 'POST' | 'GET', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: { cookie: isp.owner }, ...(payload ? { payload } : {}) })
const messages = (event: string) => t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', isp.id).where('event', '=', event).orderBy('created_at').execute()

describe('customer events', () => {
  it('tells the phone a voucher was redeemed for, once; a code-named account without a phone gets nothing', async () => {
    const plan = await insertTestPlan(t.tdb.db, isp.id, { name: 'Day pass', duration_seconds: 86_400, price: 5000 })
    const batch = (await call('POST', '/api/vouchers/batches', { planId: plan.id, count: 2 })).json() as { vouchers: { id: string; code: string }[] }
    const [v1, v2] = batch.vouchers
    const redeemed = await call('POST', '/api/vouchers/redeem', { code: v1!.code, phoneNumber: '0722000111' })
    expect(redeemed.statusCode).toBe(200)
    expect((await call('POST', '/api/vouchers/redeem', { code: v1!.code, phoneNumber: '0722000111' })).statusCode).toBe(409)
    const user = await t.tdb.db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', isp.id).where('phone_number', '=', '254722000111').executeTakeFirstOrThrow()
    expect((await messages('voucher.redeemed')).map((m) => [m.dedupe_key, m.recipient, m.body])).toEqual([
      [`voucher-redeemed:${v1!.id}`, '254722000111', `Kilimani Net: voucher ${v1!.code} activated Day pass until ${formatDateTime(user.expiry_time!, 'Africa/Nairobi')}.`],
    ])
    expect((await call('POST', '/api/vouchers/redeem', { code: v2!.code })).statusCode).toBe(200)
    expect(await messages('voucher.redeemed')).toHaveLength(1)
  })

  it('tells the ticket\'s customer when it is closed and when it is reopened', async () => {
    const user = await insertTestUser(t.tdb.db, isp.id, { phone_number: '254733000222' })
    const ticket = (await call('POST', '/api/tickets', { userId: user.id, subject: 'No internet since morning', issueDetails: 'Router blinks red' })).json() as { id: string }
    expect((await call('POST', `/api/tickets/${ticket.id}/close`, { resolutionNotes: 'Fibre cut repaired' })).statusCode).toBe(200)
    expect((await call('POST', `/api/tickets/${ticket.id}/reopen`)).statusCode).toBe(200)
    expect((await messages('ticket.updated')).map((m) => [m.recipient, m.body])).toEqual([
      ['254733000222', 'Kilimani Net: your support ticket "No internet since morning" is now closed.'],
      ['254733000222', 'Kilimani Net: your support ticket "No internet since morning" is now open again.'],
    ])
    // In Swahili for a customer who speaks it.
    await t.tdb.db.insertInto('wifi_user_notification_prefs').values({ tenant_id: isp.id, user_id: user.id, language: 'sw' }).execute()
    await call('POST', `/api/tickets/${ticket.id}/close`, { resolutionNotes: 'Done again' })
    expect((await messages('ticket.updated')).at(-1)!.body).toBe('Kilimani Net: tiketi yako ya msaada "No internet since morning" sasa imefungwa.')
  })
})
