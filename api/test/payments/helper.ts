/**
 * The payments test harness: a migrated database, the Daraja simulator, the hooks on a real HTTP port, a real
 * worker on a unique BullMQ prefix, and a fake NAS for CoA. Nothing is mocked.
 */
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { Redis } from 'ioredis'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { createCoaClient } from '@mnetifi/radiusd/coa'
import { createLogger, createSecretBox, generateSecretKey, type TenantRow } from '@mnetifi/db'
import {
  createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, type TestDatabase,
} from '@mnetifi/db/testing'
import { startDarajaSim, type DarajaSimConfig } from '../../src/daraja-sim/main.js'
import { PaymentsConfigSchema, type PaymentsConfig } from '../../src/payments/config.js'
import type { PaymentsContext } from '../../src/payments/context.js'
import { createRedisDarajaTokenCache } from '../../src/payments/daraja/redis-token-cache.js'
import { openPaymentsQueue } from '../../src/jobs/scheduler.js'
import { startWorker, type WorkerConfig } from '../../src/jobs/worker.js'
import { darajaHooksRoutes } from '../../src/routes/payments/hooks.js'
import { errorHandlerPlugin } from '../../src/plugins/error-handler.js'
import { startFakeNas } from './fake-nas.js'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly sim?: DarajaSimConfig
  readonly config?: Partial<PaymentsConfig>
  /** Start a worker. @defaultValue true */
  readonly worker?: boolean
  readonly redisUrl?: string
  /** Pending sweep period of the harness's workers; 0 disables. @defaultValue 0 */
  readonly sweepEveryMs?: number
}

/** Starts everything for one test file. */
export async function startHarness(name: string, opts: HarnessOptions = {}) {
  const testDb: TestDatabase = await createTestDatabase(name)
  const db = testDb.db
  const secretKey = generateSecretKey('t1')
  const secretBox = createSecretBox(secretKey)
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const sim = await startDarajaSim({ port: 0, ...opts.sim, defaults: { processingMs: 100, ...opts.sim?.defaults } })
  const nas = await startFakeNas('nas-secret')
  const redisUrl = opts.redisUrl ?? REDIS_URL
  const config: PaymentsConfig & WorkerConfig = {
    ...PaymentsConfigSchema.parse({}), REDIS_URL: redisUrl, PUBLIC_BASE_URL: 'http://127.0.0.1:1', DARAJA_SIM_URL: sim.url,
    PAYMENTS_POLL_DELAY_MS: 400, PAYMENTS_POLL_INTERVAL_MS: 150, PAYMENTS_POLL_BUDGET_MS: 15_000, DARAJA_TIMEOUT_MS: 3000,
    JOBS_PREFIX: `test-${randomUUID()}`, JOBS_CONCURRENCY: 10, COA_RETRY_MS: 200, COA_MAX_ATTEMPTS: 3, ...opts.config,
  }
  const queue = openPaymentsQueue(config)
  // The same Redis-shared token as the workers, as in production: the simulator, like Daraja, invalidates a
  // token when the next one is issued for the same consumer key.
  const tokenCache = createRedisDarajaTokenCache(queue.connection, { prefix: `${config.JOBS_PREFIX}:daraja-token:` })
  const ctx: PaymentsContext = { db, secretBox, tokenCache, config, log, jobs: queue.scheduler }
  const app = Fastify({ logger: false })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await app.register(errorHandlerPlugin)
  await app.register(darajaHooksRoutes, { prefix: '/hooks/daraja', ctx })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  ;(config as { PUBLIC_BASE_URL: string }).PUBLIC_BASE_URL = url
  const coa = createCoaClient({ retryMs: 200, maxAttempts: 3 })
  const workers: { close(): Promise<void> }[] = []
  const startAnotherWorker = async () => {
    const w = await startWorker(config, { db, secretBox, log, coa, handleSignals: false, sweepEveryMs: opts.sweepEveryMs ?? 0 })
    workers.push(w)
    return w
  }
  if (opts.worker ?? true) await startAnotherWorker()

  const tenant: TenantRow = await insertTestTenant(db, { subdomain: `pay-${randomUUID().slice(0, 8)}` })
  const hotspot = await insertTestHotspot(db, tenant.id, { nas_ip: '127.0.0.1', coa_port: nas.port, radius_secret: 'nas-secret' })
  const plan = await insertTestPlan(db, tenant.id, { price: 5000, duration_seconds: 3600 })

  return {
    db, dbUrl: testDb.url, secretKey, ctx, config, sim, nas, tenant, hotspot, plan, app, url, queue, startAnotherWorker, workers,
    async close() {
      for (const w of workers) await w.close()
      await queue.queue.obliterate({ force: true }).catch(() => {})
      // The shared OAuth token keys live under the same prefix.
      await queue.connection.keys(`${config.JOBS_PREFIX}:*`).then((keys) => (keys.length ? queue.connection.del(...keys) : 0)).catch(() => {})
      await queue.close()
      await coa.close()
      await app.close()
      await sim.close()
      await nas.close()
      await testDb.destroy()
    },
  }
}
export type Harness = Awaited<ReturnType<typeof startHarness>>

/** A phone number unique within a test run (the simulator locks a phone while a prompt is open). */
let phoneSeq = 0
export function nextPhone(): string {
  phoneSeq++
  return `2547${String(10_000_000 + ((process.pid * 7919 + phoneSeq * 104_729) % 89_999_999)).slice(0, 8)}`
}

/** A customer (username = phone) with an open RADIUS session on the harness hotspot, so a CoA is due. */
export async function addLiveSession(h: Harness, phone: string) {
  await h.db.insertInto('wifi_users').values({ tenant_id: h.tenant.id, phone_number: phone, username: phone, password: 'pw', account_type: 'HOTSPOT' }).execute()
  await h.db.insertInto('radacct').values({
    acctsessionid: `s-${phone}`, acctuniqueid: `u-${phone}`, username: phone, nasipaddress: '127.0.0.1', acctstarttime: new Date(), tenant_id: h.tenant.id,
  }).execute()
}

/** The CoA-Requests the harness NAS received for a user. */
export const coaFor = (h: Harness, username: string) => h.nas.received.filter((r) => r.userName === username && r.code === 'CoA-Request')

/** How many times a transaction was credited, read from the facts a credit leaves behind. */
export async function creditFacts(h: Harness, transactionId: string) {
  const tx = await h.db.selectFrom('transactions').selectAll().where('id', '=', transactionId).executeTakeFirstOrThrow()
  const outbox = await h.db.selectFrom('notification_outbox').selectAll().where('dedupe_key', '=', `payment-confirmed:${transactionId}`).execute()
  const user = tx.user_id ? await h.db.selectFrom('wifi_users').selectAll().where('id', '=', tx.user_id).executeTakeFirst() : undefined
  return { tx, outbox, user }
}

export { Redis }
