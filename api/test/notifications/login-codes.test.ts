/**
 * One-time codes for a returning customer's new device: 6 digits sent through the outbox, stored only as an
 * HMAC, valid 5 minutes exactly (controllable clock), limited wrong guesses, rate-limited per phone and per
 * address, the same answer for strangers (and no SMS), and the hotspot login (with the MAC remembered) for a
 * right code while a plan runs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TenantRow, WifiUserRow } from '@mnetifi/db'
import { insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { NOTIFICATIONS_DEFAULTS } from '../../src/notifications/config.js'
import { deliverNotification } from '../../src/notifications/deliver.service.js'
import { otpHmacKey, requestLoginCode, verifyLoginCode, type OtpContext } from '../../src/notifications/otp.service.js'
import { outboxOnlyTransport } from '../../src/notifications/transports/transport.js'
import { notificationsConfigOf } from '../../src/notifications/worker.js'
import { startNotificationsHarness, type NotificationsHarness } from './helper.js'
import { createLogger } from '@mnetifi/db'

let h: NotificationsHarness
let tenant: TenantRow
let customer: WifiUserRow
let phoneSeq = 0
const nextPhone = () => `2547${String(33_000_000 + ++phoneSeq).padStart(8, '0')}`

beforeAll(async () => { h = await startNotificationsHarness('notify_otp', { worker: false }) })
afterAll(async () => { await h?.close() })
beforeEach(async () => {
  tenant = await insertTestTenant(h.t.tdb.db, { name: 'Kilimani Net' })
  customer = await insertTestUser(h.t.tdb.db, tenant.id, { phone_number: nextPhone(), account_type: 'HOTSPOT', expiry_time: new Date(Date.now() + 3_600_000) })
})

const codeMessages = (phone: string) => h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenant.id)
  .where('event', '=', 'otp.code').where('recipient', '=', phone).orderBy('created_at').execute()
/** The code in the newest message to `phone` (what the customer reads on the SMS). */
const lastCode = async (phone: string) => ((await codeMessages(phone)).at(-1)!.payload as { code: string }).code
const post = (url: string, payload: Record<string, unknown>, ip = '10.1.2.3') =>
  h.t.app.inject({ method: 'POST', url: `/api/portal/${tenant.subdomain}${url}`, payload, remoteAddress: ip })

describe('over the portal API', () => {
  it('sends a 6-digit code by SMS, stores only its HMAC, and signs the device in with it once', async () => {
    const phone = customer.phone_number!
    const res = await post('/login-codes', { phone: `0${phone.slice(3)}` })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ message: 'If this number has an account, a code is on its way.', expiresInSeconds: 300 })
    const [message] = await codeMessages(phone)
    const code = (message!.payload as { code: string }).code
    expect(code).toMatch(/^\d{6}$/)
    expect(message).toMatchObject({ channel: 'SMS', user_id: customer.id, body: `${code} is your Kilimani Net login code. It expires in 5 minutes. Do not share it.` })
    const [stored] = await h.t.tdb.db.selectFrom('one_time_codes').selectAll().where('tenant_id', '=', tenant.id).where('phone', '=', phone).execute()
    expect(stored!.code_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(stored)).not.toContain(code)
    expect(stored).toMatchObject({ attempts: 0, max_attempts: 5, request_ip: '10.1.2.3', consumed_at: null })
    expect(stored!.expires_at.getTime() - stored!.created_at.getTime()).toBeGreaterThanOrEqual(299_000)

    const ok = await post('/login-codes/verify', { phone, code, mac: 'AA:BB:CC:00:11:22' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ login: { username: customer.username, password: customer.password }, expiresAt: customer.expiry_time!.toISOString(), message: 'Your plan is active.' })
    const devices = await h.t.tdb.db.selectFrom('wifi_user_devices').select(['user_id', 'mac_address']).where('tenant_id', '=', tenant.id).execute()
    expect(devices).toEqual([{ user_id: customer.id, mac_address: 'aa:bb:cc:00:11:22' }])
    const again = await post('/login-codes/verify', { phone, code })
    expect(again.statusCode).toBe(401)
    expect(again.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: 'That code has expired or was used up. Ask for a new one.' })
  })

  it('allows five wrong guesses, then not even the right code', async () => {
    const phone = customer.phone_number!
    await post('/login-codes', { phone })
    const code = await lastCode(phone)
    const wrong = code === '000000' ? '111111' : '000000'
    const left: unknown[] = []
    for (let i = 0; i < 5; i++) {
      const r = await post('/login-codes/verify', { phone, code: wrong })
      expect(r.statusCode).toBe(401)
      left.push(r.json().details.attemptsLeft)
    }
    expect(left).toEqual([4, 3, 2, 1, 0])
    expect((await post('/login-codes/verify', { phone, code })).json().message).toBe('That code has expired or was used up. Ask for a new one.')
  })

  it('answers a stranger\'s number the same way without sending anything, and refuses a non-Kenyan number', async () => {
    const stranger = nextPhone()
    const res = await post('/login-codes', { phone: stranger })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ message: 'If this number has an account, a code is on its way.', expiresInSeconds: 300 })
    expect(await codeMessages(stranger)).toEqual([])
    const bad = await post('/login-codes', { phone: '+1 202 555 0100' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toBe('INVALID_PHONE')
  })

  it('limits codes per phone (3 per 15 min) and per client address (10 per 15 min)', async () => {
    const phone = customer.phone_number!
    for (let i = 0; i < 3; i++) expect((await post('/login-codes', { phone }, '10.9.9.1')).statusCode).toBe(202)
    const limited = await post('/login-codes', { phone }, '10.9.9.2')
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({ error: 'RATE_LIMITED', message: 'Too many codes for this number. Wait a few minutes and try again.' })
    // Only the newest code works: asking again ends the earlier ones.
    expect((await codeMessages(phone))).toHaveLength(3)
    for (let i = 0; i < 10; i++) expect((await post('/login-codes', { phone: nextPhone() }, '10.8.8.8')).statusCode).toBe(202)
    const fromAddress = await post('/login-codes', { phone: nextPhone() }, '10.8.8.8')
    expect(fromAddress.statusCode).toBe(429)
    expect(fromAddress.json().message).toBe('Too many codes from this network. Wait a few minutes and try again.')
  })
})

