import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createLogger, createSecretBox } from '@mnetifi/db'
import { buildApp } from '../../src/app.js'
import { buildTestApp, testConfig, type TestContext } from '../helper.js'

let ctx: TestContext
beforeAll(async () => { ctx = await buildTestApp('api_health') })
afterAll(async () => { await ctx.close() })

describe('health and readiness', () => {
  it('answers liveness and readiness without a session', async () => {
    const live = await ctx.app.inject({ method: 'GET', url: '/api/health' })
    expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }])
    const ready = await ctx.app.inject({ method: 'GET', url: '/api/ready' })
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', postgres: 'ok', redis: 'ok' }])
  })

  it('is not ready when Redis does not answer, and says which dependency failed', async () => {
    const config = testConfig()
    // A Redis client pointed at a closed port: the API is alive but must not take traffic.
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
    deadRedis.on('error', () => {})
    const app = await buildApp(config, { db: ctx.tdb.db, redis: deadRedis, log: createLogger({ level: 'silent' }), secretBox: createSecretBox(config.MNETIFI_SECRET_KEY), coa: null })
    await app.ready()
    try {
      const res = await app.inject({ method: 'GET', url: '/api/ready' })
      expect([res.statusCode, res.json()]).toEqual([503, { status: 'not-ready', postgres: 'ok', redis: 'failed' }])
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
    } finally {
      await app.close()
      deadRedis.disconnect()
    }
  })
})
