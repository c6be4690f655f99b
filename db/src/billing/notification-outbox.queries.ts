/**
 * The notification outbox: rows written in the same database transaction as the event they announce, sent
 * later by the notifications worker. `dedupe_key` (the event's idempotency key, unique per tenant and channel)
 * makes enqueueing idempotent.
 */
import { sql } from 'kysely'
import type { NotificationChannel } from '../domain/enums.js'
import type { Executor } from '../executor.js'
import type { NewNotification, NotificationOutboxRow, NotificationStatus, NotificationUpdate } from './notification-outbox.table.js'

/**
 * Enqueues a notification unless one with the same `dedupe_key` and channel exists for the tenant.
 * Returns the new row, or undefined when it was a duplicate.
 */
export async function enqueueNotification(db: Executor, notification: NewNotification): Promise<NotificationOutboxRow | undefined> {
  return db.insertInto('notification_outbox').values(notification)
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key', 'channel']).doNothing())
    .returningAll().executeTakeFirst()
}

/** A tenant's notifications for one event key (one per channel), oldest first. */
export async function findNotificationsByDedupeKey(db: Executor, tenantId: string, dedupeKey: string): Promise<NotificationOutboxRow[]> {
  return db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).where('dedupe_key', '=', dedupeKey)
    .orderBy('created_at').orderBy('id').execute()
}

/** One of a tenant's notifications. */
export async function findNotificationById(db: Executor, tenantId: string, id: string): Promise<NotificationOutboxRow | undefined> {
  return db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
}

/** Filters of {@link listNotifications}; every field narrows. */
export interface NotificationFilter {
  readonly status?: NotificationStatus
  readonly channel?: NotificationChannel
  readonly event?: string
  readonly recipient?: string
  readonly userId?: string
  /** created_at ≥ from, < to. */
  readonly from?: Date
  readonly to?: Date
}

/** A page of a tenant's notifications, newest first, with the total matching the filter. */
export async function listNotifications(
  db: Executor, tenantId: string, filter: NotificationFilter, page: { limit: number; offset: number },
): Promise<{ rows: NotificationOutboxRow[]; total: number }> {
  let q = db.selectFrom('notification_outbox').where('tenant_id', '=', tenantId)
  if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.channel) q = q.where('channel', '=', filter.channel)
  if (filter.event) q = q.where('event', '=', filter.event)
  if (filter.recipient) q = q.where('recipient', '=', filter.recipient)
  if (filter.userId) q = q.where('user_id', '=', filter.userId)
  if (filter.from) q = q.where('created_at', '>=', filter.from)
  if (filter.to) q = q.where('created_at', '<', filter.to)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/** Provider cost of a tenant's messages per channel and currency (created_at in [from, to)). */
export async function sumNotificationCosts(
  db: Executor, tenantId: string, range: { from?: Date; to?: Date },
): Promise<{ channel: NotificationChannel; currency: string; messages: number; costE4: number }[]> {
  let q = db.selectFrom('notification_outbox').where('tenant_id', '=', tenantId).where('cost_e4', 'is not', null)
  if (range.from) q = q.where('created_at', '>=', range.from)
  if (range.to) q = q.where('created_at', '<', range.to)
  const rows = await q.select((eb) => ['channel', 'cost_currency', eb.fn.countAll<string>().as('n'), sql<string>`sum(cost_e4)`.as('cost')])
    .groupBy(['channel', 'cost_currency']).orderBy('channel').orderBy('cost_currency').execute()
  return rows.map((r) => ({ channel: r.channel, currency: r.cost_currency ?? '', messages: Number(r.n), costE4: Number(r.cost) }))
}

/**
 * QUEUED rows due by `now` whose delivery job was never handed to BullMQ, or was handed over before
 * `staleBefore` without any attempt since (the job was lost, e.g. Redis restarted without persistence).
 */
export async function listDueNotificationsAcrossTenants(
  db: Executor, now: Date, staleBefore: Date, limit: number,
): Promise<Pick<NotificationOutboxRow, 'id' | 'tenant_id' | 'attempts'>[]> {
  return db.selectFrom('notification_outbox').select(['id', 'tenant_id', 'attempts'])
    .where('status', '=', 'QUEUED').where('send_after', '<=', now)
    .where((eb) => eb.or([eb('enqueued_at', 'is', null), eb('enqueued_at', '<', staleBefore)]))
    .orderBy('send_after').limit(limit).execute()
}

/** Records that delivery jobs were enqueued for `ids`. */
export async function markNotificationsEnqueuedAcrossTenants(db: Executor, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('notification_outbox').set({ enqueued_at: at }).where('id', 'in', ids).where('status', '=', 'QUEUED').execute()
}

/** Locks a QUEUED row for sending; undefined when it is not QUEUED or another worker holds it. */
export async function lockQueuedNotificationAcrossTenants(db: Executor, id: string): Promise<NotificationOutboxRow | undefined> {
  return db.selectFrom('notification_outbox').selectAll().where('id', '=', id).where('status', '=', 'QUEUED')
    .forUpdate().skipLocked().executeTakeFirst()
}

/** Updates one of a tenant's notifications. */
export async function updateNotification(db: Executor, tenantId: string, id: string, update: NotificationUpdate): Promise<NotificationOutboxRow | undefined> {
  return db.updateTable('notification_outbox').set({ ...update, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirst()
}

/** The message a provider knows by `providerMessageId` (delivery reports), within the tenant. */
export async function findNotificationByProviderMessageId(
  db: Executor, tenantId: string, provider: string, providerMessageId: string,
): Promise<NotificationOutboxRow | undefined> {
  return db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).where('provider', '=', provider)
    .where('provider_message_id', '=', providerMessageId).executeTakeFirst()
}

/**
 * Cancels a user's QUEUED messages of `event` whose payload `expiresAt` differs from `expiresAt` (null: all of
 * them): reminders for an expiry that no longer holds. Returns how many were cancelled.
 */
export async function cancelStaleReminders(db: Executor, tenantId: string, userId: string, event: string, expiresAt: string | null, reason: string): Promise<number> {
  let q = db.updateTable('notification_outbox').set({ status: 'CANCELLED', last_error: reason, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('event', '=', event).where('status', '=', 'QUEUED')
  if (expiresAt !== null) q = q.where(sql<boolean>`payload->>'expiresAt' IS DISTINCT FROM ${expiresAt}`)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/**
 * Puts a FAILED message back in the queue (an admin fixed the cause, e.g. the provider account); returns it, or
 * undefined when it is not FAILED. The attempt count stays, so its next delivery job has a new id.
 */
export async function requeueFailedNotification(db: Executor, tenantId: string, id: string, now: Date): Promise<NotificationOutboxRow | undefined> {
  return db.updateTable('notification_outbox')
    .set({ status: 'QUEUED', send_after: now, enqueued_at: null, failed_at: null, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('status', '=', 'FAILED').where('event', '!=', 'otp.code')
    .returningAll().executeTakeFirst()
}
