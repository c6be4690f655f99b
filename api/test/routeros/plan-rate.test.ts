/**
 * A plan's new rate reaches live sessions: by CoA where the router ACKs it, and through the RouterOS API (the
 * session ends and logs in again at the new rate) where the router NAKs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertTestPlan, insertTestUser } from '@mnetifi/db/testing'
import type { CoaAttributes, NasTarget, SessionControl } from '../../src/lib/session-control.js'
import { startRouterStack, type RouterStack } from './provisioned-router.js'

/** A CoA client whose routers ACK only when listed (the others NAK: Session-Context-Not-Found). */
const acking = new Set<string>()
const sent: { nasIp: string; attributes: CoaAttributes }[] = []
const coa: SessionControl = {
  async disconnect() { return { kind: 'ack' } },
  async changeAuthorization(target: NasTarget, attributes: CoaAttributes) {
    sent.push({ nasIp: target.nasIp, attributes })
    return acking.has(target.nasIp) ? { kind: 'ack' } : { kind: 'nak', errorCause: 503 }
  },
}

let stack: RouterStack
beforeAll(async () => { stack = await startRouterStack('routeros-plan-rate', {}, { coa }) })
afterAll(async () => stack.close())

describe('applying a plan\'s rate to live sessions', () => {
  it('uses CoA where it works and the router API where the router refuses it', async () => {
    const coaRouter = await stack.provision('CoA Works')
    const apiRouter = await stack.provision('CoA Refused')
    acking.add(coaRouter.tunnelAddress)
    const plan = await insertTestPlan(stack.ctx.tdb.db, stack.tenant.id, { upload_limit: 2_000_000, download_limit: 10_000_000 })
    for (const u of ['rate-1', 'rate-2']) {
      await insertTestUser(stack.ctx.tdb.db, stack.tenant.id, { username: u, password: `pw-${u}`, current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    }
    expect((await coaRouter.router.hotspotLogin('rate-1', 'pw-rate-1', { mac: 'AA:BB:CC:00:02:01', ip: '10.5.70.1' })).ok).toBe(true)
    expect((await apiRouter.router.hotspotLogin('rate-2', 'pw-rate-2', { mac: 'AA:BB:CC:00:02:02', ip: '10.5.70.2' })).ok).toBe(true)

    const patched = await stack.ctx.app.inject({ method: 'PATCH', url: `/api/plans/${plan.id}`, headers: { cookie: stack.tenant.owner }, payload: { burstRateUp: 4_000_000, burstRateDown: 20_000_000, burstThresholdUp: 1_000_000, burstThresholdDown: 8_000_000, burstTime: 10 } })
    expect(patched.statusCode).toBe(200)
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/apply-to-live-sessions`, headers: { cookie: stack.tenant.owner } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      rateLimit: '2M/10M 4M/20M 1M/8M 10/10', sessions: 2, coa: { acked: 1, outcomes: ['ack', 'nak'] },
      routerApi: { path: 'router-api', sessions: 1, routers: 1 }, unreached: 0,
    })
    expect(sent.map((s) => [s.nasIp, s.attributes['User-Name'], s.attributes['Mikrotik-Rate-Limit']])).toEqual([
      [coaRouter.tunnelAddress, 'rate-1', '2M/10M 4M/20M 1M/8M 10/10'], [apiRouter.tunnelAddress, 'rate-2', '2M/10M 4M/20M 1M/8M 10/10'],
    ])
    expect(coaRouter.router.items('/ip/hotspot/active').map((a) => a.user)).toEqual(['rate-1'])
    expect(apiRouter.router.items('/ip/hotspot/active')).toEqual([])
  })

  it('says when there is nothing to change', async () => {
    const plan = await insertTestPlan(stack.ctx.tdb.db, stack.tenant.id, { name: 'Unused plan' })
    const res = await stack.ctx.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/apply-to-live-sessions`, headers: { cookie: stack.tenant.owner } })
    expect(res.json()).toEqual({ rateLimit: '2M/5M', sessions: 0, coa: { acked: 0, outcomes: [] }, routerApi: { path: 'not-used', reason: 'no-live-session' }, unreached: 0 })
  })
})
