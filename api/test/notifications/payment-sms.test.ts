/**
 * End to end: a portal purchase paid in the Daraja simulator is credited by the real payments worker, and the
 * "payment confirmed" SMS written in that credit's transaction leaves through the notifications worker to the
 * Africa's Talking emulator — once, with the receipt, plan and expiry — while a cancelled push sends "payment failed".
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createSecretBox, updateNotificationSettings } from '@mnetifi/db'
import { startPurchase } from '../../src/payments/purchase.service.js'
import type { PaymentsConfig } from '../../src/payments/config.js'
import { formatDateTime } from '../../src/notifications/format.js'
import { startAfricasTalkingEmulator, type AfricasTalkingEmulator } from '../../src/notifications/sms/africastalking-emulator.js'
import { sealSettingsSecret } from '../../src/notifications/transports/transport.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from '../payments/helper.js'

let at: AfricasTalkingEmulator
let h: Harness

beforeAll(async () => {
  at = await startAfricasTalkingEmulator()
  // The payments harness's worker starts the notifications worker with the same config: point it at the emulator.
  const notifications = { NOTIFY_SMS_TRANSPORT: 'africastalking', AFRICASTALKING_BASE_URL: at.url, NOTIFY_DISPATCH_INTERVAL_MS: 50, NOTIFY_REMINDER_INTERVAL_MS: 0 }
  h = await startHarness('notify_payment_sms', { config: notifications as unknown as Partial<PaymentsConfig> })
  const box = createSecretBox(h.secretKey)
  const settings = await updateNotificationSettings(h.db, h.tenant.id, { sms_username: 'testisp', sms_sender_id: 'TESTISP' })
  await updateNotificationSettings(h.db, h.tenant.id, { sms_api_key: sealSettingsSecret(box, settings.id, 'sms_api_key', 'atsk_e2e_key_0001') })
  at.addAccount('testisp', 'atsk_e2e_key_0001')
})
afterAll(async () => {
  await h?.close()
  await at?.close()
})

const sentTo = (phone: string) => at.requests.filter((r) => r.form.to === `+${phone}`)

it('sends the confirmation of a credited payment exactly once', async () => {
  const phone = nextPhone()
  h.sim.queueScenarioForPhone(phone, { outcome: 'success' })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  const facts = await waitFor(async () => { const f = await creditFacts(h, transaction.id); return f.outbox[0]?.status === 'SENT' ? f : undefined }, 20_000, 'the confirmation SMS')
  const expires = formatDateTime(facts.user!.expiry_time!, h.tenant.timezone)
  const message = `${h.tenant.name}: payment of KES 50.00 received (M-Pesa ${facts.tx.mpesa_receipt}). ${h.plan.name} is active until ${expires}.`
  expect(sentTo(phone).map((r) => r.form)).toEqual([{ username: 'testisp', to: `+${phone}`, message, from: 'TESTISP' }])
  expect(facts.outbox).toHaveLength(1)
  expect(facts.outbox[0]).toMatchObject({ channel: 'SMS', event: 'payment.confirmed', status: 'SENT', attempts: 1, cost_e4: 8000, cost_currency: 'KES' })
  await new Promise((r) => setTimeout(r, 500))
  expect(sentTo(phone)).toHaveLength(1)
})

it('tells the customer when the push was cancelled', async () => {
  const phone = nextPhone()
  h.sim.queueScenarioForPhone(phone, { outcome: 'cancelled' })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  const row = await waitFor(async () => {
    const r = await h.db.selectFrom('notification_outbox').selectAll().where('dedupe_key', '=', `payment-failed:${transaction.id}`).executeTakeFirst()
    return r?.status === 'SENT' ? r : undefined
  }, 20_000, 'the failure SMS')
  expect(row.body).toBe(`${h.tenant.name}: your payment of KES 50.00 for ${h.plan.name} did not go through (cancelled on the phone). Please try again.`)
  expect(sentTo(phone).map((r) => r.form.message)).toEqual([row.body])
})
