/**
 * The long-running processes. Each command parses its own config from the environment (the CLI is the only
 * place that reads it), builds the logger and database handle, starts the service, and closes it on
 * SIGINT/SIGTERM.
 */
import { createHmac } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Kysely } from 'kysely'
import { createDb, createLogger, parseConfig, type Database, type Logger } from '@mnetifi/db'
import { loadConfig as loadRadiusdConfig, startRadiusd } from '@mnetifi/radiusd'
import {
  DarajaSimEnvSchema, NOTIFICATIONS_QUEUE, PAYMENTS_QUEUE, ROUTERS_QUEUE, darajaSimConfigFromEnv, loadConfig as loadApiConfig, serveWorkerHealth, startApi,
  startDarajaSim, startRouterJobs, startWorker,
} from '@mnetifi/api'
import { parse, UsageError } from '../args.js'
import type { Command, CommandContext } from '../context.js'

/** Closes an ioredis connection politely when it is up (QUIT), at once when it is not. */
async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect())
  else redis.disconnect()
}

/** Services `mnetifi start` supervises, in start order. */
export const SUPERVISED_SERVICES: readonly string[] = Object.freeze(['daraja-sim', 'radiusd', 'api', 'worker'])

/**
 * The environment a service parses, with development defaults for secrets derived from MNETIFI_SECRET_KEY so
 * that `npm start` needs no setup; production (NODE_ENV=production) must set them explicitly.
 */
export function serviceEnv(ctx: CommandContext): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...ctx.env, MNETIFI_SECRET_KEY: ctx.config.MNETIFI_SECRET_KEY, DATABASE_URL: ctx.config.DATABASE_URL, REDIS_URL: ctx.config.REDIS_URL,
  }
  // The simulator's port and the URL the API and worker call it on are one setting: fill either from the other.
  if (env.DARAJA_SIM_URL && !env.DARAJA_SIM_PORT) env.DARAJA_SIM_PORT = new URL(env.DARAJA_SIM_URL).port || '80'
  if (env.DARAJA_SIM_PORT && !env.DARAJA_SIM_URL) env.DARAJA_SIM_URL = `http://127.0.0.1:${env.DARAJA_SIM_PORT}`
  // Daraja calls the API back on PUBLIC_BASE_URL: outside production, follow a changed API_PORT.
  if (!env.PUBLIC_BASE_URL && env.API_PORT && ctx.config.NODE_ENV !== 'production') env.PUBLIC_BASE_URL = `http://localhost:${env.API_PORT}`
  if (!env.SESSION_SECRET && ctx.config.NODE_ENV !== 'production') {
    env.SESSION_SECRET = createHmac('sha256', ctx.config.MNETIFI_SECRET_KEY).update('mnetifi dev session secret').digest('base64')
  }
  return env
}

/** What a started service hands back: closing it finishes the work in flight, then releases its connections. */
interface Closable { close(): Promise<void> }

/**
 * Runs `start` until the first SIGINT/SIGTERM, then its close function, bounded by `timeoutMs`: a service that has
 * not stopped by then is logged and the process exits 1 (a signal during start waits for start first, within the
 * same bound). `stopping` is aborted at the signal, so a service can stop looking ready at once. Later signals
 * are ignored while it stops (`mnetifi start` and a terminal's Ctrl-C both send one).
 */
async function serve(name: string, log: Logger, timeoutMs: number, start: (stopping: AbortSignal) => Promise<Closable>): Promise<number> {
  const stopping = new AbortController()
  let onSignal!: (signal: NodeJS.Signals) => void
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      if (stopping.signal.aborted) return void log.warn({ signal }, `${name} is already stopping`)
      stopping.abort()
      resolve(signal)
    }
  })
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let deadline: NodeJS.Timeout | undefined
  try {
    const starting = start(stopping.signal)
    starting.catch(() => { /* awaited below */ })
    const running = await Promise.race([starting, signalled.then(() => undefined)])
    const signal = await signalled
    log.info({ signal, timeoutMs }, `${name} stopping`)
    deadline = setTimeout(() => {
      log.error({ timeoutMs }, `${name} did not stop within ${timeoutMs} ms: exiting`)
      process.exit(1)
    }, timeoutMs)
    await (running ?? (await starting)).close()
    log.info(`${name} stopped`)
    // Everything this service opened is closed, so the process ends by itself now. A library that still holds it
    // open (BullMQ's timers after its close hung on a reconnecting Redis, issue #4656) must not keep it running.
    setTimeout(() => {
      log.warn({ handles: process.getActiveResourcesInfo() }, `${name} stopped, but something still holds the process open: exiting`)
      process.exit()
    }, 2000).unref()
    return 0
  } finally {
    clearTimeout(deadline)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

function noArguments(argv: string[], usage: string): void {
  const { positionals } = parse(argv, {}, usage)
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, usage)
}

