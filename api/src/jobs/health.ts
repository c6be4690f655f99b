/**
 * The jobs worker's own small HTTP listener (node:http), for container healthchecks and Prometheus:
 * - `GET /health`: the process answers (200);
 * - `GET /ready`: 200 only when Postgres and Redis answer within 2 s and every BullMQ worker it runs is running;
 *   503 otherwise, with a JSON body naming what failed, and 503 `shutting-down` from SIGTERM until it exits;
 * - `GET /metrics`: job counts by queue and state (`mnetifi_jobs{queue,state}`) and the process's own metrics.
 * It starts before the workers, so `/health` answers (and `/ready` says `starting`) while they connect.
 */
import { createServer, type Server } from 'node:http'
import type { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { sql, type Kysely } from 'kysely'
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { Database, Logger } from '@mnetifi/db'

/** One queue this process works on: its BullMQ worker and a queue handle for counts. */
export interface JobsRunner {
  readonly name: string
  readonly worker: Worker
  readonly queue: Queue
}

export type Check = 'ok' | 'failed'
export type RunnerState = 'starting' | 'running' | 'stopped'

/** What `/ready` answers. */
export type WorkerReadiness =
  | { readonly status: 'ready' | 'not-ready'; readonly postgres: Check; readonly redis: Check; readonly workers: Readonly<Record<string, RunnerState>> }
  | { readonly status: 'shutting-down'; readonly workers: Readonly<Record<string, RunnerState>> }

/** The job states `/metrics` counts, in BullMQ's names. */
export const JOB_STATES = Object.freeze(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const)

const PROBE_TIMEOUT_MS = 2000

/** The running listener. */
export interface WorkerHealth {
  /** The port actually bound. */
  readonly port: number
  /** The runners have started: `/ready` and `/metrics` follow them from now on. */
  attach(runners: readonly JobsRunner[]): void
  /** SIGTERM arrived: `/ready` answers 503 `shutting-down` from now on. */
  shuttingDown(): void
  /** What `/ready` would answer now. */
  readiness(): Promise<WorkerReadiness>
  /** Closes the listener and its Redis probe connection. */
  close(): Promise<void>
}

/** What the listener checks. */
export interface WorkerHealthOptions {
  readonly host: string
  readonly port: number
  readonly db: Kysely<Database>
  readonly redisUrl: string
  /** The queue names this process will run, reported `starting` until {@link WorkerHealth.attach}. */
  readonly expected: readonly string[]
  readonly log: Logger
}

async function passes(probe: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS)))])
    return 'ok'
  } catch {
    return 'failed'
  } finally {
    clearTimeout(timer)
  }
}

/** Starts listening on `host:port`. */
export async function serveWorkerHealth(options: WorkerHealthOptions): Promise<WorkerHealth> {
  let runners: readonly JobsRunner[] = []
  let stopping = false
  // Its own connection, failing fast while Redis is away (no offline queue, one retry) instead of queueing pings.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: PROBE_TIMEOUT_MS })
  redis.on('error', () => { /* reported by /ready */ })

  const workers = (): Record<string, RunnerState> => Object.fromEntries(options.expected.map((name) => {
    const r = runners.find((x) => x.name === name)
    return [name, !r ? 'starting' : r.worker.isRunning() ? 'running' : 'stopped']
  }))

  const readiness = async (): Promise<WorkerReadiness> => {
    if (stopping) return { status: 'shutting-down', workers: workers() }
    const [postgres, pong] = await Promise.all([passes(() => sql`SELECT 1`.execute(options.db)), passes(() => redis.ping())])
    // SIGTERM during the probes: the answer is shutting-down, not a not-ready built from queues stopping for it.
    if (stopping) return { status: 'shutting-down', workers: workers() }
    const w = workers()
    const ready = postgres === 'ok' && pong === 'ok' && Object.values(w).every((s) => s === 'running')
    return { status: ready ? 'ready' : 'not-ready', postgres, redis: pong, workers: w }
  }

  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'mnetifi_worker_' })
  new Gauge({
    name: 'mnetifi_jobs', help: 'Jobs by queue and state (BullMQ counts)', labelNames: ['queue', 'state'], registers: [registry],
    async collect() {
      const counts = await Promise.all(runners.map(async (r) => [r.name, await r.queue.getJobCounts(...JOB_STATES)] as const))
      for (const [queue, byState] of counts) for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0)
    },
  })

  const json = (res: import('node:http').ServerResponse, code: number, body: unknown) =>
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET') return void res.writeHead(405).end()
    if (req.url === '/health') return void json(res, 200, { status: 'ok' })
    if (req.url === '/ready') {
      readiness().then((r) => json(res, r.status === 'ready' ? 200 : 503, r), (err: unknown) => json(res, 500, { status: 'error', message: String(err) }))
      return
    }
    if (req.url === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      )
      return
    }
    res.writeHead(404).end()
  })
  // A probe's keep-alive socket must not hold the process open at exit.
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  options.log.info({ host: options.host, port }, 'worker health on /health, /ready, /metrics')

  let closing: Promise<void> | undefined
  return {
    port,
    attach: (r) => { runners = r },
    shuttingDown: () => { stopping = true },
    readiness,
    close: () => (closing ??= (async () => {
      stopping = true
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      // quit() waits for Redis to answer; while Redis is away there is nothing to say goodbye to.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect())
      else redis.disconnect()
    })()),
  }
}
