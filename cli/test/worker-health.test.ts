/**
 * `mnetifi worker`'s health listener on the real process: /health while it lives, /ready only while Postgres and
 * Redis answer and its three BullMQ workers run (503 naming what failed otherwise: a Redis of the test's own that
 * is stopped and started again, a database that is dropped under it, a Redis that never answered), and /metrics
 * with job counts by queue and state.
 */
import { randomBytes } from 'node:crypto'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSecretKey } from '@mnetifi/db'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { JOB_STATES } from '@mnetifi/api'
import { freePort, get, serviceEnv, spawnCli, spawnProgram, waitFor, type Child } from './processes.js'

const QUEUES = ['payments', 'notifications', 'routers']
const RUNNING = { payments: 'running', notifications: 'running', routers: 'running' }

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('worker_health') })
afterAll(async () => { await t?.destroy() })

const workerEnv = (over: Record<string, string>) => serviceEnv(t.url, generateSecretKey('k1'), over)

async function stop(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.running()) child.process.kill('SIGTERM')
  return child.exited
}

/** The body of /ready once it answers `status`. */
async function readyWhen(port: number, status: number, child: Child, timeoutMs = 30_000): Promise<unknown> {
  let last = ''
  return waitFor(`/ready ${status}`, async () => {
    const r = await get(`http://127.0.0.1:${port}/ready`)
    last = r ? `${r.status} ${r.body}` : 'no answer'
    return r?.status === status ? JSON.parse(r.body) as unknown : undefined
  }, timeoutMs, () => `${child.output()}\nlast /ready: ${last}`)
}

describe('mnetifi worker: /health, /ready, /metrics', () => {
  it('is ready while Postgres and Redis answer, 503 "redis failed" while its Redis is down, ready again after', async () => {
    const redisPort = await freePort()
    const startRedis = () => spawnProgram('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])
    let redis = startRedis()
    const port = await freePort()
    const prefix = `test-worker-health-${randomBytes(4).toString('hex')}`
    const worker = spawnCli(['worker'], workerEnv({ REDIS_URL: `redis://127.0.0.1:${redisPort}`, WORKER_HEALTH_PORT: String(port), JOBS_PREFIX: prefix }))
    try {
      expect(await readyWhen(port, 200, worker)).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok', workers: RUNNING })
      expect(await get(`http://127.0.0.1:${port}/health`)).toEqual({ status: 200, body: '{"status":"ok"}' })
      expect(await get(`http://127.0.0.1:${port}/nothing`)).toEqual({ status: 404, body: '' })

      // One job waiting 10 minutes on the payments queue: counted as delayed; every other count is 0.
      const connection = new Redis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: null })
      const queue = new Queue('payments', { connection, prefix })
      await queue.add('payments.sweep-pending', {}, { delay: 600_000, jobId: 'counted' })
      await queue.close()
      connection.disconnect()
      const metrics = await get(`http://127.0.0.1:${port}/metrics`)
      expect(metrics?.status).toBe(200)
      const jobLines = metrics!.body.split('\n').filter((l) => l.startsWith('mnetifi_jobs{')).sort()
      const expected = QUEUES.flatMap((q) => JOB_STATES.map((s) => `mnetifi_jobs{queue="${q}",state="${s}"} ${q === 'payments' && s === 'delayed' ? 1 : 0}`)).sort()
      expect(jobLines).toEqual(expected)
      expect(metrics!.body).toMatch(/^mnetifi_worker_process_resident_memory_bytes \d+$/m)

      redis.process.kill('SIGTERM')
      await redis.exited
      // Postgres still answers, the workers keep running (reconnecting), Redis is named as the failure.
      expect(await readyWhen(port, 503, worker)).toEqual({ status: 'not-ready', postgres: 'ok', redis: 'failed', workers: RUNNING })
      expect(await get(`http://127.0.0.1:${port}/health`)).toEqual({ status: 200, body: '{"status":"ok"}' })

      redis = startRedis()
      expect(await readyWhen(port, 200, worker)).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok', workers: RUNNING })
      expect(await stop(worker), worker.output()).toEqual({ code: 0, signal: null })
    } finally {
      worker.process.kill('SIGKILL')
      redis.process.kill('SIGKILL')
    }
  }, 90_000)

  it('answers 503 "postgres failed" once its database is gone', async () => {
    const gone = await createTestDatabase('worker_health_gone', { migrate: false })
    const port = await freePort()
    const worker = spawnCli(['worker'], workerEnv({ DATABASE_URL: gone.url, WORKER_HEALTH_PORT: String(port), JOBS_PREFIX: `test-worker-gone-${port}` }))
    try {
      expect(await readyWhen(port, 200, worker)).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok', workers: RUNNING })
      await gone.destroy() // DROP DATABASE … WITH (FORCE): the worker's connections are terminated, new ones refused
      expect(await readyWhen(port, 503, worker)).toEqual({ status: 'not-ready', postgres: 'failed', redis: 'ok', workers: RUNNING })
      expect(await stop(worker), worker.output()).toEqual({ code: 0, signal: null })
    } finally {
      worker.process.kill('SIGKILL')
    }
  })

  it('answers /health but not /ready while its workers cannot start, and a SIGTERM then exits 1 after SHUTDOWN_TIMEOUT_MS', async () => {
    const port = await freePort()
    const nowhere = await freePort() // nothing listens there: the BullMQ workers wait for Redis forever
    const worker = spawnCli(['worker'], workerEnv({
      REDIS_URL: `redis://127.0.0.1:${nowhere}`, WORKER_HEALTH_PORT: String(port), SHUTDOWN_TIMEOUT_MS: '1500', JOBS_PREFIX: `test-worker-nowhere-${port}`,
    }))
    try {
      expect(await readyWhen(port, 503, worker)).toEqual({
        status: 'not-ready', postgres: 'ok', redis: 'failed', workers: { payments: 'starting', notifications: 'starting', routers: 'starting' },
      })
      expect(await get(`http://127.0.0.1:${port}/health`)).toEqual({ status: 200, body: '{"status":"ok"}' })
      const sent = Date.now()
      worker.process.kill('SIGTERM')
      expect(await worker.exited).toEqual({ code: 1, signal: null })
      expect(Date.now() - sent).toBeGreaterThanOrEqual(1500)
      expect(worker.output()).toContain('worker did not stop within 1500 ms: exiting')
    } finally {
      worker.process.kill('SIGKILL')
    }
  })
})
