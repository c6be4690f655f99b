/**
 * WhatsApp through the Graph API emulator on a real port: the webhook's verification handshake, the
 * X-Hub-Signature-256 check on the raw bytes before anything is read, the bot answering status / balance / plan,
 * buy and help in the customer's language (remembered), Meta's redeliveries answered once, template
 * notifications with the exact Graph request, and status updates moving the message to DELIVERED or FAILED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findNotificationSettings, findWifiUserNotificationPrefs, type WifiUserRow } from '@mnetifi/db'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import { notify } from '../../src/notifications/notify.js'
import { formatDateTime } from '../../src/notifications/format.js'
import { inboundTextWebhook, startGraphEmulator, statusWebhook, type GraphEmulator } from '../../src/notifications/whatsapp/graph-emulator.js'
import { createSignedInTenant, type TestTenant } from '../helper.js'
import { startNotificationsHarness, waitFor, type NotificationsHarness } from './helper.js'

const NUMBER_ID = '106540352242922'
const TOKEN = 'EAAG-test-system-user-token'
const APP_SECRET = 'app-secret-0123456789abcdef'
const VERIFY = 'verify-me-please-42'
let graph: GraphEmulator
let h: NotificationsHarness
let isp: TestTenant
let base: string
let hook: string
let customer: WifiUserRow
let wamid = 0
const CUSTOMER = '254708374149'

beforeAll(async () => {
  graph = await startGraphEmulator()
  h = await startNotificationsHarness('notify_whatsapp', { config: { NOTIFY_WHATSAPP_TRANSPORT: 'cloud-api', WHATSAPP_GRAPH_URL: graph.url } })
  isp = await createSignedInTenant(h.t, { name: 'Kilimani Net' })
  await h.t.tdb.db.updateTable('tenants').set({ branding_config: { name: 'Kilimani Net', supportPhone: '0711 000 000', supportEmail: 'help@kilimani.example' } }).where('id', '=', isp.id).execute()
  const put = await h.t.app.inject({
    method: 'PUT', url: '/api/notifications/settings', headers: { cookie: isp.owner },
    payload: { channels: ['WHATSAPP'], whatsapp: { phoneNumberId: NUMBER_ID, accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY } },
  })
  expect(put.statusCode).toBe(200)
  graph.addNumber(NUMBER_ID, TOKEN)
  graph.approveTemplate('payment_confirmed', 'en', 4)
  base = await h.t.app.listen({ host: '127.0.0.1', port: 0 })
  const settings = (await findNotificationSettings(h.t.tdb.db, isp.id))!
  hook = `${base}/hooks/notifications/whatsapp/${settings.whatsapp_webhook_token}`
  expect(put.json().whatsapp).toEqual({ phoneNumberId: NUMBER_ID, hasAccessToken: true, hasAppSecret: true, verifyToken: VERIFY, webhookUrl: `http://localhost:3000/hooks/notifications/whatsapp/${settings.whatsapp_webhook_token}` })
  const plan = await insertTestPlan(h.t.tdb.db, isp.id, { name: '1 Day Unlimited', duration_seconds: 86_400 })
  customer = await insertTestUser(h.t.tdb.db, isp.id, { phone_number: CUSTOMER, current_plan_id: plan.id, expiry_time: new Date(Date.now() + 86_400_000) })
})
afterAll(async () => {
  await h?.close()
  await graph?.close()
})

const replies = () => h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', isp.id).where('event', '=', 'whatsapp.reply').orderBy('created_at').execute()
/** Sends `text` from `from` and waits for the bot's answer to leave through the Graph API. */
async function ask(text: string, from = CUSTOMER) {
  const id = `wamid.IN${++wamid}`
  const res = await graph.deliverWebhook(hook, APP_SECRET, inboundTextWebhook(NUMBER_ID, from, text, id))
  expect(res.status).toBe(200)
  const row = await waitFor(async () => (await replies()).find((r) => (r.payload as { replyTo: string }).replyTo === id), 5000, 'the reply row')
  const sent = await h.settled(row.id)
  const request = graph.requests.find((r) => (r.body as { context?: { message_id: string } }).context?.message_id === id)
  return { id, row: sent, request }
}

