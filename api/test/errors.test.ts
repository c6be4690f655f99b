/**
 * "No stack traces to clients; request ids in logs": a bug inside a route answers a generic 500 whose
 * X-Request-Id finds the real error (with its stack) in the log, and a refusal is logged under the same id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretBox, generateSecretKey, type Logger } from '@mnetifi/db'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { buildApp, type App } from '../src/app.js'
import { testConfig } from './helper.js'

type LogRecord = Record<string, unknown> & { level: string }

/** A pino-shaped logger that keeps every record (with its child bindings) in `records`. */
function captureLogger(records: LogRecord[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: unknown, msg?: string) => {
    records.push({ level, ...bindings, ...(typeof obj === 'object' && obj !== null ? obj : { msg: obj }), ...(msg ? { msg } : {}) })
  }
  return {
    level: 'trace', trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), fatal: write('fatal'),
    silent: () => {}, child: (more: Record<string, unknown>) => captureLogger(records, { ...bindings, ...more }),
  } as unknown as Logger
}

const records: LogRecord[] = []
let tdb: TestDatabase
let app: App
beforeAll(async () => {
  tdb = await createTestDatabase('api_errors')
  const config = testConfig()
  app = await buildApp(config, { db: tdb.db, redis: null, log: captureLogger(records), secretBox: createSecretBox(generateSecretKey('t1')) })
  // A route with a bug, added only here.
  app.get('/api/test/boom', async () => { throw new TypeError("Cannot read properties of undefined (reading 'tenant_id') at /srv/api/secret.ts:12") })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await tdb.destroy()
})

describe('errors reaching clients and logs', () => {
  it('answers a bug with a generic 500 (no message, no stack) and logs the real error under the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/boom', headers: { 'x-request-id': 'req-boom-1' } })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: 'INTERNAL', message: 'Something went wrong on our side' })
    expect(res.body).not.toMatch(/tenant_id|secret\.ts| at /)
    expect(res.headers['x-request-id']).toBe('req-boom-1')
    const logged = records.find((r) => r.level === 'error' && r.reqId === 'req-boom-1')
    expect(logged).toMatchObject({ msg: 'request failed', code: 'INTERNAL', component: 'api' })
    const err = logged!.err as Error
    expect(err).toBeInstanceOf(TypeError)
    expect(err.stack).toContain('errors.test.ts')
  })

  it('makes a request id when the caller sends none, returns it, and logs refusals under it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/me' })
    expect(res.statusCode).toBe(401)
    const id = res.headers['x-request-id'] as string
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(records.filter((r) => r.reqId === id).map((r) => r.msg)).toContain('Sign in first')
  })
})