describe('on a controllable clock', () => {
  let clock: Date
  let ctx: OtpContext
  beforeEach(() => {
    clock = new Date('2026-12-05T09:00:00Z')
    ctx = { db: h.t.tdb.db, config: NOTIFICATIONS_DEFAULTS, hmacKey: otpHmacKey('a-server-secret-of-some-length-0123456789'), now: () => clock }
  })

  it('is valid for exactly 5 minutes, and only the newest code counts', async () => {
    await h.t.tdb.db.updateTable('wifi_users').set({ expiry_time: new Date('2026-12-05T12:00:00Z') }).where('id', '=', customer.id).execute()
    const phone = customer.phone_number!
    await requestLoginCode(ctx, tenant, { phone, ip: null })
    const first = await lastCode(phone)
    clock = new Date(clock.getTime() + 60_000)
    await requestLoginCode(ctx, tenant, { phone, ip: null })
    const second = await lastCode(phone)
    if (first !== second) await expect(verifyLoginCode(ctx, tenant, { phone, code: first })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    clock = new Date(clock.getTime() + 300_000) // exactly 5 minutes after the second code
    await expect(verifyLoginCode(ctx, tenant, { phone, code: second })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'That code has expired or was used up. Ask for a new one.' })
    await requestLoginCode(ctx, tenant, { phone, ip: null })
    const third = await lastCode(phone)
    clock = new Date(clock.getTime() + 299_000)
    expect(await verifyLoginCode(ctx, tenant, { phone, code: third })).toEqual({ login: { username: customer.username, password: customer.password }, expiresAt: '2026-12-05T12:00:00.000Z' })
  })

  it('signs no device in without a running plan, and keeps no code in the outbox once it went out', async () => {
    await h.t.tdb.db.updateTable('wifi_users').set({ expiry_time: new Date('2026-12-05T08:00:00Z') }).where('id', '=', customer.id).execute()
    const phone = customer.phone_number!
    await requestLoginCode(ctx, tenant, { phone, ip: null, language: 'sw' })
    const [message] = await codeMessages(phone)
    const code = (message!.payload as { code: string }).code
    expect(message!.body).toBe(`${code} ni nambari yako ya kuingia Kilimani Net. Itaisha baada ya dakika 5. Usimpe mtu yeyote.`)
    // The portal's Swahili is remembered for the customer's later messages.
    expect((await h.t.tdb.db.selectFrom('wifi_user_notification_prefs').select('language').where('user_id', '=', customer.id).executeTakeFirstOrThrow()).language).toBe('sw')
    expect(await verifyLoginCode(ctx, tenant, { phone, code })).toEqual({ login: null, expiresAt: null })
    const nctx = {
      db: h.t.tdb.db, secretBox: h.secretBox, log: createLogger({ level: 'silent' }), now: () => clock,
      config: notificationsConfigOf({ REDIS_URL: '', JOBS_PREFIX: '', PUBLIC_BASE_URL: 'http://x' }),
      transports: { SMS: outboxOnlyTransport, WHATSAPP: outboxOnlyTransport, EMAIL: outboxOnlyTransport }, queue: { enqueue: async () => {} },
    }
    expect((await deliverNotification(nctx, message!.id)).kind).toBe('sent')
    const after = await h.row(message!.id)
    expect(after.body).toBe('****** ni nambari yako ya kuingia Kilimani Net. Itaisha baada ya dakika 5. Usimpe mtu yeyote.')
    expect(JSON.stringify(after.payload)).not.toContain(code)
  })
})