describe('webhook handshake and signature', () => {
  it('answers Meta\'s verification with the challenge only for the tenant\'s verify token', async () => {
    const ok = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await ok.text()).toBe('1158201444')
    expect((await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1`)).status).toBe(403)
    expect((await fetch(`${base}/hooks/notifications/whatsapp/${'f'.repeat(64)}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(404)
  })

  it('refuses a delivery whose signature is missing, wrong, or over other bytes, and reads nothing of it', async () => {
    const payload = inboundTextWebhook(NUMBER_ID, CUSTOMER, 'status', 'wamid.FORGED1')
    expect((await graph.deliverWebhook(hook, 'not-the-app-secret', payload)).status).toBe(401)
    expect((await graph.deliverWebhook(hook, APP_SECRET, payload, { signature: null })).status).toBe(401)
    // Signed over the compact JSON but sent pretty-printed: same data, other bytes.
    const compact = JSON.stringify(payload)
    const { metaSignature } = await import('../../src/notifications/whatsapp/signature.js')
    expect((await graph.deliverWebhook(hook, APP_SECRET, payload, { rawBody: JSON.stringify(payload, null, 2), signature: metaSignature(compact, APP_SECRET) })).status).toBe(401)
    // A body that is not even JSON is refused for its signature first, not for its syntax.
    expect((await graph.deliverWebhook(hook, 'x', null, { rawBody: '{not json' })).status).toBe(401)
    expect((await replies()).filter((r) => (r.payload as { replyTo: string }).replyTo === 'wamid.FORGED1')).toEqual([])
  })
})

describe('the bot', () => {
  it('answers "status" with the plan and its expiry, as text threaded to the message, with the exact Graph request', async () => {
    const expires = formatDateTime(customer.expiry_time!, 'Africa/Nairobi')
    const { id, row, request } = await ask('Status')
    const body = `Kilimani Net: your plan 1 Day Unlimited is active until ${expires}.`
    expect(row).toMatchObject({ channel: 'WHATSAPP', recipient: CUSTOMER, user_id: customer.id, language: 'en', status: 'SENT', body, provider: 'whatsapp' })
    expect(request).toMatchObject({ method: 'POST', path: `/v26.0/${NUMBER_ID}/messages`, headers: expect.objectContaining({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }) })
    expect(request!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'text', text: { preview_url: false, body }, context: { message_id: id } })
    expect(row.provider_message_id).toMatch(/^wamid\.EMU\d{6}$/)
  })

  it('answers in Swahili to Swahili and remembers it; buy gives the portal link, help the ISP\'s contact', async () => {
    const expires = formatDateTime(customer.expiry_time!, 'Africa/Nairobi')
    expect((await ask('salio')).row.body).toBe(`Kilimani Net: kifurushi chako 1 Day Unlimited kinatumika hadi ${expires}.`)
    expect((await findWifiUserNotificationPrefs(h.t.tdb.db, isp.id, customer.id))?.language).toBe('sw')
    const subdomain = (await h.t.tdb.db.selectFrom('tenants').select('subdomain').where('id', '=', isp.id).executeTakeFirstOrThrow()).subdomain
    // Words the bot does not know get the help text, in the remembered language.
    expect((await ask('habari yako')).row.body).toBe('Kilimani Net: jibu HALI kuona kifurushi chako, NUNUA kununua. Msaada: 0711 000 000 / help@kilimani.example')
    expect((await ask('NUNUA')).row.body).toBe(`Kilimani Net: nunua kifurushi kupitia http://localhost:3000/portal/${subdomain}/`)
    expect((await ask('help')).row.body).toBe('Kilimani Net: reply STATUS for your plan, BUY to buy one. Help: 0711 000 000 / help@kilimani.example')
    expect((await findWifiUserNotificationPrefs(h.t.tdb.db, isp.id, customer.id))?.language).toBe('en')
    expect((await ask('buy')).row.body).toBe(`Kilimani Net: buy a plan at http://localhost:3000/portal/${subdomain}/`)
  })

  it('tells a number without an account how to buy, and ignores messages to another business number', async () => {
    expect((await ask('plan', '254799000111')).row).toMatchObject({ user_id: null, body: expect.stringMatching(/^Kilimani Net: we have no account for this number\. Buy a plan at /) })
    const res = await graph.deliverWebhook(hook, APP_SECRET, inboundTextWebhook('999999999999', CUSTOMER, 'status', 'wamid.OTHER'))
    expect(JSON.parse(res.body)).toEqual({ ok: true, answered: 0, statuses: 0, ignored: 1 })
  })

  it('answers a message Meta delivers twice only once', async () => {
    const payload = inboundTextWebhook(NUMBER_ID, CUSTOMER, 'plan', 'wamid.TWICE')
    const first = JSON.parse((await graph.deliverWebhook(hook, APP_SECRET, payload)).body)
    const second = JSON.parse((await graph.deliverWebhook(hook, APP_SECRET, payload)).body)
    expect([first.answered, second.answered]).toEqual([1, 0])
    const row = (await replies()).find((r) => (r.payload as { replyTo: string }).replyTo === 'wamid.TWICE')!
    await h.settled(row.id)
    await new Promise((r) => setTimeout(r, 300))
    expect(graph.requests.filter((r) => (r.body as { context?: { message_id: string } }).context?.message_id === 'wamid.TWICE')).toHaveLength(1)
  })
})

