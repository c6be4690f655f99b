/**
 * Sending SMS through Africa's Talking (its local emulator on a real port) with the real worker: the exact
 * request, per-recipient status and cost stored, retries with backoff and no duplicates, nothing lost while AT is
 * down, permanent failures with AT's reason, delivery reports, and the admin routes that show all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findNotificationSettings, type NotificationOutboxRow } from '@mnetifi/db'
import { notify } from '../../src/notifications/notify.js'
import { dispatchDueNotifications } from '../../src/notifications/dispatcher.js'
import { createDeliveryQueue, openNotificationsQueue } from '../../src/notifications/delivery-queue.js'
import { createJobsConnection } from '../../src/jobs/scheduler.js'
import { createSignedInTenant, type TestTenant } from '../helper.js'
import { startNotificationsHarness, waitFor, type NotificationsHarness } from './helper.js'

let h: NotificationsHarness
let isp: TestTenant
let account: Awaited<ReturnType<NotificationsHarness['configureSms']>>
let seq = 0

beforeAll(async () => {
  // Two attempts per job, and a quick re-enqueue: a row whose job gave up is handed over again (nothing lost).
  h = await startNotificationsHarness('notify_sms', { config: { NOTIFY_JOB_ATTEMPTS: 2, NOTIFY_REQUEUE_AFTER_MS: 300 } })
  isp = await createSignedInTenant(h.t, { name: 'Kilimani Net' })
  account = await h.configureSms(isp.id, { senderId: 'KILIMANI' })
})
afterAll(async () => { await h?.close() })

const phone = () => `2547${String(12_000_000 + ++seq).padStart(8, '0')}`
async function voucherMessage(to: string): Promise<NotificationOutboxRow> {
  const [row] = await notify(h.t.tdb.db, { tenantId: isp.id, type: 'voucher.redeemed', key: `voucher-${to}`, to: { phone: to }, vars: { code: 'AB12-CD34', plan: '1 Day', expires: '28 Nov 2026 10:15' } })
  return row!
}
const requestsTo = (to: string) => h.at.requests.filter((r) => r.form.to === `+${to}`)
const BODY = 'Kilimani Net: voucher AB12-CD34 activated 1 Day until 28 Nov 2026 10:15.'

describe('sending', () => {
  it('sends the exact Africa\'s Talking request and stores status, message id and cost', async () => {
    const to = phone()
    const row = await voucherMessage(to)
    const sent = await h.settled(row.id)
    expect(requestsTo(to)).toEqual([{
      method: 'POST', path: '/version1/messaging', body: new URLSearchParams({ username: account.username, to: `+${to}`, message: BODY, from: 'KILIMANI' }).toString(),
      form: { username: account.username, to: `+${to}`, message: BODY, from: 'KILIMANI' },
      headers: expect.objectContaining({ apikey: account.apiKey, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }),
    }])
    const accepted = h.at.accepted.find((a) => a.to === `+${to}`)!
    expect(sent).toMatchObject({
      status: 'SENT', attempts: 1, provider: 'africastalking', provider_message_id: accepted.messageId, provider_status_code: 101,
      provider_status: 'Success', cost_e4: 8000, cost_currency: 'KES', last_error: null,
    })
    expect(sent.sent_at).toBeInstanceOf(Date)
  })

  it('retries AT\'s 5xx with backoff and sends once', async () => {
    h.at.failNext({ kind: 'http', status: 503, body: 'Service Unavailable' }, 1)
    h.at.failNext({ kind: 'recipient', statusCode: 500, status: 'InternalServerError' }, 1)
    const to = phone()
    const row = await voucherMessage(to)
    const sent = await h.settled(row.id)
    expect(sent).toMatchObject({ status: 'SENT', attempts: 3, provider_status_code: 101 })
    expect(requestsTo(to)).toHaveLength(3)
    expect(new Set(requestsTo(to).map((r) => r.body)).size).toBe(1)
    expect(h.at.accepted.filter((a) => a.to === `+${to}`)).toHaveLength(1)
  })

  it('loses nothing while AT is unreachable: the row waits QUEUED, and a job that gave up is handed over again', async () => {
    // Five dropped connections: more than one job's two attempts, so the relay must re-enqueue it.
    h.at.failNext({ kind: 'drop' }, 5)
    const to = phone()
    const row = await voucherMessage(to)
    const waiting = await waitFor(async () => { const r = await h.row(row.id); return r.attempts >= 2 && r.status === 'QUEUED' ? r : undefined }, 10_000, 'two failed attempts')
    expect(waiting.last_error).toMatch(/fetch failed|socket|ECONNRESET|other side closed/i)
    const sent = await h.settled(row.id, ['SENT'], 20_000)
    expect(sent.attempts).toBe(6)
    expect(h.at.accepted.filter((a) => a.to === `+${to}`)).toHaveLength(1)
  })

  it('marks a permanent refusal FAILED with AT\'s reason and does not retry it', async () => {
    h.at.failNext({ kind: 'recipient', statusCode: 406, status: 'UserInBlacklist' })
    const to = phone()
    const row = await voucherMessage(to)
    const failed = await h.settled(row.id)
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, last_error: '406 UserInBlacklist', provider_status_code: 406, cost_e4: null })
    await new Promise((r) => setTimeout(r, 300))
    expect(requestsTo(to)).toHaveLength(1)
  })

  it('fails a tenant without an AT account with a reason instead of sending', async () => {
    const other = await createSignedInTenant(h.t, { name: 'No SMS ISP' })
    const to = phone()
    const [row] = await notify(h.t.tdb.db, { tenantId: other.id, type: 'voucher.redeemed', key: 'x', to: { phone: to }, vars: {} })
    expect(await h.settled(row!.id)).toMatchObject({ status: 'FAILED', last_error: 'no Africa\'s Talking account is configured for this ISP' })
    expect(requestsTo(to)).toEqual([])
    // The ISP sets up its account, and its owner sends the message again (staff may not; only FAILED ones).
    await h.configureSms(other.id, { senderId: null })
    const retry = (cookie: string) => h.t.app.inject({ method: 'POST', url: `/api/notifications/messages/${row!.id}/retry`, headers: { cookie } })
    expect((await retry(other.staff)).statusCode).toBe(403)
    const requeued = await retry(other.owner)
    expect(requeued.statusCode).toBe(200)
    expect(requeued.json()).toMatchObject({ id: row!.id, status: 'QUEUED' })
    expect(await h.settled(row!.id, ['SENT'])).toMatchObject({ status: 'SENT', attempts: 2, last_error: null })
    expect(requestsTo(to).map((r) => r.form.from)).toEqual([undefined])
    expect((await retry(other.owner)).json()).toEqual({ error: 'CONFLICT', message: 'Only FAILED messages are sent again (this one is SENT)' })
  })

  it('never sends twice when relays run at once and a duplicate job exists', async () => {
    await h.worker!.close()
    const to = phone()
    const row = await voucherMessage(to)
    const connection = createJobsConnection(h.config.REDIS_URL)
    const queue = openNotificationsQueue(connection, h.config.JOBS_PREFIX)
    const ctx = { ...h.worker!.ctx, queue: createDeliveryQueue(queue, h.config) }
    await Promise.all([dispatchDueNotifications(ctx), dispatchDueNotifications(ctx), dispatchDueNotifications(ctx)])
    await ctx.queue.enqueue([{ id: row.id, attempts: 99 }]) // a stray second job for the same row
    await queue.close()
    connection.disconnect()
    await h.startWorker()
    await h.settled(row.id)
    await new Promise((r) => setTimeout(r, 400))
    expect(requestsTo(to)).toHaveLength(1)
    expect((await h.row(row.id)).attempts).toBe(1)
  })
})

describe('delivery reports', () => {
  it('marks the message DELIVERED, or FAILED with the failure reason, and ignores late intermediate reports', async () => {
    const settings = (await findNotificationSettings(h.t.tdb.db, isp.id))!
    const url = `${await listenUrl()}/hooks/notifications/sms/${settings.sms_report_token}`
    const a = await h.settled((await voucherMessage(phone())).id)
    const b = await h.settled((await voucherMessage(phone())).id)
    expect(await h.at.sendDeliveryReport(url, { id: a.provider_message_id!, status: 'Success', phoneNumber: `+${a.recipient}` })).toBe(200)
    expect(await h.at.sendDeliveryReport(url, { id: a.provider_message_id!, status: 'Buffered', phoneNumber: `+${a.recipient}` })).toBe(200)
    expect(await h.at.sendDeliveryReport(url, { id: b.provider_message_id!, status: 'Failed', failureReason: 'UserIsInactive', phoneNumber: `+${b.recipient}` })).toBe(200)
    expect(await h.row(a.id)).toMatchObject({ status: 'DELIVERED', provider_status: 'Success' })
    expect((await h.row(a.id)).delivered_at).toBeInstanceOf(Date)
    expect(await h.row(b.id)).toMatchObject({ status: 'FAILED', provider_status: 'Failed', last_error: 'Failed: UserIsInactive' })
    // A report to another tenant's token, or an unknown token, changes nothing.
    const other = await createSignedInTenant(h.t, { name: 'Other' })
    const otherSettings = await h.configureSms(other.id)
    const res = await fetch(`${await listenUrl()}/hooks/notifications/sms/${otherSettings.settings.sms_report_token}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id: b.provider_message_id!, status: 'Success' }).toString(),
    })
    expect(await res.json()).toEqual({ ok: true, outcome: 'unknown-message' })
    expect((await h.row(b.id)).status).toBe('FAILED')
    expect((await fetch(`${await listenUrl()}/hooks/notifications/sms/${'0'.repeat(64)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=x&status=Success' })).status).toBe(404)
  })
})

describe('admin routes', () => {
  const get = (cookie: string | undefined, url: string) => h.t.app.inject({ method: 'GET', url, ...(cookie ? { headers: { cookie } } : {}) })

  it('lists and filters the tenant\'s messages with status and provider reason, for staff only, never another tenant\'s', async () => {
    expect((await get(undefined, '/api/notifications/messages')).statusCode).toBe(401)
    const failed = await get(isp.staff, '/api/notifications/messages?status=FAILED&channel=SMS')
    expect(failed.statusCode).toBe(200)
    const items = failed.json().items as { status: string; failureReason: string; channel: string }[]
    expect(items.length).toBeGreaterThanOrEqual(2)
    expect(items.every((m) => m.status === 'FAILED' && m.channel === 'SMS')).toBe(true)
    expect(items.map((m) => m.failureReason)).toContain('406 UserInBlacklist')
    const sentRow = (await h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', isp.id).where('status', '=', 'SENT').orderBy('created_at').executeTakeFirstOrThrow())
    const one = (await get(isp.staff, `/api/notifications/messages/${sentRow.id}`)).json()
    expect(one).toMatchObject({
      id: sentRow.id, channel: 'SMS', event: 'voucher.redeemed', recipient: sentRow.recipient, status: 'SENT', body: BODY, provider: 'africastalking',
      providerMessageId: sentRow.provider_message_id, providerStatusCode: 101, providerStatus: 'Success', cost: { amountE4: 8000, currency: 'KES' },
    })
    const byRecipient = (await get(isp.staff, `/api/notifications/messages?recipient=${sentRow.recipient}`)).json()
    expect(byRecipient.items.map((m: { id: string }) => m.id)).toEqual([sentRow.id])
    const other = await createSignedInTenant(h.t, { name: 'Nosy ISP' })
    expect((await get(other.owner, `/api/notifications/messages/${sentRow.id}`)).statusCode).toBe(404)
    expect((await get(other.owner, '/api/notifications/messages')).json().total).toBe(0)
  })

  it('sums SMS cost per tenant as AT reported it', async () => {
    const rows = await h.t.tdb.db.selectFrom('notification_outbox').select(['cost_e4']).where('tenant_id', '=', isp.id).where('cost_e4', 'is not', null).execute()
    const costs = (await get(isp.staff, '/api/notifications/costs')).json()
    expect(costs).toEqual({ items: [{ channel: 'SMS', currency: 'KES', messages: rows.length, amountE4: rows.length * 8000 }] })
  })

  it('keeps the API key write-only and encrypted, and shows the delivery-report URL', async () => {
    const put = await h.t.app.inject({ method: 'PUT', url: '/api/notifications/settings', headers: { cookie: isp.owner }, payload: { sms: { apiKey: 'atsk_new_key_123456', senderId: 'KILIMANI' }, quietHours: { start: '22:00', end: '07:00' } } })
    expect(put.statusCode).toBe(200)
    const settings = (await findNotificationSettings(h.t.tdb.db, isp.id))!
    expect(put.json()).toMatchObject({
      quietHours: { start: '22:00', end: '07:00' },
      sms: { username: account.username, senderId: 'KILIMANI', hasApiKey: true, deliveryReportUrl: `http://localhost:3000/hooks/notifications/sms/${settings.sms_report_token}` },
    })
    expect(put.body).not.toContain('atsk_new_key_123456')
    expect(settings.sms_api_key).toMatch(/^v1\./)
    expect(h.secretBox.decrypt(settings.sms_api_key!, `notification_settings.sms_api_key:${settings.id}`)).toBe('atsk_new_key_123456')
    expect((await h.t.app.inject({ method: 'PUT', url: '/api/notifications/settings', headers: { cookie: isp.staff }, payload: { channels: ['SMS'] } })).statusCode).toBe(403)
    const bad = await h.t.app.inject({ method: 'PUT', url: '/api/notifications/settings', headers: { cookie: isp.owner }, payload: { sms: { senderId: 'WAY-TOO-LONG-SENDER' } } })
    expect(bad.statusCode).toBe(400)
  })
})

let listening: string | undefined
/** The harness app on a real port (delivery reports come over HTTP like AT's). */
async function listenUrl(): Promise<string> {
  listening ??= await h.t.app.listen({ host: '127.0.0.1', port: 0 })
  return listening
}
