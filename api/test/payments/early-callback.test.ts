/**
 * Callbacks that come before the push reply is stored, over real HTTP against the simulator: the reply 4 s late
 * (longer than the old 3 s wait), the reply lost (the API never stores it), a callback on the old URL without the
 * transaction id, and one nobody ever claims. Each paid purchase ends with exactly one credit and the exact expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extendExpiry } from '@mnetifi/db/domain'
import type { SimScenario } from '../../src/daraja-sim/scenarios.js'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { sweepPendingPayments } from '../../src/jobs/sweep-pending.job.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

let h: Harness
// The push HTTP call times out after 6 s: a 4 s reply is slow but stored, an 8 s reply is lost.
beforeAll(async () => { h = await startHarness('early_cb', { config: { DARAJA_TIMEOUT_MS: 6000 } }) })
afterAll(async () => { await h?.close() })

const purchase = (phone: string) => startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone: `0${phone.slice(3)}`, hotspotId: h.hotspot.id })

async function txOfPhone(phone: string) {
  return waitFor(() => h.db.selectFrom('transactions').selectAll().where('tenant_id', '=', h.tenant.id).where('user_phone', '=', phone).executeTakeFirst(), 5000, 'the transaction row')
}

const credited = (id: string) => waitFor(async () => {
  const f = await creditFacts(h, id)
  return f.tx.credited_at ? f : undefined
}, 15_000, `transaction ${id} to be credited`)

/** One credit: COMPLETED, MATCHED, one confirmation, expiry exactly credited_at + 1 h (new customer). */
function expectOneCredit(f: Awaited<ReturnType<typeof creditFacts>>) {
  expect(f.tx.status).toBe('COMPLETED')
  expect(f.tx.reconciliation_status).toBe('MATCHED')
  expect(f.outbox).toHaveLength(1)
  expect(f.user!.current_plan_id).toBe(h.plan.id)
  expect(f.user!.expiry_time!.toISOString()).toBe(extendExpiry(null, f.tx.credited_at!, 3600).toISOString())
}

async function expectNoReviewAndOneRow(phone: string) {
  const rows = await h.db.selectFrom('transactions').select(['id', 'reconciliation_status']).where('tenant_id', '=', h.tenant.id).where('user_phone', '=', phone).execute()
  expect(rows).toHaveLength(1)
  expect(rows[0]!.reconciliation_status).toBe('MATCHED')
}

/** Waits a little longer so late polls and settlement jobs have run, then checks nothing changed. */
async function stillOnce(id: string, before: Awaited<ReturnType<typeof creditFacts>>) {
  await new Promise((r) => setTimeout(r, 1200))
  const after = await creditFacts(h, id)
  expect(after.tx.credited_at!.toISOString()).toBe(before.tx.credited_at!.toISOString())
  expect(after.outbox).toHaveLength(1)
  expect(after.user!.expiry_time!.toISOString()).toBe(before.user!.expiry_time!.toISOString())
}

function successBody(checkoutRequestId: string) {
  const p = h.sim.payment(checkoutRequestId)!
  return {
    Body: { stkCallback: {
      MerchantRequestID: p.merchantRequestId, CheckoutRequestID: p.checkoutRequestId, ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
      CallbackMetadata: { Item: [{ Name: 'Amount', Value: p.amount }, { Name: 'MpesaReceiptNumber', Value: p.receipt }, { Name: 'Balance' }, { Name: 'PhoneNumber', Value: Number(p.phone) }] },
    } },
  }
}

