/**
 * A worker process is SIGKILLed in the middle of a poll job (inside a slow STK query). The job's lock expires,
 * another worker takes it over, and the payment is credited exactly once.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { addLiveSession, coaFor, creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('worker_crash', { worker: false, sim: { queryDelayMs: 1500 }, config: { JOBS_LOCK_MS: 1000 } })
})
afterAll(async () => { await h?.close() })

it('recovers a job from a worker killed mid-job and credits once', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/test/payments/worker-child.ts'], {
    env: { ...process.env, WORKER_CHILD: JSON.stringify({ databaseUrl: h.dbUrl, secretKey: h.secretKey, config: h.config }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() })
    child.once('exit', (code) => reject(new Error(`worker child exited early (${code})`)))
  })
  const phone = nextPhone()
  await addLiveSession(h, phone)
  h.sim.queueScenarioForPhone(phone, { outcome: 'success', callback: 'lost' })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  // The child is inside the 1.5 s STK query of the poll job: kill it there.
  await waitFor(async () => (await h.queue.queue.getActiveCount()) > 0, 10_000, 'an active poll job')
  await new Promise((r) => setTimeout(r, 300))
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited
  expect((await creditFacts(h, transaction.id)).tx.status).toBe('PENDING')

  await h.startAnotherWorker()
  const f = await waitFor(async () => { const x = await creditFacts(h, transaction.id); return x.tx.credited_at ? x : undefined }, 20_000, 'credit')
  expect(f.tx).toMatchObject({ status: 'COMPLETED', settled_by: 'POLL', reconciliation_status: 'MATCHED' })
  expect(f.outbox).toHaveLength(1)
  expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
  await waitFor(async () => coaFor(h, phone).length > 0, 10_000, 'CoA at the NAS')
  expect(coaFor(h, phone)).toHaveLength(1)
})
