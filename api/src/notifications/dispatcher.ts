/**
 * The outbox relay: due QUEUED rows without a live delivery job are handed to BullMQ. It runs on a timer in every
 * worker (several at once are harmless: job ids are per row and attempt count, and sending locks the row). A row
 * whose job was lost (Redis lost its data) or gave up while the provider was down shows no attempt for
 * NOTIFY_REQUEUE_AFTER_MS and is handed over again.
 */
import { listDueNotificationsAcrossTenants, markNotificationsEnqueuedAcrossTenants } from '@mnetifi/db'
import { nowOf, type NotificationsContext } from './context.js'

/** Rows handed over per run (the next run takes the rest). */
const BATCH = 500

/** One relay run; returns how many rows were handed to BullMQ. */
export async function dispatchDueNotifications(ctx: NotificationsContext): Promise<number> {
  const now = nowOf(ctx)
  const due = await listDueNotificationsAcrossTenants(ctx.db, now, new Date(now.getTime() - ctx.config.NOTIFY_REQUEUE_AFTER_MS), BATCH)
  if (due.length === 0) return 0
  await ctx.queue.enqueue(due)
  // Marked after the jobs exist: a crash in between only means they are enqueued again (same job ids, no-op).
  await markNotificationsEnqueuedAcrossTenants(ctx.db, due.map((r) => r.id), now)
  return due.length
}
