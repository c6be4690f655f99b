/**
 * Tenancy: the same phone or username in two ISPs is two users, and no query in db/ returns another tenant's
 * rows unless its name says it is platform-level (…AcrossTenants / …AcrossPlatform).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  findHotspotById, findPlanById, findWifiUserById, findWifiUserByPhone, findWifiUserByUsername, listHotspots, listPlans,
  listWifiUsers, updateWifiUser, updatePlan, updateHotspot,
} from '@mnetifi/db'
import {
  createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase,
} from '@mnetifi/db/testing'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('tenancy') })
afterAll(async () => { await t?.destroy() })
beforeEach(async () => { await t.truncate() })

async function twoTenants() {
  const a = await insertTestTenant(t.db, { name: 'ISP A' })
  const b = await insertTestTenant(t.db, { name: 'ISP B' })
  const planA = await insertTestPlan(t.db, a.id)
  const planB = await insertTestPlan(t.db, b.id)
  const hsA = await insertTestHotspot(t.db, a.id, { nas_ip: '10.0.0.1' })
  const hsB = await insertTestHotspot(t.db, b.id, { nas_ip: '10.0.0.2' })
  const userA = await insertTestUser(t.db, a.id, { phone_number: '254712345678', username: '0712345678', current_plan_id: planA.id })
  const userB = await insertTestUser(t.db, b.id, { phone_number: '254712345678', username: '0712345678', current_plan_id: planB.id })
  return { a, b, planA, planB, hsA, hsB, userA, userB }
}

describe('tenancy', () => {
  it('the same phone number and username in two tenants are two users', async () => {
    const { userA, userB } = await twoTenants()
    expect(userA.id).not.toBe(userB.id)
    // One account per phone *and account type* (migration 2026_11_27_100000): a second HOTSPOT account for the
    // phone is refused, a PPPoE account beside it is the same customer's home line.
    await expect(insertTestUser(t.db, userA.tenant_id, { phone_number: '254712345678' })).rejects.toThrow(/wifi_users_tenant_phone_type_key/)
    const home = await insertTestUser(t.db, userA.tenant_id, { phone_number: '254712345678', account_type: 'PPPOE' })
    expect((await findWifiUserByPhone(t.db, userA.tenant_id, '254712345678', 'PPPOE'))?.id).toBe(home.id)
    expect((await findWifiUserByPhone(t.db, userA.tenant_id, '254712345678', 'HOTSPOT'))?.id).toBe(userA.id)
  })

  it('every tenant-scoped query sees only its own tenant', async () => {
    const { a, b, planA, planB, hsA, hsB, userA, userB } = await twoTenants()
    expect((await findWifiUserByPhone(t.db, a.id, '254712345678', 'HOTSPOT'))?.id).toBe(userA.id)
    expect((await findWifiUserByUsername(t.db, b.id, '0712345678'))?.id).toBe(userB.id)
    expect(await findWifiUserById(t.db, a.id, userB.id)).toBeUndefined()
    expect(await findPlanById(t.db, a.id, planB.id)).toBeUndefined()
    expect(await findHotspotById(t.db, b.id, hsA.id)).toBeUndefined()
    expect((await listWifiUsers(t.db, a.id)).map((u) => u.id)).toEqual([userA.id])
    expect((await listWifiUsers(t.db, b.id, { search: '0712' })).map((u) => u.id)).toEqual([userB.id])
    expect((await listPlans(t.db, a.id)).map((p) => p.id)).toEqual([planA.id])
    expect((await listHotspots(t.db, b.id)).map((h) => h.id)).toEqual([hsB.id])
    expect(await updateWifiUser(t.db, a.id, userB.id, { full_name: 'x' })).toBeUndefined()
    expect(await updatePlan(t.db, a.id, planB.id, { name: 'x' })).toBeUndefined()
    expect(await updateHotspot(t.db, a.id, hsB.id, { location_name: 'x' })).toBeUndefined()
  })

  it('the database refuses a user whose plan belongs to another tenant', async () => {
    const { a, planB } = await twoTenants()
    await expect(insertTestUser(t.db, a.id, { current_plan_id: planB.id })).rejects.toThrow(/foreign key/)
  })

  it('every table with a tenant_id has forced row-level security with a tenant policy', async () => {
    const { sql } = await import('kysely')
    const r = await sql<{ table_name: string; rls: boolean; forced: boolean; policies: number }>`
      SELECT c.relname AS table_name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
        (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation') AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM information_schema.columns col
          WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'tenant_id'))
      ORDER BY 1`.execute(t.db)
    expect(r.rows.length).toBeGreaterThan(25)
    expect(r.rows.filter((row) => !(row.rls && row.forced && row.policies === 1)).map((row) => row.table_name)).toEqual([])
  })

  it('no exported query reaches across tenants unless its name says so', () => {
    const root = new URL('../src', import.meta.url).pathname
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (name.endsWith('.queries.ts')) files.push(path)
      }
    }
    walk(root)
    expect(files.length).toBeGreaterThan(3)
    const offenders: string[] = []
    for (const file of files) {
      const source = readFileSync(file, 'utf8')
      for (const m of source.matchAll(/export (?:async )?function\*?\s*(\w+)\s*\(([^)]*)\)/g)) {
        const [, name, params] = m as unknown as [string, string, string]
        const scoped = /^\s*\w+: [^,]+,\s*tenantId: string/.test(params)
        const platform = /Across(Tenants|Platform)$/.test(name)
        // The new row carries its own tenant_id.
        const creates = /^create[A-Z]/.test(name) || /^\s*\w+: [^,]+,\s*\w+: New[A-Z]\w*\b/.test(params)
        const resolvesTenant = file.endsWith('tenants.queries.ts') && /^findTenantBy/.test(name) // finds which tenant
        if (!scoped && !platform && !creates && !resolvesTenant) offenders.push(`${file.slice(root.length)}: ${name}`)
      }
    }
    expect(offenders).toEqual([])
  })
})
