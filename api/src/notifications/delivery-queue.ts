/**
 * The BullMQ side of delivery: the `notifications` queue (its own queue, so a provider outage that keeps
 * delivery jobs retrying never takes payment jobs' slots) and the `notifications.deliver` job.
 */
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { NotificationsConfig } from './config.js'
import type { DeliveryQueue } from './context.js'

/** The queue every delivery job goes to. */
export const NOTIFICATIONS_QUEUE = 'notifications'
/** The job name. */
export const DELIVER_JOB = 'notifications.deliver'

/** Which row to send. */
export const DeliverPayloadSchema = z.object({ id: z.uuid() })
export type DeliverPayload = z.infer<typeof DeliverPayloadSchema>

/** Same row and attempt count → same job (BullMQ ids may not contain ':'). */
export const deliverJobId = (id: string, attempts: number) => `deliver-${id}-${attempts}`

/** Completed jobs are kept an hour, failed ones a week (like the payments queue). */
const RETENTION = Object.freeze({ removeOnComplete: { age: 3600, count: 50_000 }, removeOnFail: { age: 7 * 86400 } })

/** A {@link DeliveryQueue} over a BullMQ queue. */
export function createDeliveryQueue(queue: Queue, config: Pick<NotificationsConfig, 'NOTIFY_JOB_ATTEMPTS' | 'NOTIFY_RETRY_BASE_MS'>): DeliveryQueue {
  return {
    async enqueue(rows) {
      if (rows.length === 0) return
      await queue.addBulk(rows.map((r) => ({
        name: DELIVER_JOB,
        data: DeliverPayloadSchema.parse({ id: r.id }),
        opts: {
          jobId: deliverJobId(r.id, r.attempts), attempts: config.NOTIFY_JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: config.NOTIFY_RETRY_BASE_MS }, ...RETENTION,
        },
      })))
    },
  }
}

/** Opens the notifications queue on `connection` under `prefix`. */
export function openNotificationsQueue(connection: Redis, prefix: string): Queue {
  const queue = new Queue(NOTIFICATIONS_QUEUE, { connection, prefix })
  queue.on('error', () => { /* surfaced by the failing add(); avoid an unhandled 'error' event */ })
  return queue
}
