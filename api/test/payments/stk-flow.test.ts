/**
 * End to end against the simulator over real HTTP, real Postgres and real Redis: each path ends with exactly
 * one credit (or none), the exact new expiry_time and the transaction's final state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import { insertTestUser } from '@mnetifi/db/testing'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { sweepPendingPayments } from '../../src/jobs/sweep-pending.job.js'
import type { SimScenario } from '../../src/daraja-sim/scenarios.js'
import { addLiveSession, coaFor, creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

let h: Harness
beforeAll(async () => { h = await startHarness('stk_flow') })
afterAll(async () => { await h?.close() })

async function buy(scenario: SimScenario, phone = nextPhone()) {
  h.sim.queueScenarioForPhone(phone, scenario)
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone: `0${phone.slice(3)}`, hotspotId: h.hotspot.id, macAddress: 'AA-BB-CC-00-11-22' })
  return transaction
}

const settled = (id: string) => waitFor(async () => {
  const f = await creditFacts(h, id)
  return f.tx.status !== 'PENDING' && (f.tx.status === 'FAILED' || f.tx.credited_at || f.tx.reconciliation_status !== 'MATCHED') ? f : undefined
}, 15_000, `transaction ${id} to settle`)

/** Asserts one credit whose expiry is exactly max(previous, credited_at) + 1 h. */
function expectOneCredit(f: Awaited<ReturnType<typeof creditFacts>>, previousExpiry: Date | null) {
  expect(f.tx.status).toBe('COMPLETED')
  expect(f.tx.reconciliation_status).toBe('MATCHED')
  expect(f.tx.credited_at).toBeInstanceOf(Date)
  expect(f.outbox).toHaveLength(1)
  expect(f.user!.current_plan_id).toBe(h.plan.id)
  expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(previousExpiry, f.tx.credited_at!, 3600).toISOString())
}

