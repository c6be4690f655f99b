import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import { withTenantScope } from '../../src/lib/tenant-scope.js'

let tdb: TestDatabase
let a: string
let b: string
beforeAll(async () => {
  tdb = await createTestDatabase('api_rls')
  a = (await insertTestTenant(tdb.db, { name: 'ISP A' })).id
  b = (await insertTestTenant(tdb.db, { name: 'ISP B' })).id
  for (const [tenant, ip] of [[a, '10.0.0.1'], [b, '10.0.0.2']] as const) {
    const plan = await insertTestPlan(tdb.db, tenant)
    await insertTestHotspot(tdb.db, tenant, { nas_ip: ip })
    await insertTestUser(tdb.db, tenant, { current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    await tdb.db.insertInto('radacct').values({ acctsessionid: `s-${ip}`, acctuniqueid: `u-${ip}`, username: 'x', nasipaddress: ip, tenant_id: tenant, acctstarttime: new Date() }).execute()
  }
})
afterAll(async () => { await tdb.destroy() })

describe('row-level security', () => {
  it('hides other tenants from queries that omit the tenant filter on purpose', async () => {
    const seen = await withTenantScope(tdb.db, a, async (trx) => ({
      tenants: (await trx.selectFrom('tenants').select('id').execute()).map((r) => r.id),
      users: (await trx.selectFrom('wifi_users').select('tenant_id').execute()).map((r) => r.tenant_id),
      plans: (await trx.selectFrom('plans').select('tenant_id').execute()).map((r) => r.tenant_id),
      hotspots: (await trx.selectFrom('hotspots').select('tenant_id').execute()).map((r) => r.tenant_id),
      radacct: (await trx.selectFrom('radacct').select('tenant_id').execute()).map((r) => r.tenant_id),
      radcheck: [...new Set((await trx.selectFrom('radcheck').select('tenant_id').execute()).map((r) => r.tenant_id))],
      nas: (await trx.selectFrom('nas').select('tenant_id').execute()).map((r) => r.tenant_id),
    }))
    expect(seen).toEqual({ tenants: [a], users: [a], plans: [a], hotspots: [a], radacct: [a], radcheck: [a], nas: [a] })
    // The privileged connection (no scope) sees both, so the filter above is RLS's doing.
    expect(await tdb.db.selectFrom('wifi_users').select('tenant_id').execute()).toHaveLength(2)
  })

  it('refuses to write a row for another tenant (WITH CHECK)', async () => {
    await expect(withTenantScope(tdb.db, a, (trx) => insertTestPlan(trx, b))).rejects.toThrow(/row-level security/)
  })

  it('cannot update or delete another tenant’s rows even by id', async () => {
    const foreign = await tdb.db.selectFrom('wifi_users').select('id').where('tenant_id', '=', b).executeTakeFirstOrThrow()
    const changed = await withTenantScope(tdb.db, a, async (trx) => {
      const u = await trx.updateTable('wifi_users').set({ notes: 'hacked' }).where('id', '=', foreign.id).executeTakeFirst()
      const d = await trx.deleteFrom('wifi_users').where('id', '=', foreign.id).executeTakeFirst()
      return [Number(u.numUpdatedRows), Number(d.numDeletedRows)]
    })
    expect(changed).toEqual([0, 0])
  })

  it('sees nothing when the tenant setting is missing, and the scope ends with the transaction', async () => {
    const rows = await tdb.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE mnetifi_app`.execute(trx)
      return trx.selectFrom('wifi_users').selectAll().execute()
    })
    expect(rows).toEqual([])
    await withTenantScope(tdb.db, a, async () => undefined)
    const after = await sql<{ role: string; tenant: string | null }>`SELECT current_user AS role, nullif(current_setting('mnetifi.tenant_id', true), '') AS tenant`.execute(tdb.db)
    expect(after.rows[0]).toEqual({ role: 'postgres', tenant: null })
  })

  it('still lets the mirror triggers write rad* rows for the scoped tenant', async () => {
    const user = await withTenantScope(tdb.db, a, async (trx) => {
      const plan = await insertTestPlan(trx, a, { name: 'Scoped' })
      return insertTestUser(trx, a, { current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    })
    const check = await tdb.db.selectFrom('radcheck').select(['attribute', 'tenant_id']).where('username', '=', user.username).execute()
    expect(check.map((r) => r.attribute).sort()).toEqual(['Cleartext-Password', 'Expiration'])
    expect(new Set(check.map((r) => r.tenant_id))).toEqual(new Set([a]))
  })
})
