/**
 * Expiry reminders at exact times on a controllable clock: 3 days, 1 day and 1 hour before the expiry (the
 * tenant's offsets), each written once, moved when the plan is extended, dropped when it is cancelled, and a
 * reminder held by quiet hours cancelled if the plan changed meanwhile; "expired" once when the plan ends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createLogger, updateNotificationSettings, type TenantRow, type WifiUserRow } from '@mnetifi/db'
import { insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import type { NotificationsContext } from '../../src/notifications/context.js'
import { deliverNotification } from '../../src/notifications/deliver.service.js'
import { writeDueReminders } from '../../src/notifications/reminders.service.js'
import { outboxOnlyTransport } from '../../src/notifications/transports/transport.js'
import { notificationsConfigOf } from '../../src/notifications/worker.js'
import { startNotificationsHarness, type NotificationsHarness } from './helper.js'

let h: NotificationsHarness
let ctx: NotificationsContext
let clock = new Date('2026-12-01T00:00:00Z')
let tenant: TenantRow
let user: WifiUserRow
const EXPIRY = new Date('2026-12-10T12:00:00Z') // 15:00 in Nairobi
const at = (ms: number) => { clock = new Date(ms) }
const HOUR = 3600_000
const DAY = 24 * HOUR

beforeAll(async () => {
  h = await startNotificationsHarness('notify_reminders', { worker: false })
  ctx = {
    db: h.t.tdb.db, secretBox: h.secretBox, log: createLogger({ level: 'silent' }), now: () => clock,
    config: notificationsConfigOf({ REDIS_URL: '', JOBS_PREFIX: '', PUBLIC_BASE_URL: 'https://wifi.example' }),
    transports: { SMS: outboxOnlyTransport, WHATSAPP: outboxOnlyTransport, EMAIL: outboxOnlyTransport },
    queue: { enqueue: async () => {} },
  }
})
afterAll(async () => { await h?.close() })
beforeEach(async () => {
  // The reminder sweep serves every tenant: each test starts from an empty database so its counts are its own.
  await h.t.tdb.truncate()
  tenant = await insertTestTenant(h.t.tdb.db, { name: 'Kilimani Net', timezone: 'Africa/Nairobi', subdomain: `kili${Date.now()}` })
  const plan = await insertTestPlan(h.t.tdb.db, tenant.id, { name: 'Monthly 10 Mbps', duration_seconds: 30 * 86_400 })
  user = await insertTestUser(h.t.tdb.db, tenant.id, { phone_number: '254708374149', current_plan_id: plan.id, expiry_time: EXPIRY })
})

const reminders = () => h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenant.id).orderBy('created_at').orderBy('dedupe_key').execute()
/** Moves the expiry as a credit or an admin does. */
const setExpiry = (expiry: Date | null, extra: { status?: 'SUSPENDED'; current_plan_id?: string } = {}) =>
  h.t.tdb.db.updateTable('wifi_users').set({ expiry_time: expiry, ...extra }).where('id', '=', user.id).execute()