const post = (path: string, body: unknown) => fetch(`${h.url}/hooks/daraja${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('callbacks before the push reply', () => {
  it('credits once, before the reply, a success callback that overtakes the push reply by 4 s', async () => {
    const phone = nextPhone()
    h.sim.queueScenarioForPhone(phone, { outcome: 'success', processingMs: 0, replyDelayMs: 4000 } satisfies SimScenario)
    const started = Date.now()
    const { transaction } = await purchase(phone)
    const replyStoredAt = Date.now()
    expect(replyStoredAt - started).toBeGreaterThanOrEqual(4000)
    const f = await credited(transaction.id)
    expectOneCredit(f)
    // Settled from the callback (its URL names the transaction) more than 3 s before the reply came back.
    expect(f.tx.credited_at!.getTime()).toBeLessThan(replyStoredAt - 3000)
    expect(f.tx.mpesa_receipt).toBe(h.sim.payment(f.tx.checkout_request_id!)!.receipt)
    expect(f.tx.provider_log.some((e) => e.kind === 'stk.checkout-id-from-callback')).toBe(true)
    await expectNoReviewAndOneRow(phone)
    await stillOnce(transaction.id, f)
  })

  it('credits once a push whose reply is lost (read timeout: the API never stores the CheckoutRequestID)', async () => {
    const phone = nextPhone()
    h.sim.queueScenarioForPhone(phone, { outcome: 'success', processingMs: 300, replyDelayMs: 8000 } satisfies SimScenario)
    await expect(purchase(phone)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' })
    const tx = await txOfPhone(phone)
    const f = await credited(tx.id)
    expectOneCredit(f)
    expect(f.tx.checkout_request_id).toMatch(/^ws_CO_/)
    // The timeout handler did not overwrite the settled transaction.
    expect(f.tx.failure_reason).toBeNull()
    await expectNoReviewAndOneRow(phone)
    await stillOnce(tx.id, f)
  })

  it('keeps a callback on the URL without a transaction id until the push reply is stored, then credits once', async () => {
    const phone = nextPhone()
    h.sim.queueScenarioForPhone(phone, { outcome: 'success', processingMs: 0, replyDelayMs: 4000, callback: 'lost' } satisfies SimScenario)
    const buying = purchase(phone)
    const pay = await waitFor(async () => [...h.sim.payments.values()].find((p) => p.phone === phone && p.receipt), 3000, 'the simulated payment')
    const res = await post(`/stk/${h.tenant.callback_token}`, successBody(pay.checkoutRequestId))
    expect(res.status).toBe(200)
    const early = await h.db.selectFrom('stk_early_callbacks').selectAll().where('checkout_request_id', '=', pay.checkoutRequestId).executeTakeFirstOrThrow()
    expect(early).toMatchObject({ tenant_id: h.tenant.id, resolved_at: null, hinted_transaction_id: null })
    expect(early.callbacks).toHaveLength(1)
    const { transaction } = await buying
    const replyStoredAt = Date.now()
    const f = await credited(transaction.id)
    expectOneCredit(f)
    expect(f.tx.mpesa_receipt).toBe(pay.receipt)
    expect(f.tx.credited_at!.getTime()).toBeGreaterThan(replyStoredAt - 1000)
    const placed = await h.db.selectFrom('stk_early_callbacks').selectAll().where('id', '=', early.id).executeTakeFirstOrThrow()
    expect(placed).toMatchObject({ resolution: 'SETTLED', transaction_id: transaction.id })
    // A sweep afterwards finds nothing to do.
    expect((await sweepPendingPayments(h.ctx)).earlyCallbacks).toEqual({ settled: 0, unknown: 0, waiting: 0 })
    await expectNoReviewAndOneRow(phone)
    await stillOnce(transaction.id, f)
  })

  it('turns a success callback nobody claims into one MANUAL_REVIEW unknown payment after the TTL, never credited', async () => {
    const body = {
      Body: { stkCallback: {
        MerchantRequestID: 'x-2', CheckoutRequestID: 'ws_CO_NEVERPUSHED0001', ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
        CallbackMetadata: { Item: [{ Name: 'Amount', Value: 50 }, { Name: 'MpesaReceiptNumber', Value: 'UKQ0NEVER1' }, { Name: 'PhoneNumber', Value: 254700000002 }] },
      } },
    }
    // Twice (a duplicate): both deliveries are kept on one row.
    for (let i = 0; i < 2; i++) expect((await post(`/stk/${h.tenant.callback_token}`, body)).status).toBe(200)
    const row = await h.db.selectFrom('stk_early_callbacks').selectAll().where('checkout_request_id', '=', 'ws_CO_NEVERPUSHED0001').executeTakeFirstOrThrow()
    expect(row.callbacks).toHaveLength(2)
    // Within the TTL the sweep leaves it waiting.
    expect((await sweepPendingPayments(h.ctx)).earlyCallbacks.waiting).toBeGreaterThanOrEqual(1)
    const later = { ...h.ctx, now: () => new Date(Date.now() + h.config.PAYMENTS_EARLY_CALLBACK_TTL_MS + 1000) }
    await Promise.all([sweepPendingPayments(later), sweepPendingPayments(later)])
    const txs = await h.db.selectFrom('transactions').selectAll().where('tenant_id', '=', h.tenant.id).where('checkout_request_id', '=', 'ws_CO_NEVERPUSHED0001').execute()
    expect(txs).toHaveLength(1)
    expect(txs[0]).toMatchObject({ reconciliation_status: 'MANUAL_REVIEW', credited_at: null, mpesa_receipt: 'UKQ0NEVER1', amount: 5000, status: 'COMPLETED' })
    expect(txs[0]!.provider_log.filter((e) => e.kind === 'stk.callback')).toHaveLength(2)
    const resolved = await h.db.selectFrom('stk_early_callbacks').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
    expect(resolved).toMatchObject({ resolution: 'UNKNOWN', transaction_id: txs[0]!.id })
  })
})
