/** A running radiusd tells a healthcheck it is alive and ready (its database answers) on the metrics port. */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import type { RunningRadiusd } from '../../src/main.js'
import { startTestRadiusd } from '../helper.js'

let t: TestDatabase
let radiusd: RunningRadiusd
beforeAll(async () => {
  t = await createTestDatabase('radiusd_health')
  radiusd = await startTestRadiusd(t)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

it('answers /health and /ready with the database reachable', async () => {
  const health = await fetch(`http://127.0.0.1:${radiusd.metricsPort}/health`)
  expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }])
  const ready = await fetch(`http://127.0.0.1:${radiusd.metricsPort}/ready`)
  expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', postgres: 'ok' }])
})
