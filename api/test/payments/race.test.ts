/**
 * Callback and poll racing, many times, with two workers taking jobs from the same queue: the customer answers
 * exactly when the first STK query runs, so the callback settlement and the poll settlement collide.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('race', { config: { PAYMENTS_POLL_DELAY_MS: 300 } })
  await h.startAnotherWorker()
})
afterAll(async () => { await h?.close() })

it('credits exactly once when callback and poll race, 40 purchases over two workers', async () => {
  const purchases = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
    const phone = nextPhone()
    // Answer times spread around the poll instant (300 ms) so both orders and near-ties happen.
    h.sim.queueScenarioForPhone(phone, { outcome: 'success', callback: i % 5 === 0 ? 'duplicated' : 'normal', processingMs: 260 + (i % 9) * 10 })
    return (await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })).transaction
  }))
  const settledBy = new Map<string, number>()
  for (const p of purchases) {
    const f = await waitFor(async () => { const x = await creditFacts(h, p.id); return x.tx.credited_at ? x : undefined }, 15_000, 'credit')
    expect(f.tx.status).toBe('COMPLETED')
    expect(f.outbox).toHaveLength(1)
    expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
    settledBy.set(f.tx.settled_by!, (settledBy.get(f.tx.settled_by!) ?? 0) + 1)
  }
  // Let late callbacks and polls finish, then check again that nothing was credited twice.
  await new Promise((r) => setTimeout(r, 1000))
  const users = await h.db.selectFrom('wifi_users').select(['id', 'expiry_time']).where('tenant_id', '=', h.tenant.id).execute()
  expect(users).toHaveLength(40)
  for (const p of purchases) {
    const f = await creditFacts(h, p.id)
    expect(f.outbox).toHaveLength(1)
    expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
    expect(f.tx.provider_log.filter((e) => e.kind === 'settlement' && (e.data as { credited: boolean }).credited)).toHaveLength(1)
  }
  expect([...settledBy.values()].reduce((a, b) => a + b, 0)).toBe(40)
})
