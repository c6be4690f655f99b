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
  DarajaSimEnvSchema, darajaSimConfigFromEnv, loadConfig as loadApiConfig, startApi, startDarajaSim, startRouterJobs, startWorker,
} from '@mnetifi/api'
import { parse, UsageError } from '../args.js'
import type { Command, CommandContext } from '../context.js'

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

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(signal)
    }
    const onInt = () => done('SIGINT')
    const onTerm = () => done('SIGTERM')
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
  })
}

/** Runs `start` until a signal, then its close function; a failed close exits 1. */
async function serve(name: string, log: Logger, start: () => Promise<{ close(): Promise<void> }>): Promise<number> {
  const running = await start()
  const signal = await untilSignal()
  log.info({ signal }, `${name} stopping`)
  await running.close()
  return 0
}

function noArguments(argv: string[], usage: string): void {
  const { positionals } = parse(argv, {}, usage)
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, usage)
}

/**
 * Runs a service that needs the logger and a database pool: built here, handed to `start`, and closed after
 * the service on SIGINT/SIGTERM.
 */
async function serveWithDb(
  name: string, config: { readonly LOG_LEVEL: string; readonly DATABASE_URL: string }, poolSize: number,
  start: (deps: { db: Kysely<Database>; log: Logger }) => Promise<{ close(): Promise<void> }>,
): Promise<number> {
  const log = createLogger({ level: config.LOG_LEVEL, name })
  const db = createDb({ connectionString: config.DATABASE_URL, max: poolSize, applicationName: name })
  try {
    return await serve(name, log, () => start({ db, log }))
  } finally {
    await db.destroy()
  }
}

const radiusd: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi radiusd   (settings from RADIUS_* variables, see radiusd/README.md)')
  const config = loadRadiusdConfig(serviceEnv(ctx))
  // radiusd keeps its own hot-path pool; this one serves NAS reloads and enforcement.
  return serveWithDb('radiusd', config, 4, (deps) => startRadiusd(config, deps))
}

const api: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi api   (settings from API_* variables, see api/src/config.ts)')
  const config = loadApiConfig(serviceEnv(ctx))
  return serveWithDb('api', config, 10, async ({ db, log }) => {
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 })
    redis.on('error', (err) => log.warn({ err }, 'redis error'))
    const running = await startApi(config, { db, redis, log, secretBox: ctx.secretBox() })
    return { close: async () => { await running.close(); redis.disconnect() } }
  })
}

const worker: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi worker   (settings from PAYMENTS_*/JOBS_* variables, see api/src/payments/config.ts)')
  const config = loadApiConfig(serviceEnv(ctx))
  return serveWithDb('worker', config, 10, async (deps) => {
    const payments = await startWorker(config, { ...deps, secretBox: ctx.secretBox(), handleSignals: false })
    // Router jobs (ghost sessions, connectivity) on their own queue, so slow routers never hold up payments.
    const routers = await startRouterJobs(config, { db: deps.db, log: deps.log, secretBox: ctx.secretBox() })
    return { close: async () => { await routers.close(); await payments.close() } }
  })
}

const darajaSim: Command = async (argv, ctx) => {
  noArguments(argv, 'mnetifi daraja-sim   (settings from DARAJA_SIM_* variables, see api/src/daraja-sim/main.ts)')
  const config = darajaSimConfigFromEnv(parseConfig(DarajaSimEnvSchema, serviceEnv(ctx)))
  const log = createLogger({ level: ctx.config.LOG_LEVEL, name: 'daraja-sim' })
  return serve('daraja-sim', log, async () => {
    const sim = await startDarajaSim(config)
    log.info({ url: sim.url }, 'Daraja simulator listening')
    return sim
  })
}

export const SERVICE_COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = Object.freeze({
  radiusd: { run: radiusd, help: 'run the RADIUS server (UDP 1812/1813, metrics on 9812)' },
  api: { run: api, help: 'run the HTTP API (port 3000; OpenAPI at /api/docs)' },
  worker: { run: worker, help: 'run the BullMQ jobs worker (M-Pesa polling, CoA after payment)' },
  'daraja-sim': { run: darajaSim, help: 'run the M-Pesa Daraja simulator (port 3090) for tenants without real credentials' },
})
