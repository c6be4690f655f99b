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
  ctx.log.debug({ ids: due.map((r) => r.id) }, 'handing due notifications to the delivery queue')
  // Marked before the jobs exist, never after: the UPDATE holds the rows' locks, and a job started meanwhile would
  // find its row locked. If adding fails, the rows look stale after NOTIFY_REQUEUE_AFTER_MS and are handed over again.
  await markNotificationsEnqueuedAcrossTenants(ctx.db, due.map((r) => r.id), now)
  await ctx.queue.enqueue(due)
  return due.length
}
