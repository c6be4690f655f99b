/**
 * SIGTERM (close()) mid-request: radiusd stops taking new requests — they are dropped and counted, so the router
 * retransmits to its next server — and answers the ones already in flight before its sockets close. A 600 ms
 * reject delay keeps a request in flight long enough to watch.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { RunningRadiusd } from '../../src/main.js'
import { radclient, sleep, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
beforeAll(async () => {
  t = await createTestDatabase('radiusd_shutdown')
  const tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id, { nas_ip: '127.0.0.1', radius_secret: SECRET })
  const plan = await insertTestPlan(t.db, tenant.id)
  await insertTestUser(t.db, tenant.id, { username: 'leaving', password: 'right', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3_600_000) })
  radiusd = await startTestRadiusd(t, { RADIUS_REJECT_DELAY_MS: 600 })
})
afterAll(async () => { await t?.destroy() })

it('answers the request in flight, drops and counts the ones that arrive while it stops, then closes', async () => {
  const inFlight = radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = leaving\nUser-Password = wrong'], { timeoutS: 3, retries: 1 })
  await sleep(150)
  const closed = radiusd.close()
  await sleep(100)
  const late = radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = leaving\nUser-Password = right'], { timeoutS: 1, retries: 1 })
  await sleep(150)
  const metrics = await fetch(`http://127.0.0.1:${radiusd.metricsPort}/metrics`).then((r) => r.text())
  expect(metrics).toMatch(/radiusd_dropped_packets_total\{reason="shutting-down"\} 1\n/)
  expect((await inFlight).map((r) => r.code)).toEqual(['Access-Reject'])
  await closed
  expect(await late).toEqual([])
})
