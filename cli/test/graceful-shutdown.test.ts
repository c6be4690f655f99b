/**
 * SIGTERM to the real processes (`node cli/bin/mnetifi.js api | worker | radiusd`) while work is in flight. The
 * work is held in flight for real: the test holds an ACCESS EXCLUSIVE lock on the table the request or job reads,
 * so it waits inside Postgres until the test commits. Each process must finish that work, refuse new work, close
 * its pool and Redis connections and exit 0 by itself (a pool or connection left open would keep it alive: the
 * forced exits log "did not stop" or "still holds the process open", and neither may appear).
 */
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSecretKey } from '@mnetifi/db'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import { freePort, get, REDIS_URL, serviceEnv, sleep, spawnCli, tryConnect, waitFor, type Child } from './processes.js'


let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('graceful_shutdown') })
afterAll(async () => { await t?.destroy() })

const env = (over: Record<string, string>) => serviceEnv(t.url, generateSecretKey('k1'), over)

/** A transaction holding `table` exclusively until `release()` commits it. */
async function lockTable(table: 'plans' | 'transactions'): Promise<{ release(): Promise<void> }> {
  let release!: () => void
  let locked!: () => void
  const isLocked = new Promise<void>((r) => { locked = r })
  const released = new Promise<void>((r) => { release = r })
  const done = t.db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE ${sql.table(table)} IN ACCESS EXCLUSIVE MODE`.execute(trx)
    locked()
    await released
  })
  await Promise.race([isLocked, done])
  return { async release() { release(); await done } }
}

/** Resolves once a backend of `application` waits for a lock in this database. */
async function waitingOnLock(application: string, child: Child): Promise<void> {
  await waitFor(`${application} waiting on the lock`, async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${application} AND wait_event_type = 'Lock'`.execute(t.db)
    return rows[0]!.n > 0 ? true : undefined
  }, 20_000, child.output)
}

