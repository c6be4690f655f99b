/**
 * PAYMENTS_CALLBACK_IP_ALLOWLIST over real HTTP: the hooks run in a Fastify app with trustProxy, so the source
 * is the X-Forwarded-For client address. A callback from outside the list is accepted (200) and recorded, but
 * is no evidence: it cannot fail a paid purchase, fill in a receipt, or lend a push its CheckoutRequestID.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorHandlerPlugin } from '../../src/plugins/error-handler.js'
import { darajaHooksRoutes } from '../../src/routes/payments/hooks.js'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'

const SAFARICOM = '196.201.214.200'
const ELSEWHERE = '203.0.113.9'
let h: Harness
let proxied: FastifyInstance
let proxiedUrl: string

beforeAll(async () => {
  h = await startHarness('allowlist')
  proxied = Fastify({ logger: false, trustProxy: true })
  proxied.setValidatorCompiler(validatorCompiler)
  proxied.setSerializerCompiler(serializerCompiler)
  await proxied.register(errorHandlerPlugin)
  await proxied.register(darajaHooksRoutes, { prefix: '/hooks/daraja', ctx: { ...h.ctx, config: { ...h.config, PAYMENTS_CALLBACK_IP_ALLOWLIST: [SAFARICOM] } } })
  proxiedUrl = await proxied.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => { await proxied?.close(); await h?.close() })

const postFrom = (ip: string, path: string, body: unknown) => fetch(`${proxiedUrl}/hooks/daraja${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body),
})

function callbackBody(checkoutRequestId: string, resultCode: number, receipt?: string) {
  const p = h.sim.payment(checkoutRequestId)!
  return {
    Body: { stkCallback: {
      MerchantRequestID: p.merchantRequestId, CheckoutRequestID: checkoutRequestId, ResultCode: resultCode, ResultDesc: resultCode === 0 ? 'The service request is processed successfully.' : 'Request cancelled by user',
      ...(resultCode === 0 ? { CallbackMetadata: { Item: [{ Name: 'Amount', Value: p.amount }, { Name: 'MpesaReceiptNumber', Value: receipt }, { Name: 'PhoneNumber', Value: Number(p.phone) }] } } : {}),
    } },
  }
}

async function buy(scenario: Parameters<Harness['sim']['queueScenarioForPhone']>[1]) {
  const phone = nextPhone()
  h.sim.queueScenarioForPhone(phone, scenario)
  return (await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone: `0${phone.slice(3)}`, hotspotId: h.hotspot.id })).transaction
}

describe('callback source allow-list', () => {
  it('records a failure callback from outside the list but credits the paid purchase once, by the STK query', async () => {
    const tx = await buy({ outcome: 'success', processingMs: 1500, callback: 'lost' })
    const res = await postFrom(ELSEWHERE, `/stk/${h.tenant.callback_token}/${tx.id}`, callbackBody(tx.checkout_request_id!, 1032))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' })
    const f = await waitFor(async () => { const x = await creditFacts(h, tx.id); return x.tx.credited_at ? x : undefined }, 15_000, 'the credit')
    expect(f.tx).toMatchObject({ status: 'COMPLETED', reconciliation_status: 'MATCHED', result_code: '0' })
    expect(f.outbox).toHaveLength(1)
    const recorded = f.tx.provider_log.filter((e) => e.kind === 'stk.callback').map((e) => e.data as { trusted: boolean; ip: string })
    expect(recorded).toEqual([expect.objectContaining({ trusted: false, ip: ELSEWHERE })])
  })

  it('fills in a late receipt only from an allow-listed address (X-Forwarded-For through trustProxy)', async () => {
    const tx = await buy({ outcome: 'success', processingMs: 0, callback: 'lost' })
    const polled = await waitFor(async () => { const x = await creditFacts(h, tx.id); return x.tx.credited_at ? x : undefined }, 15_000, 'the poll credit')
    expect(polled.tx.mpesa_receipt).toBeNull()
    const receipt = h.sim.payment(tx.checkout_request_id!)!.receipt!
    expect((await postFrom(ELSEWHERE, `/stk/${h.tenant.callback_token}/${tx.id}`, callbackBody(tx.checkout_request_id!, 0, receipt))).status).toBe(200)
    await waitFor(async () => (await creditFacts(h, tx.id)).tx.provider_log.some((e) => e.kind === 'stk.callback'), 5000, 'the untrusted callback record')
    await new Promise((r) => setTimeout(r, 600))
    expect((await creditFacts(h, tx.id)).tx.mpesa_receipt).toBeNull()
    expect((await postFrom(SAFARICOM, `/stk/${h.tenant.callback_token}/${tx.id}`, callbackBody(tx.checkout_request_id!, 0, receipt))).status).toBe(200)
    const filled = await waitFor(async () => { const x = await creditFacts(h, tx.id); return x.tx.mpesa_receipt ? x : undefined }, 5000, 'the receipt')
    expect(filled.tx.mpesa_receipt).toBe(receipt)
    expect(filled.tx.credited_at!.toISOString()).toBe(polled.tx.credited_at!.toISOString())
    expect(filled.outbox).toHaveLength(1)
  })

  it('does not let a callback from outside the list give a push without a stored reply its CheckoutRequestID', async () => {
    const orphan = await h.db.insertInto('transactions').values({
      tenant_id: h.tenant.id, kind: 'STK_PUSH', plan_id: h.plan.id, user_phone: '254700000077', amount: h.plan.price, provider_log: '[]',
    }).returningAll().executeTakeFirstOrThrow()
    const body = { Body: { stkCallback: { MerchantRequestID: 'm-77', CheckoutRequestID: 'ws_CO_FORGED00000077', ResultCode: 0, ResultDesc: 'ok',
      CallbackMetadata: { Item: [{ Name: 'Amount', Value: 50 }, { Name: 'MpesaReceiptNumber', Value: 'UKQ0FORGE7' }] } } } }
    expect((await postFrom(ELSEWHERE, `/stk/${h.tenant.callback_token}/${orphan.id}`, body)).status).toBe(200)
    const early = await h.db.selectFrom('stk_early_callbacks').selectAll().where('checkout_request_id', '=', 'ws_CO_FORGED00000077').executeTakeFirstOrThrow()
    expect(early).toMatchObject({ resolved_at: null, hinted_transaction_id: orphan.id })
    expect(early.callbacks[0]).toMatchObject({ trusted: false, ip: ELSEWHERE })
    const after = await h.db.selectFrom('transactions').selectAll().where('id', '=', orphan.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ checkout_request_id: null, status: 'PENDING', credited_at: null })
  })
})
