/**
 * Per-user advisory locks in the authorize batch (AUTHORIZE_SQL): two batches that share two users must not
 * deadlock, also when one of them reaches a user through a MAC login (User-Name = the device's MAC, whose lock
 * is the paying user's name). Before the statement sorted its locks, batch B = [bob, zed] and batch A =
 * [zed's MAC, bob] (the order the old username sort gave) locked in row order: A held zed and waited for bob,
 * B held bob and waited for zed, and Postgres killed one after deadlock_timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pg } from '@mnetifi/db'
import { createTestDatabase, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import { AUTHORIZE_SQL, type AuthorizeData } from '../../src/store/hot-path.js'
import { eventually } from '../helper.js'

let t: TestDatabase
let pool: pg.Pool
let tenant: TenantRow
const ZED_MAC = '02:00:00:00:00:7a'

beforeAll(async () => {
  t = await createTestDatabase('radiusd_authorize_locks')
  pool = new pg.Pool({ connectionString: t.url, max: 4 })
  // Dropping the test database at teardown terminates connections still closing; that is not a test failure.
  pool.on('error', () => {})
  tenant = await insertTestTenant(t.db)
  const plan = await insertTestPlan(t.db, tenant.id)
  const expiry_time = new Date(Date.now() + 3600_000)
  await insertTestUser(t.db, tenant.id, { username: 'bob', password: 'pw', current_plan_id: plan.id, expiry_time })
  const zed = await insertTestUser(t.db, tenant.id, { username: 'zed', password: 'pw', current_plan_id: plan.id, expiry_time })
  await t.db.insertInto('wifi_user_devices').values({ tenant_id: tenant.id, user_id: zed.id, mac_address: ZED_MAC }).execute()
})
afterAll(async () => { await pool?.end(); await t?.destroy() })

/** Rows as [User-Name, MAC or null]; runs one authorize batch (its devices named after `device`) on its own connection. */
async function batch(device: string, rows: [string, string | null][]): Promise<AuthorizeData[]> {
  const res = await pool.query<{ r: AuthorizeData }>({
    text: AUTHORIZE_SQL,
    values: [rows.map(() => tenant.id), rows.map(([u]) => u), rows.map(([, m]) => m), rows.map(([u]) => `${device}:${u}`),
      rows.map(() => '127.0.0.1'), rows.map(() => 300), 60, 30],
  })
  return res.rows.map((row) => row.r)
}

async function lockWaiters(): Promise<number> {
  const res = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`)
  return res.rows[0]!.n
}

describe('authorize batch lock order', () => {
  it('two batches sharing two users, one via a MAC login, both finish (no deadlock)', async () => {
    // A third session holds bob's lock so that B queues for bob first, then A takes zed and queues behind B.
    const holder = await pool.connect()
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1 || '/bob', 0))`, [tenant.id])
      const b = batch('B', [['bob', null], ['zed', null]])
      expect(await eventually(async () => (await lockWaiters()) === 1)).toBe(true)
      const a = batch('A', [[ZED_MAC, ZED_MAC], ['bob', null]])
      // Under the fix A waits without holding anything (or B does); either way one waiter more.
      expect(await eventually(async () => (await lockWaiters()) === 2)).toBe(true)
      await holder.query(`SELECT pg_advisory_unlock(hashtextextended($1 || '/bob', 0))`, [tenant.id])
      const [ra, rb] = await Promise.allSettled([a, b])
      // Without the sorted locks: "deadlock detected" after deadlock_timeout for one of them.
      expect(ra.status === 'rejected' ? String(ra.reason) : 'ok').toBe('ok')
      expect(rb.status === 'rejected' ? String(rb.reason) : 'ok').toBe('ok')
      // Each user was claimed twice from two devices: the second claim saw the first (Simultaneous-Use stays race-free).
      const results = [...(ra.status === 'fulfilled' ? ra.value : []), ...(rb.status === 'fulfilled' ? rb.value : [])]
      expect(results.map((r) => r.user?.username).sort()).toEqual(['bob', 'bob', 'zed', 'zed'])
      expect(results.map((r) => r.occupancy).sort()).toEqual([0, 0, 1, 1])
    } finally {
      holder.release()
    }
  })
})
