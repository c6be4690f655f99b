import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createSecretBox } from '@mnetifi/db'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { startApi } from '../src/server.js'
import { loadConfig } from '../src/config.js'
import { testConfig } from './helper.js'

let tdb: TestDatabase
beforeAll(async () => { tdb = await createTestDatabase('api_server') })
afterAll(async () => { await tdb.destroy() })

describe('startApi', () => {
  it('listens on a real port, answers HTTP with a request id, and closes', async () => {
    const config = testConfig()
    const api = await startApi(config, { db: tdb.db, log: createLogger({ level: 'silent' }), secretBox: createSecretBox(config.MNETIFI_SECRET_KEY) })
    try {
      expect(api.port).toBeGreaterThan(0)
      const res = await fetch(`http://127.0.0.1:${api.port}/api/auth/me`, { headers: { 'x-request-id': 'trace-123' } })
      expect(res.status).toBe(401)
      expect(res.headers.get('x-request-id')).toBe('trace-123')
      expect(await res.json()).toEqual({ error: 'UNAUTHENTICATED', message: 'Sign in first' })
    } finally {
      await api.close()
    }
    await expect(fetch(`http://127.0.0.1:${api.port}/api/auth/me`)).rejects.toThrow()
  })
})

describe('loadConfig', () => {
  it('names every bad variable at once and freezes the result', () => {
    expect(() => loadConfig({ API_PORT: 'abc' })).toThrow(/MNETIFI_SECRET_KEY[\s\S]*API_PORT[\s\S]*SESSION_SECRET|MNETIFI_SECRET_KEY[\s\S]*SESSION_SECRET/)
    const config = loadConfig({ MNETIFI_SECRET_KEY: 'k1:x', SESSION_SECRET: 'x'.repeat(32), API_PORT: '8080', SESSION_COOKIE_SECURE: 'true' })
    expect(config).toMatchObject({ API_PORT: 8080, API_HOST: '0.0.0.0', SESSION_COOKIE_SECURE: true, SESSION_TTL_SECONDS: 28800 })
    expect(Object.isFrozen(config)).toBe(true)
  })
})
