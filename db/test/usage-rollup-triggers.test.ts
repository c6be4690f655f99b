/**
 * The usage roll-ups stay exactly what radacct says, whatever statements write radacct (the row trigger, and since
 * migration 2026_12_03_500100 the set-based deltas of radiusd's Accounting-On close): after single-row and bulk
 * inserts, interim-style updates, a bulk Accounting-On close, re-dated and re-assigned sessions, the folded
 * usage_daily equals the same figures computed from scratch from radacct.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('usage_rollup_triggers') })
afterAll(async () => { await t?.destroy() })

/** usage_daily after a fold, and the same figures straight from radacct, as comparable row lists. */
async function rollupsAndTruth(): Promise<[unknown[], unknown[]]> {
  await sql`SELECT mnetifi_fold_usage()`.execute(t.db)
  const rollups = await sql`SELECT tenant_id, day, host(nas_ip) AS nas, service, sessions::int, input_octets::bigint AS i, output_octets::bigint AS o, session_time::bigint AS s
    FROM usage_daily WHERE sessions <> 0 OR input_octets <> 0 OR output_octets <> 0 OR session_time <> 0 ORDER BY 1, 2, 3, 4`.execute(t.db)
  const truth = await sql`SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime)) AS day, host(nasipaddress) AS nas,
      CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END AS service, count(*)::int AS sessions,
      sum(coalesce(acctinputoctets, 0))::bigint AS i, sum(coalesce(acctoutputoctets, 0))::bigint AS o, sum(coalesce(acctsessiontime, 0))::bigint AS s
    FROM radacct WHERE tenant_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`.execute(t.db)
  return [rollups.rows, truth.rows]
}

describe('usage roll-up triggers', () => {
  it('match radacct after every kind of write, single-row and bulk', async () => {
    const a = await insertTestTenant(t.db)
    const b = await insertTestTenant(t.db)
    // Bulk insert: 300 sessions over three NAS and two days, a fifth PPPoE; one row without a tenant.
    await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, acctsessiontime,
        acctinputoctets, acctoutputoctets, framedprotocol, tenant_id)
      SELECT 's' || i, 'u' || i, 'user' || (i % 40), ('10.3.0.' || (1 + i % 3))::inet, now() - (i % 2) * interval '1 day', now(), i, 10 * i, 100 * i,
        CASE WHEN i % 5 = 0 THEN 'PPP' END, ${a.id}::uuid FROM generate_series(1, 300) i`.execute(t.db)
    await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, tenant_id)
      VALUES ('x', 'no-tenant', 'ghost', '10.9.9.9', now(), NULL)`.execute(t.db)
    let [rollups, truth] = await rollupsAndTruth()
    expect(rollups).toEqual(truth)
    expect(truth.length).toBe(12)

    // Interim-style single-row updates, then a statement that updates many rows at once.
    for (let i = 1; i <= 20; i++) {
      await sql`UPDATE radacct SET acctinputoctets = acctinputoctets + 5, acctsessiontime = acctsessiontime + 60, acctupdatetime = now() WHERE acctuniqueid = ${'u' + i}`.execute(t.db)
    }
    await sql`UPDATE radacct SET acctoutputoctets = acctoutputoctets * 2 WHERE acctuniqueid LIKE 'u1%'`.execute(t.db)
    // A bulk Accounting-On close of one NAS (session time set for every row).
    await sql`SELECT radiusd_accounting(${JSON.stringify([{ status: 'accounting-on', tenant_id: a.id, acctsessionid: '', acctuniqueid: '', username: '',
      nasipaddress: '10.3.0.2', event_epoch: Math.floor(Date.now() / 1000) + 3600, acctterminatecause: '' }])}::jsonb)`.execute(t.db)
    ;[rollups, truth] = await rollupsAndTruth()
    expect(rollups).toEqual(truth)

    // Sessions that change bucket: re-dated to three days ago, moved to another NAS, to PPPoE, to another tenant.
    await sql`UPDATE radacct SET acctstarttime = acctstarttime - interval '3 days' WHERE acctuniqueid IN ('u30', 'u31', 'u32')`.execute(t.db)
    await sql`UPDATE radacct SET nasipaddress = '10.3.0.9', acctinputoctets = acctinputoctets + 1 WHERE acctuniqueid LIKE 'u4%'`.execute(t.db)
    await sql`UPDATE radacct SET framedprotocol = 'PPP' WHERE acctuniqueid = 'u50'`.execute(t.db)
    await sql`UPDATE radacct SET tenant_id = ${b.id} WHERE acctuniqueid IN ('u60', 'u61')`.execute(t.db)
    await sql`UPDATE radacct SET tenant_id = ${a.id} WHERE acctuniqueid = 'no-tenant'`.execute(t.db)
    // A statement that changes nothing the roll-ups count adds no delta.
    const pending = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM usage_deltas`.execute(t.db)).rows[0]!.n)
    ;[rollups, truth] = await rollupsAndTruth()
    expect(rollups).toEqual(truth)
    await sql`UPDATE radacct SET class = 'c', acctupdatetime = now() WHERE tenant_id = ${a.id}`.execute(t.db)
    expect(await pending()).toBe(0)
  })
})