describe('expiry reminders', () => {
  it('writes each reminder once, at 3 days, 1 day and 1 hour before the expiry', async () => {
    at(EXPIRY.getTime() - 3 * DAY - 60_000)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(EXPIRY.getTime() - 3 * DAY)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 1, expired: 0 })
    at(EXPIRY.getTime() - 3 * DAY + 60_000)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(EXPIRY.getTime() - DAY)
    await writeDueReminders(ctx)
    at(EXPIRY.getTime() - HOUR + 30_000)
    await writeDueReminders(ctx)
    await writeDueReminders(ctx)
    const rows = await reminders()
    expect(rows.map((r) => [r.dedupe_key, r.event, r.send_after.toISOString(), r.body])).toEqual([
      [`plan-expiring:${user.id}:${EXPIRY.getTime()}:259200`, 'plan.expiring', '2026-12-07T12:00:00.000Z',
        `Kilimani Net: your Monthly 10 Mbps ends in 3 days (10 Dec 2026 15:00). Renew at https://wifi.example/portal/${tenant.subdomain}/`],
      [`plan-expiring:${user.id}:${EXPIRY.getTime()}:86400`, 'plan.expiring', '2026-12-09T12:00:00.000Z',
        `Kilimani Net: your Monthly 10 Mbps ends in 1 day (10 Dec 2026 15:00). Renew at https://wifi.example/portal/${tenant.subdomain}/`],
      [`plan-expiring:${user.id}:${EXPIRY.getTime()}:3600`, 'plan.expiring', '2026-12-10T11:00:30.000Z',
        `Kilimani Net: your Monthly 10 Mbps ends in 1 hour (10 Dec 2026 15:00). Renew at https://wifi.example/portal/${tenant.subdomain}/`],
    ])
    at(EXPIRY.getTime())
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 1 })
    at(EXPIRY.getTime() + HOUR)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    expect((await reminders()).at(-1)).toMatchObject({ event: 'plan.expired', body: `Kilimani Net: your Monthly 10 Mbps has ended. Buy again at https://wifi.example/portal/${tenant.subdomain}/` })
  })

  it('follows the tenant\'s own offsets, in Swahili for a Swahili tenant', async () => {
    await updateNotificationSettings(h.t.tdb.db, tenant.id, { reminder_offsets_seconds: [7200], default_language: 'sw' })
    at(EXPIRY.getTime() - DAY)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(EXPIRY.getTime() - 2 * HOUR)
    await writeDueReminders(ctx)
    expect((await reminders()).map((r) => r.body)).toEqual([
      `Kilimani Net: kifurushi chako Monthly 10 Mbps kitaisha baada ya saa 2 (10 Dec 2026 15:00). Ongeza kupitia https://wifi.example/portal/${tenant.subdomain}/`,
    ])
  })

  it('moves the reminders when the plan is extended, and cancels one held by quiet hours', async () => {
    await updateNotificationSettings(h.t.tdb.db, tenant.id, { quiet_hours_start: 22 * 60, quiet_hours_end: 7 * 60 })
    // 1 day before, at 15:00 Nairobi: sent at once. Then the customer renews for 1 more day at 23:30 Nairobi.
    at(EXPIRY.getTime() - DAY)
    await writeDueReminders(ctx)
    at(new Date('2026-12-09T20:30:00Z').getTime())
    const renewed = new Date(EXPIRY.getTime() + DAY)
    await setExpiry(renewed)
    // The old 1-hour reminder time (11:00Z on the 10th) passes without a reminder for the old expiry.
    at(EXPIRY.getTime() - HOUR)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    // At the old expiry: no "expired" (the plan runs on), but the new 1-day reminder, which falls at that very time.
    at(EXPIRY.getTime())
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 1, expired: 0 })
    // Extended again so that the new 1-hour reminder falls in quiet hours (expiry 23:30 Nairobi).
    const late = new Date('2026-12-11T20:30:00Z')
    at(renewed.getTime() - DAY + 60_000)
    await setExpiry(late)
    at(late.getTime() - HOUR) // 22:30 Nairobi: quiet
    await writeDueReminders(ctx)
    const held = (await reminders()).find((r) => r.dedupe_key === `plan-expiring:${user.id}:${late.getTime()}:3600`)!
    expect(held.send_after.toISOString()).toBe('2026-12-12T04:00:00.000Z')
    // Extended again before the morning: the held reminder is cancelled when its time comes.
    await setExpiry(new Date(late.getTime() + 30 * DAY))
    at(held.send_after.getTime())
    expect(await deliverNotification(ctx, held.id)).toEqual({ kind: 'cancelled', why: 'the plan was extended' })
    expect(await h.row(held.id)).toMatchObject({ status: 'CANCELLED', last_error: 'the plan was extended' })
    const keys = (await reminders()).map((r) => r.dedupe_key)
    expect(keys).toEqual([
      `plan-expiring:${user.id}:${EXPIRY.getTime()}:86400`,
      `plan-expiring:${user.id}:${renewed.getTime()}:86400`,
      `plan-expiring:${user.id}:${late.getTime()}:3600`,
    ])
  })

  it('drops the reminders of a cancelled plan (suspended user or expiry removed)', async () => {
    at(EXPIRY.getTime() - DAY)
    const [written] = await (async () => { await writeDueReminders(ctx); return reminders() })()
    await setExpiry(EXPIRY, { status: 'SUSPENDED' })
    expect(await deliverNotification(ctx, written!.id)).toEqual({ kind: 'cancelled', why: 'the plan was cancelled' })
    at(EXPIRY.getTime() - HOUR)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(EXPIRY.getTime() + 60_000)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
  })

  it('does not announce "1 hour left" the moment a 1-hour plan is bought, nor "1 day left" for a day plan', async () => {
    const hourPlan = await insertTestPlan(h.t.tdb.db, tenant.id, { name: '1 Hour', duration_seconds: 3600 })
    const dayPlan = await insertTestPlan(h.t.tdb.db, tenant.id, { name: '1 Day', duration_seconds: 86_400 })
    at(new Date('2026-12-04T09:00:00Z').getTime())
    await setExpiry(new Date(clock.getTime() + DAY), { current_plan_id: dayPlan.id })
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(clock.getTime() + DAY - HOUR)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 1, expired: 0 })
    at(new Date('2026-12-05T09:00:00Z').getTime())
    await setExpiry(new Date(clock.getTime() + HOUR), { current_plan_id: hourPlan.id })
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 0 })
    at(clock.getTime() + HOUR)
    expect(await writeDueReminders(ctx)).toEqual({ expiring: 0, expired: 1 })
  })

  it('sends a due reminder through the worker\'s delivery path', async () => {
    at(EXPIRY.getTime() - 3 * DAY)
    await writeDueReminders(ctx)
    const [row] = await reminders()
    const result = await deliverNotification(ctx, row!.id)
    expect(result.kind).toBe('sent')
    expect(await h.row(row!.id)).toMatchObject({ status: 'SENT', provider: 'outbox', attempts: 1, sent_at: clock })
  })
})
