/**
 * When the poll gives up (customer slower than the polling budget, callback lost), the transaction stays
 * PENDING with POLL_EXHAUSTED; "I paid but I'm not online" by phone asks M-Pesa again and credits once, with a
 * CoA to the live session. A late callback after the poll gave up also credits (once).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import { insertTestUser } from '@mnetifi/db/testing'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { recoverPayment } from '../../src/payments/recovery/recovery.service.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('recovery', { config: { PAYMENTS_POLL_DELAY_MS: 200, PAYMENTS_POLL_INTERVAL_MS: 150, PAYMENTS_POLL_BUDGET_MS: 600 } })
})
afterAll(async () => { await h?.close() })

const exhausted = (id: string) => waitFor(async () => {
  const f = await creditFacts(h, id)
  return f.tx.failure_reason === 'POLL_EXHAUSTED' ? f : undefined
}, 10_000, 'poll to give up')

it('recovers by phone after the poll gave up, crediting once and reaching the live session', async () => {
  const phone = nextPhone()
  const user = await insertTestUser(h.db, h.tenant.id, { phone_number: phone, username: phone })
  await h.db.insertInto('radacct').values({
    acctsessionid: `s-${phone}`, acctuniqueid: `u-${phone}`, username: phone, nasipaddress: '127.0.0.1', acctstarttime: new Date(), tenant_id: h.tenant.id,
  }).execute()
  h.sim.queueScenarioForPhone(phone, { outcome: 'success', callback: 'lost', processingMs: 1500 })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  const gaveUp = await exhausted(transaction.id)
  expect(gaveUp.tx.status).toBe('PENDING')
  expect(await recoverPayment(h.ctx, h.tenant, { phone: `0${phone.slice(3)}` })).toMatchObject({ status: 'FAILED' })
  await waitFor(async () => h.sim.payment(transaction.checkout_request_id!)?.completedAt, 5000, 'customer to pay')
  const answer = await recoverPayment(h.ctx, h.tenant, { phone: `0${phone.slice(3)}` })
  expect(answer).toMatchObject({ status: 'ACTIVATED', transactionId: transaction.id })
  const f = await creditFacts(h, transaction.id)
  expect(f.tx).toMatchObject({ status: 'COMPLETED', settled_by: 'RECOVERY', failure_reason: null, reconciliation_status: 'MATCHED' })
  expect(f.user!.id).toBe(user.id)
  expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
  await waitFor(async () => h.nas.received.find((r) => r.userName === phone && r.code === 'CoA-Request'), 5000, 'CoA')
  // Asking again reports the active plan and credits nothing more.
  expect(await recoverPayment(h.ctx, h.tenant, { phone })).toMatchObject({ status: 'ACTIVATED' })
  expect((await creditFacts(h, transaction.id)).outbox).toHaveLength(1)
})

it('credits once from a callback that arrives after the poll gave up', async () => {
  const phone = nextPhone()
  h.sim.queueScenarioForPhone(phone, { outcome: 'success', callback: 'normal', processingMs: 1200 })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  await exhausted(transaction.id)
  const f = await waitFor(async () => { const x = await creditFacts(h, transaction.id); return x.tx.credited_at ? x : undefined }, 10_000, 'credit')
  expect(f.tx).toMatchObject({ settled_by: 'CALLBACK', mpesa_receipt: h.sim.payment(transaction.checkout_request_id!)!.receipt })
  expect(f.outbox).toHaveLength(1)
})
