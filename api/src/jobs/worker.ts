/**
 * The jobs worker (`mnetifi worker`): runs every payments job from the one BullMQ queue, validating each payload
 * with its schema first. Jobs are persisted in Redis and retried, and handlers settle through conditional updates
 * in Postgres, so a job that runs twice (worker killed mid-job, two workers) changes nothing the second time.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Kysely } from 'kysely'
import { createCoaClient, type CoaClient } from '@mnetifi/radiusd/coa'
import type { Database, Logger, SecretBox } from '@mnetifi/db'
import type { PaymentsConfig } from '../payments/config.js'
import type { PaymentsContext } from '../payments/context.js'
import type { DarajaTokenCache } from '../payments/daraja/oauth.js'
import { createRedisDarajaTokenCache } from '../payments/daraja/redis-token-cache.js'
import { coaAfterCreditJob } from './coa-after-credit.job.js'
import { PAYMENTS_QUEUE, type JobDefinition, type JobRuntime } from './job-definition.js'
import { pollStkJob } from './poll-stk.job.js'
import { createJobsConnection, openPaymentsQueue } from './scheduler.js'
import { settleCallbackJob } from './settle-callback.job.js'
import { sweepPendingJob, sweepPendingPayments } from './sweep-pending.job.js'
import type { NotificationsConfig } from '../notifications/config.js'
import { startNotificationsWorker, type NotificationsWorkerDeps } from '../notifications/worker.js'
import type { JobsRunner } from './health.js'
import { drainWorker, trackJobs } from './drain.js'

/** Every job this worker runs, by name. */
export const JOB_DEFINITIONS: ReadonlyMap<string, JobDefinition<any>> = new Map<string, JobDefinition<any>>(
  [pollStkJob, settleCallbackJob, coaAfterCreditJob, sweepPendingJob].map((d) => [d.name, d as JobDefinition<any>]),
)

/** Settings the worker reads. */
export type WorkerConfig = PaymentsConfig & Partial<NotificationsConfig> & {
  /** CoA retransmission interval in ms. @defaultValue 1000 */
  readonly COA_RETRY_MS?: number
  /** CoA transmissions before a timeout. @defaultValue 3 */
  readonly COA_MAX_ATTEMPTS?: number
}

/** What the worker is given. */
export interface WorkerDeps {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly log: Logger
  /** @defaultValue a client from `@mnetifi/radiusd/coa` with COA_RETRY_MS / COA_MAX_ATTEMPTS */
  readonly coa?: CoaClient
  /** @defaultValue tokens shared through Redis with every other worker and API process */
  readonly tokenCache?: DarajaTokenCache
  readonly now?: () => Date
  /** Close on SIGINT/SIGTERM. @defaultValue true */
  readonly handleSignals?: boolean
  /** Run the pending sweep every this many ms; 0 disables. @defaultValue 60000 */
  readonly sweepEveryMs?: number
  /** The notifications worker (issue 12) runs beside the payments jobs; false leaves it out. @defaultValue {} */
  readonly notifications?: false | Pick<NotificationsWorkerDeps, 'transports'>
}

/** A running worker. */
export interface RunningWorker {
  readonly ctx: PaymentsContext
  /** The payments queue's worker, and the notifications one beside it (for health and metrics). */
  readonly runners: readonly JobsRunner[]
  /** Waits for the jobs running now to finish (BullMQ takes no new ones meanwhile), then closes every connection. */
  close(): Promise<void>
}

/** Starts the payments worker. */
export async function startWorker(config: WorkerConfig, deps: WorkerDeps): Promise<RunningWorker> {
  const log = deps.log.child({ component: 'worker' })
  const queue = openPaymentsQueue(config)
  const ownCoa = !deps.coa
  const coa = deps.coa ?? createCoaClient({ retryMs: config.COA_RETRY_MS ?? 1000, maxAttempts: config.COA_MAX_ATTEMPTS ?? 3, log })
  const tokenRedis = deps.tokenCache ? undefined : createJobsConnection(config.REDIS_URL)
  const tokenCache = deps.tokenCache ?? createRedisDarajaTokenCache(tokenRedis!, { prefix: `${config.JOBS_PREFIX}:daraja-token:` })
  const ctx: PaymentsContext = {
    db: deps.db, secretBox: deps.secretBox, tokenCache, config, log, jobs: queue.scheduler,
    ...(deps.now ? { now: deps.now } : {}),
  }
  const jobs = trackJobs(async (job: Job, token?: string) => {
    const def = JOB_DEFINITIONS.get(job.name)
    if (!def) throw new UnrecoverableError(`unknown job ${job.name}`)
    const payload = def.schema.safeParse(job.data)
    if (!payload.success) throw new UnrecoverableError(`${job.name} payload invalid: ${payload.error.message}`)
    const rt: JobRuntime = { ctx, coa, job, token }
    return def.handler(payload.data, rt)
  })
  const connection = createJobsConnection(config.REDIS_URL)
  const worker = new Worker(PAYMENTS_QUEUE, jobs.run, { connection, prefix: config.JOBS_PREFIX, concurrency: config.JOBS_CONCURRENCY,
    lockDuration: config.JOBS_LOCK_MS, stalledInterval: config.JOBS_LOCK_MS,
  })
  worker.on('error', (err) => log.error({ err }, 'worker error'))
  worker.on('failed', (job, err) => log.warn({ err, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'))

  // The sweep runs from a timer in every worker rather than a BullMQ repeatable job: it must keep running after
  // Redis lost its data, which is exactly when a repeatable job definition would be gone too.
  const sweepEvery = deps.sweepEveryMs ?? 60_000
  const sweep = sweepEvery > 0
    ? setInterval(() => {
      sweepPendingPayments(ctx).catch((err: unknown) => log.warn({ err }, 'pending sweep failed'))
    }, sweepEvery)
    : undefined
  sweep?.unref()

  let closing: Promise<void> | undefined
  const close = () => (closing ??= (async () => {
    if (sweep) clearInterval(sweep)
    // Both drain at once: each finishes the jobs it is running (a job is marked completed, not left active).
    await Promise.all([notifications?.close(), drainWorker(worker, jobs, log)])
    connection.disconnect()
    await queue.close()
    if (ownCoa) await coa.close()
    tokenRedis?.disconnect()
  })())
  if (deps.handleSignals ?? true) {
    const onSignal = () => { void close().then(() => log.info('worker closed')) }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  const notifications = deps.notifications === false ? undefined : await startNotificationsWorker(config, {
    db: deps.db, secretBox: deps.secretBox, log: deps.log, ...(deps.now ? { now: deps.now } : {}), ...deps.notifications,
  })
  await worker.waitUntilReady()
  log.info({ queue: PAYMENTS_QUEUE, prefix: config.JOBS_PREFIX, concurrency: config.JOBS_CONCURRENCY }, 'payments worker started')
  const runners: JobsRunner[] = [{ name: PAYMENTS_QUEUE, worker, queue: queue.queue }, ...(notifications ? [notifications.runner] : [])]
  return { ctx, runners, close }
}
