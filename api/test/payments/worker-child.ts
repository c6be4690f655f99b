/**
 * A payments worker in its own process, for the "worker killed mid-job" test: the parent SIGKILLs it while a
 * job is running. Entry point: reads its settings from the WORKER_CHILD env variable (JSON).
 */
import { createDb, createLogger, createSecretBox } from '@mnetifi/db'
import { startWorker, type WorkerConfig } from '../../src/jobs/worker.js'

const input = JSON.parse(process.env.WORKER_CHILD ?? '{}') as { databaseUrl: string; secretKey: string; config: WorkerConfig }
const db = createDb({ connectionString: input.databaseUrl, max: 4 })
await startWorker(input.config, {
  db, secretBox: createSecretBox(input.secretKey), log: createLogger({ level: 'silent' }), handleSignals: false, sweepEveryMs: 0,
})
process.stdout.write('ready\n')
