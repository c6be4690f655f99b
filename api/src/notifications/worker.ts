/**
 * The notifications worker: a BullMQ worker on the `notifications` queue that sends outbox rows, plus two timers
 * in every worker process — the outbox relay (dispatcher.ts) and the expiry reminders (reminders.service.ts).
 * Started by the jobs worker (api/src/jobs/worker.ts), so `mnetifi worker` runs it with no new command.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Kysely } from 'kysely'
import type { Database, Logger, SecretBox } from '@mnetifi/db'
import type { NotificationChannel } from '@mnetifi/db/domain'
import { createJobsConnection } from '../jobs/scheduler.js'
import type { JobsRunner } from '../jobs/health.js'
import { drainWorker, trackJobs } from '../jobs/drain.js'
import { NOTIFICATIONS_DEFAULTS, NotificationsConfigSchema, type NotificationsConfig } from './config.js'
import type { NotificationsContext } from './context.js'
import { DELIVER_JOB, DeliverPayloadSchema, NOTIFICATIONS_QUEUE, createDeliveryQueue, openNotificationsQueue } from './delivery-queue.js'
import { deliverNotification } from './deliver.service.js'
import { dispatchDueNotifications } from './dispatcher.js'
import { writeDueReminders } from './reminders.service.js'
import { writeInvoiceEmails } from './invoices.service.js'
import { createTransports } from './transports/index.js'
import type { ChannelTransport } from './transports/transport.js'

/** Settings the notifications worker reads; unset notification keys take their defaults. */
export type NotificationsWorkerConfig = Partial<NotificationsConfig> & {
  readonly REDIS_URL: string
  readonly JOBS_PREFIX: string
  readonly PUBLIC_BASE_URL: string
  /** @defaultValue 20 */
  readonly JOBS_CONCURRENCY?: number
  /** @defaultValue 30000 */
  readonly JOBS_LOCK_MS?: number
}

/** What the worker is given. */
export interface NotificationsWorkerDeps {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly log: Logger
  readonly now?: () => Date
  /** Replaces the configured senders (tests). */
  readonly transports?: Partial<Record<NotificationChannel, ChannelTransport>>
}

/** A running notifications worker. */
export interface RunningNotificationsWorker {
  readonly ctx: NotificationsContext
  /** Its BullMQ worker and queue (health and metrics of `mnetifi worker`). */
  readonly runner: JobsRunner
  close(): Promise<void>
}

/** The full config from a partial one. */
export function notificationsConfigOf(config: NotificationsWorkerConfig): NotificationsContext['config'] {
  // Every key of the schema, not of the defaults: optional ones (SMTP_USER, SMTP_PASS) have no default.
  const picked = Object.fromEntries(Object.keys(NotificationsConfigSchema.shape).flatMap((k) => {
    const v = (config as Record<string, unknown>)[k]
    return v === undefined ? [] : [[k, v]]
  }))
  return Object.freeze({ ...NOTIFICATIONS_DEFAULTS, ...picked, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL }) as NotificationsContext['config']
}

/** Starts the delivery worker and the relay and reminder timers. */
export async function startNotificationsWorker(config: NotificationsWorkerConfig, deps: NotificationsWorkerDeps): Promise<RunningNotificationsWorker> {
  const log = deps.log.child({ component: 'notifications' })
  const full = notificationsConfigOf(config)
  const queueConnection = createJobsConnection(config.REDIS_URL)
  const queue = openNotificationsQueue(queueConnection, config.JOBS_PREFIX)
  const ctx: NotificationsContext = {
    db: deps.db, secretBox: deps.secretBox, config: full, log,
    transports: { ...createTransports(full), ...deps.transports },
    queue: createDeliveryQueue(queue, full),
    ...(deps.now ? { now: deps.now } : {}),
  }
  const jobs = trackJobs(async (job: Job) => {
    if (job.name !== DELIVER_JOB) throw new UnrecoverableError(`unknown job ${job.name}`)
    const payload = DeliverPayloadSchema.safeParse(job.data)
    if (!payload.success) throw new UnrecoverableError(`${job.name} payload invalid: ${payload.error.message}`)
    const result = await deliverNotification(ctx, payload.data.id)
    // Thrown after the attempt was recorded: BullMQ retries with backoff; the row stays QUEUED meanwhile.
    if (result.kind === 'retry') throw new Error(result.reason)
    if (result.kind === 'busy') throw new Error('the message is locked by another sender; trying again')
    return result.kind === 'sent' || result.kind === 'failed' ? { status: result.row.status } : result
  })
  const connection = createJobsConnection(config.REDIS_URL)
  const worker = new Worker(NOTIFICATIONS_QUEUE, jobs.run, {
    connection, prefix: config.JOBS_PREFIX, concurrency: config.JOBS_CONCURRENCY ?? 20,
    lockDuration: config.JOBS_LOCK_MS ?? 30_000, stalledInterval: config.JOBS_LOCK_MS ?? 30_000,
  })
  worker.on('error', (err) => log.error({ err }, 'notifications worker error'))
  worker.on('failed', (job, err) => log.warn({ err: err.message, jobId: job?.id, attempts: job?.attemptsMade }, 'delivery attempt failed'))

  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, what: string, run: () => Promise<unknown>) => {
    if (ms <= 0) return
    let running = false
    const t = setInterval(() => {
      if (running) return
      running = true
      run().catch((err: unknown) => log.warn({ err }, `${what} failed`)).finally(() => { running = false })
    }, ms)
    t.unref()
    timers.push(t)
  }
  every(full.NOTIFY_DISPATCH_INTERVAL_MS, 'outbox relay', () => dispatchDueNotifications(ctx))
  // Reminders and invoices are written here; the relay picks them up on its next beat.
  every(full.NOTIFY_REMINDER_INTERVAL_MS, 'expiry reminders and invoices', async () => {
    await writeDueReminders(ctx)
    await writeInvoiceEmails(ctx)
  })

  let closing: Promise<void> | undefined
  const close = () => (closing ??= (async () => {
    for (const t of timers) clearInterval(t)
    await drainWorker(worker, jobs, log)
    connection.disconnect()
    await queue.close()
    queueConnection.disconnect()
  })())
  await worker.waitUntilReady()
  log.info({ queue: NOTIFICATIONS_QUEUE, prefix: config.JOBS_PREFIX }, 'notifications worker started')
  return { ctx, runner: { name: NOTIFICATIONS_QUEUE, worker, queue }, close }
}
