import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdminUser, createLogger, createSecretBox } from '@mnetifi/db'
import { createTestDatabase, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'
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

  it('folds accounting into the report roll-ups in the background and sweeps expired sessions', async () => {
    const config = testConfig({ USAGE_FOLD_INTERVAL_SECONDS: 1 })
    const tenant = await insertTestTenant(tdb.db)
    const admin = await createAdminUser(tdb.db, { tenant_id: tenant.id, role: 'TENANT_STAFF', email: 'sweep@example.com', password_hash: 'x' })
    await tdb.db.insertInto('admin_sessions').values({ id: 'a'.repeat(64), admin_id: admin.id, expires_at: new Date(Date.now() - 1000) }).execute()
    // Idle past SESSION_IDLE_TIMEOUT_SECONDS though not expired: swept too. A fresh one stays.
    await tdb.db.insertInto('admin_sessions').values({
      id: 'b'.repeat(64), admin_id: admin.id, expires_at: new Date(Date.now() + 3_600_000), last_seen_at: new Date(Date.now() - (config.SESSION_IDLE_TIMEOUT_SECONDS + 5) * 1000),
    }).execute()
    await tdb.db.insertInto('admin_sessions').values({ id: 'c'.repeat(64), admin_id: admin.id, expires_at: new Date(Date.now() + 3_600_000) }).execute()
    await tdb.db.insertInto('radacct').values({ acctsessionid: 'bg1', acctuniqueid: 'bg1', username: 'bg', nasipaddress: '10.9.9.9', tenant_id: tenant.id, acctstarttime: new Date(), acctinputoctets: 42 }).execute()
    const api = await startApi(config, { db: tdb.db, log: createLogger({ level: 'silent' }), secretBox: createSecretBox(config.MNETIFI_SECRET_KEY), coa: null })
    try {
      await new Promise((r) => setTimeout(r, 1500))
      const rows = await tdb.db.selectFrom('usage_daily').select(['sessions', 'input_octets']).where('tenant_id', '=', tenant.id).execute()
      expect(rows).toEqual([{ sessions: 1, input_octets: 42 }])
      expect(await tdb.db.selectFrom('admin_sessions').select('id').execute()).toEqual([{ id: 'c'.repeat(64) }])
    } finally {
      await api.close()
    }
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