function assertStoppedByItself(child: Child): void {
  expect(child.output()).toMatch(/stopped"/)
  expect(child.output()).not.toMatch(/did not stop within|still holds the process open/)
}

describe('SIGTERM with work in flight', () => {
  it('api: the slow request in flight gets its full answer, new connections are refused, exit 0', async () => {
    const tenant = await insertTestTenant(t.db, { subdomain: `shut${randomBytes(3).toString('hex')}` })
    const plan = await insertTestPlan(t.db, tenant.id, { name: 'Day pass', price: 50, duration_seconds: 86_400 })
    const port = await freePort()
    let lock: { release(): Promise<void> } | undefined
    const api = spawnCli(['api'], env({ API_PORT: String(port), API_HOST: '127.0.0.1', REDIS_KEY_PREFIX: `test-shutdown-${port}:` }))
    try {
      await waitFor('api ready', async () => ((await get(`http://127.0.0.1:${port}/api/ready`))?.status === 200 ? true : undefined), 30_000, api.output)
      lock = await lockTable('plans')
      const inFlight = fetch(`http://127.0.0.1:${port}/api/portal/${tenant.subdomain}/plans`).then(async (r) => ({ status: r.status, body: await r.json() as unknown }))
      await waitingOnLock('api', api)

      api.process.kill('SIGTERM')
      // The listener closes at once: a new connection is refused while the request above still waits.
      expect(await waitFor('connection refused', async () => ((await tryConnect(port)) === 'ECONNREFUSED' ? 'ECONNREFUSED' : undefined), 5000, api.output)).toBe('ECONNREFUSED')
      await sleep(300)
      expect(api.running()).toBe(true)

      await lock.release()
      expect(await inFlight).toEqual({
        status: 200,
        body: [{
          id: plan.id, name: 'Day pass', description: plan.description, price: 50, currency: plan.currency, durationSeconds: 86_400,
          uploadLimit: plan.upload_limit, downloadLimit: plan.download_limit, dataQuota: plan.data_quota,
        }],
      })
      expect(await api.exited, api.output()).toEqual({ code: 0, signal: null })
      assertStoppedByItself(api)
    } finally {
      await lock?.release()
      api.process.kill('SIGKILL')
    }
  })

  it('worker: the running job finishes and is marked completed, /ready says shutting-down meanwhile, exit 0', async () => {
    const port = await freePort()
    const prefix = `test-shutdown-${randomBytes(4).toString('hex')}`
    const worker = spawnCli(['worker'], env({ WORKER_HEALTH_PORT: String(port), JOBS_PREFIX: prefix }))
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
    const queue = new Queue('payments', { connection, prefix })
    let lock: { release(): Promise<void> } | undefined
    try {
      await waitFor('worker ready', async () => ((await get(`http://127.0.0.1:${port}/ready`))?.status === 200 ? true : undefined), 30_000, worker.output)
      lock = await lockTable('transactions')
      // A CoA round for a transaction: its first query reads `transactions`, so it waits on the lock.
      const payload = { tenantId: randomUUID(), transactionId: randomUUID() }
      const job = await queue.add('payments.coa-after-credit', payload, { jobId: `coa-${payload.transactionId}`, attempts: 5 })
      await waitingOnLock('worker', worker)
      expect(await job.getState()).toBe('active')

      worker.process.kill('SIGTERM')
      // At once 503; the idle queues stop within moments, payments keeps running until its job is done.
      expect(await waitFor('/ready 503 with the idle queues stopped', async () => {
        const r = await get(`http://127.0.0.1:${port}/ready`)
        const body = r?.status === 503 ? JSON.parse(r.body) as { workers: Record<string, string> } : undefined
        return body?.workers.notifications === 'stopped' && body.workers.routers === 'stopped' ? body : undefined
      }, 5000, worker.output)).toEqual({ status: 'shutting-down', workers: { payments: 'running', notifications: 'stopped', routers: 'stopped' } })
      await sleep(500)
      expect(worker.running()).toBe(true) // still waiting for its job
      expect(await job.getState()).toBe('active')

      await lock.release()
      expect(await worker.exited, worker.output()).toEqual({ code: 0, signal: null })
      assertStoppedByItself(worker)
      const done = (await queue.getJob(job.id!))!
      expect(await done.getState()).toBe('completed')
      expect(done.returnvalue).toEqual({ skipped: 'not credited' })
      expect(done.attemptsMade).toBe(1)
      expect(done.failedReason).toBeUndefined()
      // Its listener went with it.
      expect(await tryConnect(port)).toBe('ECONNREFUSED')
    } finally {
      await lock?.release()
      worker.process.kill('SIGKILL')
      await queue.obliterate({ force: true }).catch(() => {})
      await queue.close()
      connection.disconnect()
    }
  })

  it('radiusd: the request in flight is answered, one arriving after SIGTERM is dropped and counted, exit 0', async () => {
    const tenant = await insertTestTenant(t.db)
    await insertTestHotspot(t.db, tenant.id, { nas_ip: '127.0.0.1', radius_secret: 'testing123' })
    const plan = await insertTestPlan(t.db, tenant.id)
    await insertTestUser(t.db, tenant.id, { username: 'leaving', password: 'right', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3_600_000) })
    const ports = { auth: await freePort('udp'), acct: await freePort('udp'), metrics: await freePort() }
    const radiusd = spawnCli(['radiusd'], env({
      RADIUS_AUTH_PORT: String(ports.auth), RADIUS_ACCT_PORT: String(ports.acct), RADIUS_BIND_ADDRESS: '127.0.0.1',
      RADIUS_METRICS_PORT: String(ports.metrics), RADIUS_REJECT_DELAY_MS: '1500',
    }))
    /** radclient (freeradius-utils) sends one Access-Request, 3 s timeout, no retry: what it printed. */
    const radclient = (user: string, password: string) => new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = execFile('radclient', ['-t', '3', '-r', '1', `127.0.0.1:${ports.auth}`, 'auth', 'testing123'], (_err, stdout, stderr) => {
        resolve({ stdout, stderr })
      })
      child.stdin!.end(`User-Name = ${user}\nUser-Password = ${password}\n`)
    })
    try {
      await waitFor('radiusd ready', async () => ((await get(`http://127.0.0.1:${ports.metrics}/ready`))?.status === 200 ? true : undefined), 30_000, radiusd.output)
      // A wrong password: radiusd holds the Access-Reject for 1.5 s (reject delay), so it is in flight at SIGTERM.
      const inFlight = radclient('leaving', 'wrong')
      await sleep(300)
      radiusd.process.kill('SIGTERM')
      await sleep(300)
      const late = radclient('leaving', 'right')
      await sleep(300)
      const metrics = await get(`http://127.0.0.1:${ports.metrics}/metrics`)
      expect(metrics?.body).toMatch(/^radiusd_dropped_packets_total\{reason="shutting-down"\} 1$/m)
      const answered = await inFlight
      expect(answered.stdout).toMatch(/Received Access-Reject Id \d+ from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+ length \d+/)
      expect(await radiusd.exited, radiusd.output()).toEqual({ code: 0, signal: null })
      assertStoppedByItself(radiusd)
      const dropped = await late
      expect(dropped.stdout).toMatch(/^Sent Access-Request Id \d+ from 0\.0\.0\.0:\d+ to 127\.0\.0\.1:\d+ length \d+\n$/)
      expect(dropped.stderr).not.toMatch(/Received/)
    } finally {
      radiusd.process.kill('SIGKILL')
    }
  })
})
