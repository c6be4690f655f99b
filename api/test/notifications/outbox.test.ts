/**
 * notify() and the outbox: written in the event's own transaction (a rolled-back credit leaves no message),
 * idempotent per event key, in the customer's language and channels, with the ISP's templates (checked when
 * saved) and quiet hours. No worker here: these are the rows the worker will send.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createLogger, lockTransactionById, updateNotificationSettings, upsertNotificationTemplate, upsertWifiUserNotificationPrefs,
  type TenantRow, type TransactionRow,
} from '@mnetifi/db'
import { insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { creditTransaction } from '../../src/payments/settlement/credit.js'
import { settleStkTransaction } from '../../src/payments/settlement/settle.service.js'
import type { PaymentsContext } from '../../src/payments/context.js'
import { PaymentsConfigSchema } from '../../src/payments/config.js'
import { notify } from '../../src/notifications/notify.js'
import { createSignedInTenant, type TestTenant } from '../helper.js'
import { startNotificationsHarness, type NotificationsHarness } from './helper.js'

let h: NotificationsHarness
let tenant: TenantRow
const NOW = new Date('2026-11-27T07:15:00Z') // 10:15 in Nairobi
const PHONE = '254708374149'

beforeAll(async () => { h = await startNotificationsHarness('notify_outbox', { worker: false }) })
afterAll(async () => { await h?.close() })
beforeEach(async () => {
  tenant = await insertTestTenant(h.t.tdb.db, { name: 'Kilimani Net', timezone: 'Africa/Nairobi' })
})

const db = () => h.t.tdb.db
const outboxFor = (key: string) => db().selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenant.id).where('dedupe_key', '=', key).orderBy('channel').execute()

async function pendingPurchase(overrides: { email?: string } = {}): Promise<TransactionRow> {
  const plan = await insertTestPlan(db(), tenant.id, { name: '1 Hour 5 Mbps', price: 5000, duration_seconds: 3600 })
  const user = await insertTestUser(db(), tenant.id, { phone_number: PHONE, username: PHONE, email: overrides.email ?? null })
  return db().insertInto('transactions').values({
    tenant_id: tenant.id, kind: 'STK_PUSH', plan_id: plan.id, user_id: user.id, user_phone: PHONE, amount: 5000,
    mpesa_receipt: `UKQ${randomUUID().replace(/-/g, '').slice(0, 7).toUpperCase()}`, checkout_request_id: `ws_CO_${randomUUID()}`, provider_log: '[]',
  }).returningAll().executeTakeFirstOrThrow()
}

const credit = (tx: TransactionRow) => db().transaction().execute(async (trx) => {
  const locked = (await lockTransactionById(trx, tenant.id, tx.id))!
  return creditTransaction(trx, locked, { now: NOW, settledBy: 'CALLBACK' })
})

describe('the outbox is part of the event\'s transaction', () => {
  it('writes the payment confirmation with the credit, rendered in English in the tenant\'s zone', async () => {
    const tx = await pendingPurchase()
    await credit(tx)
    const rows = await outboxFor(`payment-confirmed:${tx.id}`)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      channel: 'SMS', recipient: PHONE, event: 'payment.confirmed', template: 'payment.confirmed', language: 'en', status: 'QUEUED',
      attempts: 0, subject: null, send_after: NOW, enqueued_at: null, provider: null,
      body: `Kilimani Net: payment of KES 50.00 received (M-Pesa ${tx.mpesa_receipt}). 1 Hour 5 Mbps is active until 27 Nov 2026 11:15.`,
    })
    expect(rows[0]!.payload).toMatchObject({ transactionId: tx.id, amount: 'KES 50.00', username: PHONE, expiresAt: '2026-11-27T08:15:00.000Z' })
  })

  it('leaves no message behind when the credit is rolled back', async () => {
    const tx = await pendingPurchase()
    await expect(db().transaction().execute(async (trx) => {
      const locked = (await lockTransactionById(trx, tenant.id, tx.id))!
      expect(await creditTransaction(trx, locked, { now: NOW, settledBy: 'CALLBACK' })).toBeDefined()
      // Inside the transaction the message exists…
      expect(await trx.selectFrom('notification_outbox').select('id').where('dedupe_key', '=', `payment-confirmed:${tx.id}`).execute()).toHaveLength(1)
      throw new Error('database went away before COMMIT')
    })).rejects.toThrow('database went away')
    // …and after the rollback neither the credit nor the message does.
    const after = await db().selectFrom('transactions').select('credited_at').where('id', '=', tx.id).executeTakeFirstOrThrow()
    expect(after.credited_at).toBeNull()
    expect(await outboxFor(`payment-confirmed:${tx.id}`)).toEqual([])
  })

  it('writes one confirmation however often the payment is settled', async () => {
    const tx = await pendingPurchase()
    expect(await credit(tx)).toBeDefined()
    expect(await credit(tx)).toBeUndefined()
    const again = await notify(db(), { tenantId: tenant.id, type: 'payment.confirmed', key: `payment-confirmed:${tx.id}`, to: { phone: PHONE }, vars: {} }, { now: NOW })
    expect(again).toEqual([])
    expect(await outboxFor(`payment-confirmed:${tx.id}`)).toHaveLength(1)
  })

  it('writes "payment failed" in the settlement that records the failure', async () => {
    const tx = await pendingPurchase()
    const ctx = {
      db: db(), secretBox: h.secretBox, log: createLogger({ level: 'silent' }), now: () => NOW,
      config: { ...PaymentsConfigSchema.parse({}), REDIS_URL: 'redis://127.0.0.1:6379', PUBLIC_BASE_URL: 'http://localhost' },
      jobs: { schedulePoll: async () => {}, scheduleCallbackSettlement: async () => {}, scheduleCoa: async () => {} },
      tokenCache: { get: async () => undefined, set: async () => {}, invalidate: async () => {} },
    } as unknown as PaymentsContext
    const callback = { merchantRequestId: 'm-1', checkoutRequestId: tx.checkout_request_id!, resultCode: '1032', resultDesc: 'Request cancelled by user' }
    await settleStkTransaction(ctx, { tenantId: tenant.id, transactionId: tx.id, evidence: { source: 'CALLBACK', callback } })
    await settleStkTransaction(ctx, { tenantId: tenant.id, transactionId: tx.id, evidence: { source: 'CALLBACK', callback } })
    const rows = await outboxFor(`payment-failed:${tx.id}`)
    expect(rows.map((r) => [r.channel, r.recipient, r.body])).toEqual([
      ['SMS', PHONE, 'Kilimani Net: your payment of KES 50.00 for 1 Hour 5 Mbps did not go through (cancelled on the phone). Please try again.'],
    ])
  })
})

describe('language, channels and templates', () => {
  it('uses the customer\'s remembered Swahili and the ISP\'s own template on both of its channels', async () => {
    await updateNotificationSettings(db(), tenant.id, { channels: ['SMS', 'WHATSAPP'], whatsapp_phone_number_id: `1065${Date.now()}` })
    await upsertNotificationTemplate(db(), tenant.id, {
      event: 'payment.confirmed', language: 'sw', subject: null, body: 'Asante! {{amount}} imepokelewa. {{plan}} hadi {{expires}}.', updatedBy: null,
    })
    const tx = await pendingPurchase()
    await upsertWifiUserNotificationPrefs(db(), tenant.id, tx.user_id!, { language: 'sw' })
    await credit(tx)
    const rows = await outboxFor(`payment-confirmed:${tx.id}`)
    expect(rows.map((r) => [r.channel, r.language, r.body])).toEqual([
      ['SMS', 'sw', 'Asante! KES 50.00 imepokelewa. 1 Hour 5 Mbps hadi 27 Nov 2026 11:15.'],
      ['WHATSAPP', 'sw', 'Asante! KES 50.00 imepokelewa. 1 Hour 5 Mbps hadi 27 Nov 2026 11:15.'],
    ])
  })

  it('lets a customer narrow the ISP\'s channels, and skips WhatsApp for an ISP without a WhatsApp number', async () => {
    await updateNotificationSettings(db(), tenant.id, { channels: ['SMS', 'WHATSAPP'] })
    const tx = await pendingPurchase()
    await credit(tx)
    expect((await outboxFor(`payment-confirmed:${tx.id}`)).map((r) => r.channel)).toEqual(['SMS'])
    await updateNotificationSettings(db(), tenant.id, { whatsapp_phone_number_id: `2065${Date.now()}` })
    const user = await insertTestUser(db(), tenant.id, { phone_number: '254711000111' })
    await upsertWifiUserNotificationPrefs(db(), tenant.id, user.id, { channels: ['WHATSAPP'] })
    const rows = await notify(db(), { tenantId: tenant.id, type: 'voucher.redeemed', key: 'voucher:1', userId: user.id, to: { phone: '254711000111' }, vars: { code: 'AB12-CD34', plan: 'Day', expires: 'tomorrow' } }, { now: NOW })
    expect(rows.map((r) => [r.channel, r.body])).toEqual([['WHATSAPP', 'Kilimani Net: voucher AB12-CD34 activated Day until tomorrow.']])
  })

  it('e-mails a receipt to a customer with an address', async () => {
    const tx = await pendingPurchase({ email: 'wanjiku@example.com' })
    await credit(tx)
    const [receipt] = await outboxFor(`payment-receipt:${tx.id}`)
    const number = `R-${tx.id.replace(/-/g, '').slice(0, 10).toUpperCase()}`
    expect(receipt).toMatchObject({
      channel: 'EMAIL', recipient: 'wanjiku@example.com', event: 'payment.receipt', subject: `Receipt ${number} - 1 Hour 5 Mbps`,
      body: `Thank you for your payment of KES 50.00 (M-Pesa ${tx.mpesa_receipt}). Your receipt is attached.\n\nKilimani Net`,
    })
    expect(receipt!.payload).toMatchObject({ transactionId: tx.id })
  })
})

describe('quiet hours', () => {
  it('holds a reminder until quiet hours end in the tenant\'s zone, but not a payment confirmation', async () => {
    await updateNotificationSettings(db(), tenant.id, { quiet_hours_start: 22 * 60, quiet_hours_end: 7 * 60 })
    const late = new Date('2026-11-27T20:30:00Z') // 23:30 in Nairobi
    const [reminder] = await notify(db(), { tenantId: tenant.id, type: 'plan.expiring', key: 'r-1', to: { phone: PHONE }, vars: { plan: 'Day', timeLeft: '1 hour', expires: 'x', portalUrl: 'u' } }, { now: late })
    expect(reminder!.send_after.toISOString()).toBe('2026-11-28T04:00:00.000Z') // 07:00 in Nairobi
    const [confirmation] = await notify(db(), { tenantId: tenant.id, type: 'payment.confirmed', key: 'c-1', to: { phone: PHONE }, vars: {} }, { now: late })
    expect(confirmation!.send_after.toISOString()).toBe(late.toISOString())
    const morning = new Date('2026-11-28T04:00:00Z')
    const [after] = await notify(db(), { tenantId: tenant.id, type: 'plan.expiring', key: 'r-2', to: { phone: PHONE }, vars: {} }, { now: morning })
    expect(after!.send_after.toISOString()).toBe(morning.toISOString())
  })
})

describe('templates API', () => {
  let admin: TestTenant
  beforeAll(async () => { admin = await createSignedInTenant(h.t, { name: 'Templates ISP' }) })
  const put = (cookie: string, url: string, payload: Record<string, unknown>) => h.t.app.inject({ method: 'PUT', url, payload, headers: { cookie } })

  it('refuses a template with an unknown variable, a broken placeholder or a missing required one', async () => {
    const bad = await put(admin.owner, '/api/notifications/templates/payment.confirmed/en', { body: 'Paid {{amount}} for {{plan} by {{customerName}}' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({
      error: 'VALIDATION_FAILED', message: 'The template is invalid', details: [
        { path: 'body.body', message: 'has an unbalanced "{{" or "}}"; write variables as {{name}}' },
        { path: 'body.body', message: 'unknown variable {{customerName}}; this event has {{amount}}, {{receipt}}, {{plan}}, {{expires}}, {{isp}}, {{username}}, {{password}}' },
      ],
    })
    const noCode = await put(admin.owner, '/api/notifications/templates/otp.code/sw', { body: 'Nambari yako itaisha baada ya dakika {{minutes}}.' })
    expect(noCode.statusCode).toBe(400)
    expect(noCode.json().details).toEqual([{ path: 'body.body', message: 'must contain {{code}}' }])
    const noSubject = await put(admin.owner, '/api/notifications/templates/payment.receipt/en', { body: 'Receipt {{receiptNumber}}' })
    expect(noSubject.json().details).toEqual([{ path: 'body.subject', message: 'e-mail templates need a subject' }])
  })

  it('saves a valid template for the owner only, lists it beside the built-in ones, and reverts', async () => {
    expect((await put(admin.staff, '/api/notifications/templates/plan.expired/sw', { body: 'Kimeisha {{plan}}' })).statusCode).toBe(403)
    expect((await h.t.app.inject({ method: 'PUT', url: '/api/notifications/templates/plan.expired/sw', payload: { body: 'x' } })).statusCode).toBe(401)
    const ok = await put(admin.owner, '/api/notifications/templates/plan.expired/sw', { body: '{{isp}}: {{plan}} kimeisha. {{portalUrl}}' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ event: 'plan.expired', language: 'sw', body: '{{isp}}: {{plan}} kimeisha. {{portalUrl}}', isDefault: false, variables: ['plan', 'isp', 'portalUrl'] })
    const list = (await h.t.app.inject({ method: 'GET', url: '/api/notifications/templates', headers: { cookie: admin.staff } })).json()
    expect(list.items).toHaveLength(20) // 10 events × en, sw
    expect(list.items.find((x: { event: string; language: string }) => x.event === 'plan.expired' && x.language === 'sw')).toMatchObject({ isDefault: false })
    expect(list.items.find((x: { event: string; language: string }) => x.event === 'plan.expired' && x.language === 'en')).toMatchObject({
      isDefault: true, body: '{{isp}}: your {{plan}} has ended. Buy again at {{portalUrl}}',
    })
    // Another tenant never sees it.
    const other = await createSignedInTenant(h.t, { name: 'Other ISP' })
    const theirs = (await h.t.app.inject({ method: 'GET', url: '/api/notifications/templates', headers: { cookie: other.owner } })).json()
    expect(theirs.items.find((x: { event: string; language: string }) => x.event === 'plan.expired' && x.language === 'sw')).toMatchObject({ isDefault: true })
    expect((await h.t.app.inject({ method: 'DELETE', url: '/api/notifications/templates/plan.expired/sw', headers: { cookie: admin.owner } })).json()).toEqual({ ok: true })
  })
})
