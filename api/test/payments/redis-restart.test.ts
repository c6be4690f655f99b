/**
 * Redis restarts while a poll job is waiting. With the append-only file (production) the delayed job survives
 * and runs; with no persistence at all the jobs are gone and the workers' pending sweep schedules the poll
 * again from Postgres. Each payment is credited exactly once. Uses its own redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { addLiveSession, coaFor, creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'
import { startOwnRedis } from './own-redis.js'

async function buyThenRestart(h: Harness, restart: () => Promise<void>) {
  const phone = nextPhone()
  await addLiveSession(h, phone)
  h.sim.queueScenarioForPhone(phone, { outcome: 'success', callback: 'lost' })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  expect(await h.queue.queue.getDelayedCount()).toBe(1)
  await restart()
  const f = await waitFor(async () => { const x = await creditFacts(h, transaction.id); return x.tx.credited_at ? x : undefined }, 20_000, 'credit')
  expect(f.tx).toMatchObject({ status: 'COMPLETED', settled_by: 'POLL' })
  expect(f.outbox).toHaveLength(1)
  expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
  await waitFor(async () => coaFor(h, phone).length > 0, 10_000, 'CoA at the NAS')
  expect(coaFor(h, phone)).toHaveLength(1)
}

describe('Redis restarted with a poll job pending', () => {
  let redis: Awaited<ReturnType<typeof startOwnRedis>>
  let h: Harness
  beforeAll(async () => {
    redis = await startOwnRedis({ persistent: true })
    h = await startHarness('redis_aof', { redisUrl: redis.url, config: { PAYMENTS_POLL_DELAY_MS: 1500 } })
  })
  afterAll(async () => { await h?.close(); await redis?.close() })

  it('keeps the delayed job across the restart (append-only file) and credits once', async () => {
    await buyThenRestart(h, () => redis.restart())
  })
})

describe('Redis restarted and its data lost', () => {
  let redis: Awaited<ReturnType<typeof startOwnRedis>>
  let h: Harness
  beforeAll(async () => {
    redis = await startOwnRedis({ persistent: false })
    h = await startHarness('redis_lost', { redisUrl: redis.url, sweepEveryMs: 500, config: { PAYMENTS_POLL_DELAY_MS: 1500 } })
  })
  afterAll(async () => { await h?.close(); await redis?.close() })

  it('re-schedules the poll from Postgres and credits once', async () => {
    await buyThenRestart(h, async () => {
      await redis.restart()
      // Everything Redis held is gone (the queue reconnects first).
      expect(await waitFor(() => h.queue.queue.getDelayedCount().then((n) => n === 0).catch(() => false), 5000, 'reconnect')).toBe(true)
    })
  })
})
