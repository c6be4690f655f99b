/**
 * After a credit, a live session gets the new plan by CoA on a real UDP socket (fake NAS); a NAK falls back to
 * a Disconnect; a customer without a session gets nothing sent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { insertTestHotspot, insertTestUser } from '@mnetifi/db/testing'
import { startPurchase } from '../../src/payments/purchase.service.js'
import { creditFacts, nextPhone, startHarness, waitFor, type Harness } from './helper.js'
import { startFakeNas } from './fake-nas.js'

let h: Harness
beforeAll(async () => { h = await startHarness('coa') })
afterAll(async () => { await h?.close() })

async function liveUser(nasIp: string) {
  const phone = nextPhone()
  const user = await insertTestUser(h.db, h.tenant.id, { phone_number: phone, username: `live${phone.slice(-6)}` })
  await h.db.insertInto('radacct').values({
    acctsessionid: `sess-${phone}`, acctuniqueid: `uniq-${phone}`, username: user.username, nasipaddress: nasIp,
    acctstarttime: new Date(), framedipaddress: '10.5.50.7', tenant_id: h.tenant.id,
  }).execute()
  return { phone, user }
}

it('sends a CoA with the plan rate limit and the new Session-Timeout to the live session', async () => {
  const { phone, user } = await liveUser('127.0.0.1')
  h.sim.queueScenarioForPhone(phone, { outcome: 'success' })
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  const req = await waitFor(async () => h.nas.received.find((r) => r.userName === user.username), 10_000, 'CoA at the NAS')
  const f = await creditFacts(h, transaction.id)
  expect(req).toMatchObject({ code: 'CoA-Request', acctSessionId: `sess-${phone}`, rateLimit: '2M/5M' })
  const expected = Math.floor((f.user!.expiry_time!.getTime() - Date.now()) / 1000)
  expect(req.sessionTimeout).toBeGreaterThanOrEqual(expected - 2)
  expect(req.sessionTimeout).toBeLessThanOrEqual(3600)
  const coaLog = await waitFor(async () => (await creditFacts(h, transaction.id)).tx.provider_log.find((e) => e.kind === 'coa'))
  expect(coaLog.data).toEqual([{ session: `sess-${phone}`, nasIp: '127.0.0.1', result: 'coa-ack' }])
})

it('falls back to a Disconnect when the NAS NAKs the CoA', async () => {
  const nakNas = await startFakeNas('nak-secret', { nakCoa: true, host: '127.0.0.2' })
  try {
    await insertTestHotspot(h.db, h.tenant.id, { nas_ip: '127.0.0.2', coa_port: nakNas.port, radius_secret: 'nak-secret', location_name: 'NAK' })
    const { phone, user } = await liveUser('127.0.0.2')
    h.sim.queueScenarioForPhone(phone, { outcome: 'success' })
    await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
    await waitFor(async () => nakNas.received.find((r) => r.code === 'Disconnect-Request' && r.userName === user.username), 10_000, 'Disconnect')
    expect(nakNas.received.filter((r) => r.userName === user.username).map((r) => r.code)).toEqual(['CoA-Request', 'Disconnect-Request'])
    // Both answers count towards the router's CoA success rate (its health page): one NAK, then one ACK.
    const stats = await waitFor(async () => {
      const row = await h.db.selectFrom('nas_coa_stats').selectAll().where('nas_ip', '=', '127.0.0.2').executeTakeFirst()
      return row && row.requests === 2 ? row : undefined
    }, 5_000, 'CoA counted')
    expect(stats).toMatchObject({ tenant_id: h.tenant.id, requests: 2, acks: 1, naks: 1, timeouts: 0 })
  } finally {
    await nakNas.close()
  }
})

it('sends nothing when the customer has no open session', async () => {
  const phone = nextPhone()
  h.sim.queueScenarioForPhone(phone, { outcome: 'success' })
  const before = h.nas.received.length
  const { transaction } = await startPurchase(h.ctx, h.tenant, { planId: h.plan.id, phone })
  const coaLog = await waitFor(async () => (await creditFacts(h, transaction.id)).tx.provider_log.find((e) => e.kind === 'coa'), 10_000, 'coa log')
  expect(coaLog.data).toEqual([])
  expect(h.nas.received.length).toBe(before)
})
