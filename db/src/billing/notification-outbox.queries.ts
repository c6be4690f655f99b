/**
 * The notification outbox: rows written in the same database transaction as the event they announce, sent
 * later by the notifications worker. `dedupe_key` (unique per tenant) makes enqueueing idempotent.
 */
import type { Executor } from '../executor.js'
import type { NewNotification, NotificationOutboxRow } from './notification-outbox.table.js'

/**
 * Enqueues a notification unless one with the same `dedupe_key` exists for the tenant.
 * Returns the new row, or undefined when it was a duplicate.
 */
export async function enqueueNotification(db: Executor, notification: NewNotification): Promise<NotificationOutboxRow | undefined> {
  return db.insertInto('notification_outbox').values(notification)
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
    .returningAll().executeTakeFirst()
}

/** A tenant's notification by dedupe key, or undefined. */
export async function findNotificationByDedupeKey(db: Executor, tenantId: string, dedupeKey: string): Promise<NotificationOutboxRow | undefined> {
  return db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenantId).where('dedupe_key', '=', dedupeKey).executeTakeFirst()
}