describe('template notifications', () => {
  it('sends the approved template with the event\'s parameters, then follows Meta\'s status updates', async () => {
    const [row] = await notify(h.t.tdb.db, {
      tenantId: isp.id, type: 'payment.confirmed', key: 'wa-pay-1', userId: customer.id, to: { phone: CUSTOMER }, language: 'en',
      vars: { amount: 'KES 50.00', receipt: 'UKQ7RT61SV', plan: '1 Day Unlimited', expires: '28 Nov 2026 10:15', username: 'u', password: 'p' },
    })
    expect(row!.channel).toBe('WHATSAPP')
    const sent = await h.settled(row!.id)
    const request = graph.requests.find((r) => (r.body as { type: string; to: string }).type === 'template')!
    expect(request.body).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'template',
      template: { name: 'payment_confirmed', language: { code: 'en' }, components: [{ type: 'body', parameters: [
        { type: 'text', text: 'KES 50.00' }, { type: 'text', text: 'UKQ7RT61SV' }, { type: 'text', text: '1 Day Unlimited' }, { type: 'text', text: '28 Nov 2026 10:15' },
      ] }] },
    })
    expect((await graph.deliverWebhook(hook, APP_SECRET, statusWebhook(NUMBER_ID, sent.provider_message_id!, 'delivered'))).status).toBe(200)
    expect(await h.row(row!.id)).toMatchObject({ status: 'DELIVERED', provider_status: 'delivered' })
    await graph.deliverWebhook(hook, APP_SECRET, statusWebhook(NUMBER_ID, sent.provider_message_id!, 'sent'))
    expect((await h.row(row!.id)).status).toBe('DELIVERED')
  })

  it('fails a template Meta has not approved in that language with Meta\'s reason, and an undeliverable one from its status', async () => {
    const [sw] = await notify(h.t.tdb.db, { tenantId: isp.id, type: 'payment.confirmed', key: 'wa-pay-sw', to: { phone: CUSTOMER }, language: 'sw', vars: {} })
    expect(await h.settled(sw!.id)).toMatchObject({ status: 'FAILED', attempts: 1, provider_status_code: 132001, last_error: '132001: Template name does not exist in the translation' })
    const [en] = await notify(h.t.tdb.db, { tenantId: isp.id, type: 'payment.confirmed', key: 'wa-pay-2', to: { phone: CUSTOMER }, language: 'en', vars: {} })
    const sent = await h.settled(en!.id)
    await graph.deliverWebhook(hook, APP_SECRET, statusWebhook(NUMBER_ID, sent.provider_message_id!, 'failed', [{ code: 131026, title: 'Message undeliverable' }]))
    expect(await h.row(en!.id)).toMatchObject({ status: 'FAILED', provider_status_code: 131026, last_error: '131026 Message undeliverable' })
  })

  it('retries Graph\'s throughput limit and sends once', async () => {
    graph.failNext({ status: 400, code: 130429, message: 'Rate limit hit' }, 2)
    const [row] = await notify(h.t.tdb.db, { tenantId: isp.id, type: 'payment.confirmed', key: 'wa-pay-3', to: { phone: CUSTOMER }, language: 'en', vars: {} })
    expect(await h.settled(row!.id)).toMatchObject({ status: 'SENT', attempts: 3 })
  })
})
