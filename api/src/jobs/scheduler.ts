/**
 * Enqueueing payments jobs: the BullMQ queue (for the API and the worker) and the {@link PaymentJobScheduler}
 * the payment services use. Every job is validated against its schema before it is added.
 */
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import type { z } from 'zod'
import type { PaymentJobScheduler } from '../payments/context.js'
import type { PaymentsConfig } from '../payments/config.js'
import { coaAfterCreditJob } from './coa-after-credit.job.js'
import { PAYMENTS_QUEUE, type JobDefinition } from './job-definition.js'
import { pollStkJob } from './poll-stk.job.js'
import { settleCallbackJob } from './settle-callback.job.js'

/** An ioredis connection as BullMQ requires it (blocking commands must not time out). */
export function createJobsConnection(redisUrl: string): Redis {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true })
  // Reconnection is automatic; BullMQ reports failures through the worker's and queue's 'error' events.
  connection.on('error', () => {})
  return connection
}

/** Adds a job of type `def`; a second add with the same jobId is a no-op in BullMQ. */
export async function enqueueJob<S extends z.ZodType>(queue: Queue, def: JobDefinition<S>, payload: z.infer<S>, delayMs = 0): Promise<void> {
  const data = def.schema.parse(payload)
  await queue.add(def.name, data, { ...def.options, jobId: def.jobId(data), ...(delayMs > 0 ? { delay: Math.round(delayMs) } : {}) })
}

/** A {@link PaymentJobScheduler} over `queue`. */
export function createPaymentJobScheduler(queue: Queue, config: Pick<PaymentsConfig, 'PAYMENTS_POLL_DELAY_MS'>): PaymentJobScheduler {
  return {
    schedulePoll: (input, delayMs) => enqueueJob(queue, pollStkJob, input, delayMs ?? config.PAYMENTS_POLL_DELAY_MS),
    scheduleCallbackSettlement: (input) => enqueueJob(queue, settleCallbackJob, input),
    scheduleCoa: (input) => enqueueJob(queue, coaAfterCreditJob, input),
  }
}

/** The payments queue with its own connection, for a process that only enqueues (the API). */
export interface PaymentsQueue {
  readonly queue: Queue
  /** The queue's Redis connection (tests use it to clean their prefix). */
  readonly connection: Redis
  readonly scheduler: PaymentJobScheduler
  close(): Promise<void>
}

/** Opens the payments queue. */
export function openPaymentsQueue(config: Pick<PaymentsConfig, 'REDIS_URL' | 'JOBS_PREFIX' | 'PAYMENTS_POLL_DELAY_MS'>): PaymentsQueue {
  const connection = createJobsConnection(config.REDIS_URL)
  // Enqueueing from an HTTP request must fail fast when Redis is down instead of queueing commands forever.
  connection.options.enableOfflineQueue = false
  const queue = new Queue(PAYMENTS_QUEUE, { connection, prefix: config.JOBS_PREFIX })
  queue.on('error', () => { /* surfaced by the failing add(); avoid an unhandled 'error' event */ })
  return {
    queue,
    connection,
    scheduler: createPaymentJobScheduler(queue, config),
    async close() { await queue.close(); connection.disconnect() },
  }
}
