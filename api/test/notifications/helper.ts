/**
 * The notifications test harness: the API on a per-file database (buildTestApp), the Africa's Talking emulator
 * on a real port, and a real notifications worker on a unique BullMQ prefix sending through it. Nothing mocked.
 */
import { randomUUID } from 'node:crypto'
import { createLogger, createSecretBox, updateNotificationSettings, type NotificationOutboxRow } from '@mnetifi/db'
import { buildTestApp, type TestContext } from '../helper.js'
import { NOTIFICATIONS_DEFAULTS, type NotificationsConfig } from '../../src/notifications/config.js'
import { sealSettingsSecret } from '../../src/notifications/transports/transport.js'
import { startNotificationsWorker, type NotificationsWorkerDeps, type RunningNotificationsWorker } from '../../src/notifications/worker.js'
import { startAfricasTalkingEmulator, type AfricasTalkingEmulator } from '../../src/notifications/sms/africastalking-emulator.js'
import { waitFor } from '../payments/helper.js'

export { waitFor }

/** Options of {@link startNotificationsHarness}. */
export interface NotificationsHarnessOptions {
  /** Notification settings, and the BullMQ job lock (how soon a dead worker's job is taken over). */
  readonly config?: Partial<NotificationsConfig> & { readonly JOBS_LOCK_MS?: number }
  /** Start a worker. @defaultValue true */
  readonly worker?: boolean
  readonly now?: () => Date
  readonly transports?: NotificationsWorkerDeps['transports']
}

/** Starts everything for one test file. */
export async function startNotificationsHarness(name: string, opts: NotificationsHarnessOptions = {}) {
  const at = await startAfricasTalkingEmulator()
  const t: TestContext = await buildTestApp(name, {
    config: { NOTIFY_SMS_TRANSPORT: 'africastalking', AFRICASTALKING_BASE_URL: at.url, AFRICASTALKING_SANDBOX_URL: at.url },
  })
  const secretBox = createSecretBox(t.config.MNETIFI_SECRET_KEY)
  const config = {
    ...NOTIFICATIONS_DEFAULTS, NOTIFY_SMS_TRANSPORT: 'africastalking' as const, AFRICASTALKING_BASE_URL: at.url, AFRICASTALKING_SANDBOX_URL: at.url,
    NOTIFY_DISPATCH_INTERVAL_MS: 40, NOTIFY_RETRY_BASE_MS: 40, NOTIFY_REMINDER_INTERVAL_MS: 0, NOTIFY_PROVIDER_TIMEOUT_MS: 2000,
    REDIS_URL: t.config.REDIS_URL, JOBS_PREFIX: `test-${randomUUID()}`, PUBLIC_BASE_URL: 'http://localhost:3000', JOBS_CONCURRENCY: 4,
    ...opts.config,
  }
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  let worker: RunningNotificationsWorker | undefined
  const startWorker = async () => {
    worker = await startNotificationsWorker(config, { db: t.tdb.db, secretBox, log, ...(opts.now ? { now: opts.now } : {}), ...(opts.transports ? { transports: opts.transports } : {}) })
    return worker
  }
  if (opts.worker ?? true) await startWorker()

  /** Gives a tenant an Africa's Talking account (API key sealed as the API would) known to the emulator. */
  const configureSms = async (tenantId: string, account: { username?: string; apiKey?: string; senderId?: string | null } = {}) => {
    const username = account.username ?? `isp${randomUUID().slice(0, 6)}`
    const apiKey = account.apiKey ?? `atsk_${randomUUID().replace(/-/g, '')}`
    at.addAccount(username, apiKey)
    const row = await updateNotificationSettings(t.tdb.db, tenantId, {})
    return updateNotificationSettings(t.tdb.db, tenantId, {
      sms_username: username, sms_sender_id: account.senderId === undefined ? 'MNETIFI' : account.senderId,
      sms_api_key: sealSettingsSecret(secretBox, row.id, 'sms_api_key', apiKey),
    }).then((settings) => ({ settings, username, apiKey }))
  }

  /** The outbox row by id. */
  const row = (id: string) => t.tdb.db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  /** Waits until row `id` is in one of `statuses`. */
  const settled = (id: string, statuses: readonly NotificationOutboxRow['status'][] = ['SENT', 'FAILED', 'DELIVERED'], timeoutMs = 15_000) =>
    waitFor(async () => { const r = await row(id); return statuses.includes(r.status) ? r : undefined }, timeoutMs, `notification ${id} to reach ${statuses.join('/')}`)

  return {
    t, at, secretBox, config, log, configureSms, row, settled, startWorker,
    get worker() { return worker },
    async close() {
      await worker?.close()
      const { Redis } = await import('ioredis')
      const redis = new Redis(config.REDIS_URL)
      const keys = await redis.keys(`${config.JOBS_PREFIX}:*`)
      if (keys.length) await redis.del(...keys)
      redis.disconnect()
      await at.close()
      await t.close()
    },
  }
}
export type NotificationsHarness = Awaited<ReturnType<typeof startNotificationsHarness>>
