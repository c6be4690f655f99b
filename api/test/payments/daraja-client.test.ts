/**
 * The Daraja client over real HTTP: against the simulator (token single flight, refresh on "Invalid Access
 * Token", pending as a value, subscriber lock, redaction) and against a small misbehaving server (spike arrest
 * and timeouts are retried for queries with backoff, never for a push).
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderLogEntry } from '@mnetifi/db'
import { startDarajaSim, type DarajaSim } from '../../src/daraja-sim/main.js'
import { createDarajaClient } from '../../src/payments/daraja/client.js'
import { DarajaError } from '../../src/payments/daraja/errors.js'
import { createDarajaTokenCache } from '../../src/payments/daraja/oauth.js'
import { createRedisDarajaTokenCache } from '../../src/payments/daraja/redis-token-cache.js'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { REDIS_URL } from './helper.js'
import { SANDBOX_SHORTCODE, SIMULATOR_CREDENTIALS } from '../../src/payments/daraja/tenant-client.js'

let sim: DarajaSim
let flaky: FastifyInstance
let flakyUrl: string
const hits = { push: 0, query: 0 }

beforeAll(async () => {
  sim = await startDarajaSim({ port: 0, defaults: { processingMs: 300, callback: 'lost' } })
  flaky = Fastify()
  flaky.get('/oauth/v1/generate', async () => ({ access_token: 'tok', expires_in: '3599' }))
  flaky.post('/mpesa/stkpush/v1/processrequest', async (_req, reply) => { hits.push++; return reply.code(500).send({ requestId: 'r', errorCode: '500.003.02', errorMessage: 'Spike Arrest Violation' }) })
  flaky.post('/mpesa/stkpushquery/v1/query', async (_req, reply) => {
    hits.query++
    if (hits.query <= 2) return reply.code(500).send({ requestId: 'r', errorCode: '500.003.02', errorMessage: 'Spike Arrest Violation' })
    return { ResponseCode: '0', ResponseDescription: 'ok', MerchantRequestID: 'm', CheckoutRequestID: 'c', ResultCode: '1032', ResultDesc: 'Request cancelled by user' }
  })
  flaky.post('/slow/mpesa/stkpushquery/v1/query', async () => new Promise(() => {}))
  flaky.post('/slow/mpesa/stkpush/v1/processrequest', async () => { hits.push++; return new Promise(() => {}) })
  flaky.get('/slow/oauth/v1/generate', async () => ({ access_token: 'tok', expires_in: 3599 }))
  flakyUrl = await flaky.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await sim?.close()
  // The slow routes never answer: drop their sockets before closing.
  flaky?.server.closeAllConnections()
  await flaky?.close()
})

const client = (baseUrl: string, cache = createDarajaTokenCache(), timeoutMs = 2000) => createDarajaClient({
  baseUrl, shortcode: SANDBOX_SHORTCODE, transactionType: 'CustomerPayBillOnline', credentials: SIMULATOR_CREDENTIALS, tokenCache: cache,
  timeoutMs, retry: { attempts: 3, baseMs: 20 },
})
const push = (c: ReturnType<typeof client>, phone: string, log?: (e: ProviderLogEntry) => void) =>
  c.stkPush({ phone, amount: 50, callbackUrl: 'http://127.0.0.1:9/hooks/daraja/stk/t', accountReference: 'TEST', description: '1 Hour' }, log)

describe('against the simulator', () => {
  it('fetches one OAuth token for 20 concurrent calls', async () => {
    const cache = createDarajaTokenCache()
    const c = client(sim.url, cache)
    const res = await Promise.all(Array.from({ length: 20 }, (_, i) => push(c, `25471100${String(i).padStart(4, '0')}`)))
    expect(new Set(res.map((r) => r.CheckoutRequestID)).size).toBe(20)
    expect(cache.fetchCount).toBe(1)
  })
  it('shares one token between processes through Redis (a new token would invalidate the old one)', async () => {
    const redisA = new Redis(REDIS_URL)
    const redisB = new Redis(REDIS_URL)
    const prefix = `test-${randomUUID()}:token:`
    try {
      const a = createRedisDarajaTokenCache(redisA, { prefix })
      const b = createRedisDarajaTokenCache(redisB, { prefix })
      const calls = await Promise.all(Array.from({ length: 10 }, (_, i) => push(client(sim.url, i % 2 ? a : b), `25471300${String(i).padStart(4, '0')}`)))
      expect(calls).toHaveLength(10)
      expect(a.fetchCount + b.fetchCount).toBe(1)
    } finally {
      const keys = await redisA.keys(`${prefix}*`)
      if (keys.length) await redisA.del(...keys)
      redisA.disconnect(); redisB.disconnect()
    }
  })

  it('refreshes once and retries once after "Invalid Access Token"', async () => {
    const cache = createDarajaTokenCache()
    await cache.get(`${sim.url}|${SIMULATOR_CREDENTIALS.consumerKey}`, async () => ({ token: 'revoked', expiresInSeconds: 3599 }))
    const outcome = await client(sim.url, cache).stkQuery((await push(client(sim.url), '254711200001')).CheckoutRequestID)
    expect(outcome).toEqual({ kind: 'pending' })
    expect(cache.fetchCount).toBe(2)
  })
  it('loses its token when another process fetches a new one, then refreshes once and retries once', async () => {
    const mine = createDarajaTokenCache()
    const theirs = createDarajaTokenCache()
    const c = client(sim.url, mine)
    const first = await push(c, '254711400001')
    expect(mine.fetchCount).toBe(1)
    // Another process with the same consumer key and its own cache: the simulator revokes our token (Daraja does).
    await push(client(sim.url, theirs), '254711400002')
    const log: ProviderLogEntry[] = []
    expect(await c.stkQuery(first.CheckoutRequestID, (e) => log.push(e))).toEqual({ kind: 'pending' })
    expect(mine.fetchCount).toBe(2)
    // One refused call ("Invalid Access Token"), one retry with the new token: no loop.
    const statuses = log.filter((e) => e.kind.endsWith('.response')).map((e) => (e.data as { status: number }).status)
    expect(statuses).toEqual([404, 500])
    // The other process's token is now the revoked one; its own refresh-once path recovers too.
    expect(await client(sim.url, theirs).stkQuery(first.CheckoutRequestID)).toEqual({ kind: 'pending' })
    expect(theirs.fetchCount).toBe(2)
  })

  it('returns "being processed" as pending, then the final answer as a string code', async () => {
    sim.queueScenarioForPhone('254711200002', { outcome: 'cancelled', processingMs: 200 })
    const c = client(sim.url)
    const { CheckoutRequestID } = await push(c, '254711200002')
    expect(await c.stkQuery(CheckoutRequestID)).toEqual({ kind: 'pending' })
    await new Promise((r) => setTimeout(r, 300))
    expect(await c.stkQuery(CheckoutRequestID)).toEqual({ kind: 'final', resultCode: '1032', resultDesc: 'Request cancelled by user' })
  })
  it('reports a second prompt to a phone with one open as subscriber_locked', async () => {
    const c = client(sim.url)
    await push(c, '254711200003')
    await expect(push(c, '254711200003')).rejects.toMatchObject({ kind: 'subscriber_locked' })
  })
  it('sends a till push with the till number as PartyB (CustomerBuyGoodsOnline)', async () => {
    const log: ProviderLogEntry[] = []
    const till = createDarajaClient({
      baseUrl: sim.url, shortcode: SANDBOX_SHORTCODE, transactionType: 'CustomerBuyGoodsOnline', tokenCache: createDarajaTokenCache(),
      credentials: { ...SIMULATOR_CREDENTIALS, tillNumber: '5123456' },
    })
    await push(till, '254711200007', (e) => log.push(e))
    expect((log[0]!.data as { body: Record<string, string> }).body).toMatchObject({
      TransactionType: 'CustomerBuyGoodsOnline', BusinessShortCode: SANDBOX_SHORTCODE, PartyB: '5123456', PartyA: '254711200007', Amount: '50',
    })
  })

  it('records request and response without secrets', async () => {
    const log: ProviderLogEntry[] = []
    await push(client(sim.url), '254711200004', (e) => log.push(e))
    expect(log.map((e) => e.kind)).toEqual(['stk.push.request', 'stk.push.response'])
    const text = JSON.stringify(log)
    expect(text).toContain('"Password":"[redacted]"')
    expect(text).not.toContain(Buffer.from(`174379${SIMULATOR_CREDENTIALS.passkey}`).toString('base64').slice(0, 40))
  })
})

describe('against a misbehaving server', () => {
  it('retries a query through spike arrest with backoff, but never a push', async () => {
    const c = client(flakyUrl)
    expect(await c.stkQuery('c')).toEqual({ kind: 'final', resultCode: '1032', resultDesc: 'Request cancelled by user' })
    expect(hits.query).toBe(3)
    const before = hits.push
    await expect(push(c, '254711200005')).rejects.toMatchObject({ kind: 'busy' })
    expect(hits.push - before).toBe(1)
  })
  it('times out; a push that timed out is unknown_outcome and not repeated', async () => {
    const c = client(`${flakyUrl}/slow`, createDarajaTokenCache(), 200)
    await expect(c.stkQuery('c')).rejects.toBeInstanceOf(DarajaError)
    const before = hits.push
    await expect(push(c, '254711200006')).rejects.toMatchObject({ kind: 'unknown_outcome' })
    expect(hits.push - before).toBe(1)
  })
})
