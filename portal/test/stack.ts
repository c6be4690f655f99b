/**
 * The whole product for the browser tests (portal and admin), on real sockets: a migrated per-suite database, Redis,
 * the Daraja simulator, the API (serving the built portal), a worker (callbacks and the 20 s polling fallback),
 * radiusd on ephemeral UDP ports, and an emulated MikroTik hotspot (fake-router.ts). Nothing is mocked.
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { createLogger, createSecretBox, generateSecretKey } from '@mnetifi/db'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { loadConfig, startApi, startDarajaSim, startWorker, type SessionControl } from '@mnetifi/api'
import { loadConfig as loadRadiusdConfig, startRadiusd } from '@mnetifi/radiusd'

/** A free TCP port on loopback (the API's public URL must be known before it listens: Daraja calls it back). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The whole stack on free ports; `coa` replaces the RFC 5176 client (tests point it at a fake NAS). */
export async function startStack(name: string, options: { coa?: SessionControl } = {}) {
  const tdb: TestDatabase = await createTestDatabase(name)
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  const secretKey = generateSecretKey('t1')
  const secretBox = createSecretBox(secretKey)
  // The simulated customer answers the prompt after 1.5 s: long enough for the "check your phone" screen.
  const sim = await startDarajaSim({ port: 0, defaults: { processingMs: 1500 } })
  const port = await freePort()
  const apiUrl = `http://127.0.0.1:${port}`
  const env = {
    DATABASE_URL: tdb.url,
    MNETIFI_SECRET_KEY: secretKey,
    LOG_LEVEL: 'silent',
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_BASE_URL: apiUrl,
    SESSION_SECRET: 'portal-e2e-session-secret-0123456789abcdef',
    DARAJA_SIM_URL: sim.url,
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    JOBS_PREFIX: `test-${randomUUID()}`,
    USAGE_FOLD_INTERVAL_SECONDS: '0',
    PAYMENTS_POLL_DELAY_MS: '500',
    PAYMENTS_POLL_INTERVAL_MS: '400',
    COA_RETRY_MS: '50',
    COA_MAX_ATTEMPTS: '1',
  }
  const config = loadConfig(env)
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 })
  const api = await startApi(config, { db: tdb.db, redis, log, secretBox, coa: options.coa ?? null })
  // Text messages the customer would read on their phone (the worker's SMS sender, replaced): one-time codes.
  const sms: { to: string; body: string }[] = []
  const worker = await startWorker(config, {
    db: tdb.db,
    secretBox,
    log,
    handleSignals: false,
    notifications: {
      transports: {
        SMS: {
          async send(row) {
            sms.push({ to: row.recipient, body: row.body })
            return { kind: 'sent', provider: 'test-phone', providerMessageId: null }
          },
        },
      },
    },
  })
  const radiusd = await startRadiusd(
    loadRadiusdConfig({
      DATABASE_URL: tdb.url,
      MNETIFI_SECRET_KEY: secretKey,
      LOG_LEVEL: 'silent',
      RADIUS_AUTH_PORT: '0',
      RADIUS_ACCT_PORT: '0',
      RADIUS_BIND_ADDRESS: '127.0.0.1',
      RADIUS_METRICS_PORT: '0',
      RADIUS_METRICS_ADDRESS: '127.0.0.1',
      RADIUS_REJECT_DELAY_MS: '0',
      RADIUS_MESSAGE_AUTHENTICATOR: 'flag',
    }),
    { db: tdb.db, log },
  )
  return {
    db: tdb.db,
    sim,
    apiUrl,
    config,
    radiusd,
    sms,
    async close() {
      await radiusd.close()
      await worker.close()
      await api.close()
      const keys = await redis.keys(`${config.REDIS_KEY_PREFIX}*`)
      const jobKeys = await redis.keys(`${config.JOBS_PREFIX}*`)
      if (keys.length + jobKeys.length) await redis.del(...keys, ...jobKeys)
      redis.disconnect()
      await sim.close()
      await tdb.destroy()
    },
  }
}
export type Stack = Awaited<ReturnType<typeof startStack>>