describe('STK push end to end', () => {
  it('credits once when the callback arrives, with the receipt, for a new customer', async () => {
    const tx = await buy({ outcome: 'success', callback: 'normal' })
    const f = await settled(tx.id)
    expectOneCredit(f, null)
    expect(f.tx.settled_by).toBe('CALLBACK')
    expect(f.tx.mpesa_receipt).toBe(h.sim.payment(tx.checkout_request_id!)!.receipt)
    expect(f.user!.username).toBe(tx.user_phone)
    const device = await h.db.selectFrom('wifi_user_devices').selectAll().where('user_id', '=', f.user!.id).execute()
    expect(device.map((d) => d.mac_address)).toEqual(['aa:bb:cc:00:11:22'])
    const kinds = f.tx.provider_log.map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['stk.push.request', 'stk.push.response', 'stk.callback', 'settlement']))
    expect(JSON.stringify(f.tx.provider_log)).not.toContain(h.sim.url.length > 0 ? 'bfb279f9aa9bdbcf' : 'x')
  })

  it('settles by the poll when the callback is lost, without a receipt, and sends one CoA to the live session', async () => {
    const phone = nextPhone()
    await addLiveSession(h, phone)
    const tx = await buy({ outcome: 'success', callback: 'lost' }, phone)
    const f = await settled(tx.id)
    expectOneCredit(f, null)
    expect(f.tx.settled_by).toBe('POLL')
    expect(f.tx.mpesa_receipt).toBeNull()
    await waitFor(async () => coaFor(h, phone).length > 0, 5000, 'CoA')
    expect(coaFor(h, phone)).toEqual([expect.objectContaining({ rateLimit: '2M/5M', acctSessionId: `s-${phone}` })])
  })

  it('keeps polling while Daraja says "being processed", then settles', async () => {
    const tx = await buy({ outcome: 'success', callback: 'lost', processingMs: 1200 })
    const f = await settled(tx.id)
    expectOneCredit(f, null)
    expect(f.tx.settled_by).toBe('POLL')
    const pendingReplies = f.tx.provider_log.filter((e) => e.kind === 'stk.query.response' && (e.data as { status: number }).status === 500)
    expect(pendingReplies.length).toBeGreaterThanOrEqual(2)
  })

  it('adds the plan to the end of a running one, to the second', async () => {
    const phone = nextPhone()
    const running = new Date(Date.now() + 2 * 3600_000 + 789)
    await insertTestUser(h.db, h.tenant.id, { phone_number: phone, username: `run${phone.slice(-6)}`, current_plan_id: h.plan.id, expiry_time: running })
    const tx = await buy({ outcome: 'success' }, phone)
    const f = await settled(tx.id)
    expectOneCredit(f, running)
    expect(f.user!.expiry_time!.getTime()).toBe(Math.floor(running.getTime() / 1000) * 1000 + 3600_000)
  })

  it.each([
    ['cancelled', '1032', 'CANCELLED'], ['timeout', '1037', 'TIMEOUT'], ['wrong_pin', '2001', 'WRONG_PIN'], ['insufficient', '1', 'INSUFFICIENT_FUNDS'],
  ] as const)('stores %s (%s) as FAILED %s and credits nothing', async (outcome, code, reason) => {
    const tx = await buy({ outcome, callback: 'normal' })
    const f = await settled(tx.id)
    expect(f.tx.status).toBe('FAILED')
    expect(f.tx.result_code).toBe(code)
    expect(f.tx.failure_reason).toBe(reason)
    expect(f.tx.credited_at).toBeNull()
    expect(f.outbox).toHaveLength(0)
  })

  it('credits once however many duplicate callbacks arrive, with one CoA', async () => {
    const phone = nextPhone()
    await addLiveSession(h, phone)
    const tx = await buy({ outcome: 'success', callback: 'duplicated', duplicates: 4 }, phone)
    const f = await settled(tx.id)
    await waitFor(async () => h.sim.deliveries.filter((d) => JSON.stringify(d.body).includes(tx.checkout_request_id!)).length >= 4)
    await new Promise((r) => setTimeout(r, 600))
    const again = await creditFacts(h, tx.id)
    expectOneCredit(again, null)
    expect(again.tx.credited_at).toEqual(f.tx.credited_at)
    expect(again.tx.provider_log.filter((e) => e.kind === 'stk.callback')).toHaveLength(4)
    expect(coaFor(h, phone)).toHaveLength(1)
  })

  it('fills in the receipt from a callback that arrives after the poll settled, without a second credit', async () => {
    const phone = nextPhone()
    await addLiveSession(h, phone)
    const tx = await buy({ outcome: 'success', callback: 'delayed', callbackDelayMs: 1500 }, phone)
    const first = await settled(tx.id)
    expect(first.tx.settled_by).toBe('POLL')
    expect(first.tx.mpesa_receipt).toBeNull()
    const later = await waitFor(async () => { const f = await creditFacts(h, tx.id); return f.tx.mpesa_receipt ? f : undefined }, 10_000, 'receipt')
    expect(later.tx.mpesa_receipt).toBe(h.sim.payment(tx.checkout_request_id!)!.receipt)
    expect(later.tx.credited_at).toEqual(first.tx.credited_at)
    expect(later.user!.expiry_time).toEqual(first.user!.expiry_time)
    expectOneCredit(later, null)
    expect(coaFor(h, phone)).toHaveLength(1)
  })

  it('settles a callback that arrives before the push stored its CheckoutRequestID', async () => {
    const txs = await Promise.all(Array.from({ length: 5 }, () => buy({ outcome: 'success', processingMs: 0, replyDelayMs: 300 })))
    for (const tx of txs) {
      const f = await settled(tx.id)
      expectOneCredit(f, null)
      expect(f.tx.settled_by).toBe('CALLBACK')
    }
    const review = await h.db.selectFrom('transactions').select('id').where('tenant_id', '=', h.tenant.id)
      .where('checkout_request_id', 'in', txs.map((t) => t.checkout_request_id!)).where('reconciliation_status', '=', 'MANUAL_REVIEW').execute()
    expect(review).toEqual([])
  })

  it('does not credit a callback whose amount differs from the price (UNMATCHED)', async () => {
    const tx = await buy({ outcome: 'success', callback: 'different_amount' })
    const f = await waitFor(async () => { const x = await creditFacts(h, tx.id); return x.tx.reconciliation_status === 'UNMATCHED' ? x : undefined })
    expect(f.tx.status).toBe('COMPLETED')
    expect(f.tx.credited_at).toBeNull()
    expect(f.outbox).toHaveLength(0)
    // The poll that follows sees a settled transaction and must not credit it either.
    await new Promise((r) => setTimeout(r, 800))
    expect((await creditFacts(h, tx.id)).tx.credited_at).toBeNull()
  })

  it('keeps a success callback for an unknown CheckoutRequestID as MANUAL_REVIEW, never credited', async () => {
    const body = {
      Body: { stkCallback: {
        MerchantRequestID: 'x-1', CheckoutRequestID: 'ws_CO_UNKNOWN000001', ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
        CallbackMetadata: { Item: [{ Name: 'Amount', Value: 50 }, { Name: 'MpesaReceiptNumber', Value: 'UKQ0UNKNWN' }, { Name: 'PhoneNumber', Value: 254700000001 }] },
      } },
    }
    const res = await fetch(`${h.url}/hooks/daraja/stk/${h.tenant.callback_token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.status).toBe(200)
    // It waits for a push reply that never comes; the sweep gives it up after the TTL.
    await sweepPendingPayments({ ...h.ctx, now: () => new Date(Date.now() + h.config.PAYMENTS_EARLY_CALLBACK_TTL_MS + 1000) })
    const tx = await h.db.selectFrom('transactions').selectAll().where('checkout_request_id', '=', 'ws_CO_UNKNOWN000001').executeTakeFirstOrThrow()
    expect(tx).toMatchObject({ reconciliation_status: 'MANUAL_REVIEW', credited_at: null, mpesa_receipt: 'UKQ0UNKNWN', amount: 5000 })
  })

  it('answers 404 for a wrong token and refuses a malformed callback', async () => {
    const wrong = await fetch(`${h.url}/hooks/daraja/stk/${'0'.repeat(64)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(wrong.status).toBe(404)
    const bad = await fetch(`${h.url}/hooks/daraja/stk/${h.tenant.callback_token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Body":{}}' })
    expect(await bad.json()).toEqual({ ResultCode: 1, ResultDesc: 'Rejected: payload did not validate' })
  })

  it('tells the customer to wait 2 minutes when M-Pesa rule-limits the same amount twice (17)', async () => {
    const phone = nextPhone()
    const first = await buy({ outcome: 'success' }, phone)
    await settled(first.id)
    const second = await buy({}, phone)
    const f = await settled(second.id)
    expect(f.tx).toMatchObject({ status: 'FAILED', result_code: '17', failure_reason: 'RULE_LIMITED', credited_at: null })
  })
})
