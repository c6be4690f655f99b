/**
 * A notifications worker in its own process, for the "worker killed mid-send" test: the parent SIGKILLs it while
 * it waits for Africa's Talking. Entry point: reads its settings from the NOTIFY_WORKER_CHILD env variable (JSON).
 */
import { createDb, createLogger, createSecretBox } from '@mnetifi/db'
import { startNotificationsWorker, type NotificationsWorkerConfig } from '../../src/notifications/worker.js'

const input = JSON.parse(process.env.NOTIFY_WORKER_CHILD ?? '{}') as { databaseUrl: string; secretKey: string; config: NotificationsWorkerConfig }
const db = createDb({ connectionString: input.databaseUrl, max: 4 })
await startNotificationsWorker(input.config, { db, secretBox: createSecretBox(input.secretKey), log: createLogger({ level: 'silent' }) })
process.stdout.write('ready\n')