/**
 * Runs a service that needs the logger and a database pool: built here, handed to `start`, and closed (pool.end)
 * after the service on SIGINT/SIGTERM, within the same shutdown bound.
 */
async function serveWithDb(
  name: string, config: { readonly LOG_LEVEL: string; readonly DATABASE_URL: string }, poolSize: number, timeoutMs: number,
  start: (deps: { db: Kysely<Database>; log: Logger; stopping: AbortSignal }) => Promise<Closable>,
): Promise<number> {
  const log = createLogger({ level: config.LOG_LEVEL, name })
  const db = createDb({ connectionString: config.DATABASE_URL, max: poolSize, applicationName: name })
  let destroyed: Promise<void> | undefined
  const destroy = () => (destroyed ??= db.destroy())
  try {
    return await serve(name, log, timeoutMs, async (stopping) => {
      const running = await start({ db, log, stopping })
      return { close: async () => { await running.close(); await destroy() } }
    })
  } finally {
    await destroy()
  }
}

const radiusd: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi radiusd   (settings from RADIUS_* variables, see radiusd/README.md)')
  const config = loadRadiusdConfig(serviceEnv(ctx))
  // radiusd keeps its own hot-path pool; this one serves NAS reloads and enforcement.
  return serveWithDb('radiusd', config, 4, ctx.config.SHUTDOWN_TIMEOUT_MS, ({ db, log }) => startRadiusd(config, { db, log }))
}

const api: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi api   (settings from API_* variables, see api/src/config.ts)')
  const config = loadApiConfig(serviceEnv(ctx))
  return serveWithDb('api', config, 10, ctx.config.SHUTDOWN_TIMEOUT_MS, async ({ db, log }) => {
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 })
    redis.on('error', (err) => log.warn({ err }, 'redis error'))
    try {
      const running = await startApi(config, { db, redis, log, secretBox: ctx.secretBox() })
      // Fastify's close stops listening (new connections are refused), answers 503 on kept-alive ones, and waits
      // for the requests in flight; then Redis, then (serveWithDb) the pool.
      return { close: async () => { await running.close(); await quitRedis(redis) } }
    } catch (err) {
      redis.disconnect()
      throw err
    }
  })
}

const worker: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi worker   (settings from PAYMENTS_*/JOBS_*/WORKER_* variables, see api/src/payments/config.ts, api/src/jobs/config.ts)')
  const config = loadApiConfig(serviceEnv(ctx))
  return serveWithDb('worker', config, 10, ctx.config.SHUTDOWN_TIMEOUT_MS, async ({ db, log, stopping }) => {
    // Listening first: /health answers and /ready says "starting" while the workers connect to Redis.
    const health = await serveWorkerHealth({
      host: config.WORKER_HEALTH_ADDRESS, port: config.WORKER_HEALTH_PORT, db, redisUrl: config.REDIS_URL, log,
      expected: [PAYMENTS_QUEUE, NOTIFICATIONS_QUEUE, ROUTERS_QUEUE],
    })
    stopping.addEventListener('abort', () => health.shuttingDown())
    const started: Closable[] = []
    try {
      const payments = await startWorker(config, { db, log, secretBox: ctx.secretBox(), handleSignals: false })
      started.push(payments)
      // Router jobs (ghost sessions, connectivity) on their own queue, so slow routers never hold up payments.
      const routers = await startRouterJobs(config, { db, log, secretBox: ctx.secretBox() })
      started.push(routers)
      health.attach([...payments.runners, routers.runner])
    } catch (err) {
      await Promise.allSettled(started.map((s) => s.close()))
      await health.close()
      throw err
    }
    return {
      // Every queue drains at once (running jobs finish and are marked completed); /ready says shutting-down meanwhile.
      close: async () => {
        await Promise.all(started.map((s) => s.close()))
        await health.close()
      },
    }
  })
}

const darajaSim: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi daraja-sim   (settings from DARAJA_SIM_* variables, see api/src/daraja-sim/main.ts)')
  const config = darajaSimConfigFromEnv(parseConfig(DarajaSimEnvSchema, serviceEnv(ctx)))
  const log = createLogger({ level: ctx.config.LOG_LEVEL, name: 'daraja-sim' })
  return serve('daraja-sim', log, ctx.config.SHUTDOWN_TIMEOUT_MS, async () => {
    const sim = await startDarajaSim(config)
    log.info({ url: sim.url }, 'Daraja simulator listening')
    return sim
  })
}

export const SERVICE_COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = Object.freeze({
  radiusd: { run: radiusd, help: 'run the RADIUS server (UDP 1812/1813, metrics on 9812)' },
  api: { run: api, help: 'run the HTTP API (port 3000; OpenAPI at /api/docs)' },
  worker: { run: worker, help: 'run the BullMQ jobs worker (M-Pesa polling, CoA after payment; health on 9813)' },
  'daraja-sim': { run: darajaSim, help: 'run the M-Pesa Daraja simulator (port 3090) for tenants without real credentials' },
})
