/**
 * radacct that grows for years (migration 2026_12_03_500000): old closed sessions move from the hot radacct to the
 * month-partitioned archive without losing or changing a row, reports read the same roll-ups, retention drops whole
 * months, row-level security holds on the archive, and migrating down puts every row back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  accountingStorageAcrossPlatform, archiveAccountingAcrossPlatform, archiveClosedSessionsAcrossPlatform, listSessionHistoryForUser,
} from '@mnetifi/db'
import { MIGRATIONS, migrateDown, migrateToLatest } from '@mnetifi/migrations'
import { createTestDatabase, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('radacct_archive') })
afterAll(async () => { await t?.destroy() })
beforeEach(async () => { await t.truncate() })

const NOW = new Date('2026-12-03T12:00:00Z')
const DAY = 86_400_000
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY)

let seq = 0
/** One radacct row; `stopDaysAgo` null = still open. Returns its radacctid. */
async function session(tenantId: string, username: string, startDaysAgo: number, stopDaysAgo: number | null, octets = 1000) {
  const id = `s${++seq}`
  const start = at(startDaysAgo)
  const stop = stopDaysAgo === null ? null : at(stopDaysAgo)
  const seconds = Math.round(((stop ?? NOW).getTime() - start.getTime()) / 1000)
  const r = await sql<{ radacctid: number }>`
    INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, acctstoptime,
      acctsessiontime, acctinputoctets, acctoutputoctets, callingstationid, framedprotocol, tenant_id)
    VALUES (${id}, ${'u-' + id}, ${username}, '10.1.0.1', ${start}, ${stop ?? start}, ${stop}, ${seconds}, ${octets}, ${octets * 10},
      'AA:BB:CC:00:00:01', 'PPP', ${tenantId})
    RETURNING radacctid`.execute(t.db)
  return r.rows[0]!.radacctid
}

const ids = async (table: 'radacct' | 'radacct_archive') =>
  (await sql<{ radacctid: number }>`SELECT radacctid FROM ${sql.table(table)} ORDER BY radacctid`.execute(t.db)).rows.map((r) => r.radacctid)
/** Every column of every session, live or archived, in id order: what must not change. */
const everything = async () => JSON.stringify((await sql`SELECT * FROM radacct_history ORDER BY radacctid`.execute(t.db)).rows)
const usage = async () => {
  await sql`SELECT mnetifi_fold_usage()`.execute(t.db)
  return JSON.stringify((await sql`SELECT * FROM usage_daily ORDER BY tenant_id, day, nas_ip, service`.execute(t.db)).rows)
}

describe('radacct archive', () => {
  it('moves closed sessions that stopped before the hot window, keeps open and recent ones, and changes no column', async () => {
    const tenant = await insertTestTenant(t.db)
    const old1 = await session(tenant.id, 'alice', 100, 99.9)
    const old2 = await session(tenant.id, 'alice', 60, 59)
    const openOld = await session(tenant.id, 'alice', 80, null) // a PPPoE line up for 80 days: stays
    const longRecent = await session(tenant.id, 'bob', 50, 10) // started long ago, stopped inside the window: stays
    const recent = await session(tenant.id, 'bob', 5, 4)
    const before = await everything()
    const usageBefore = await usage()

    const pass = await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0 }, NOW)
    expect(pass).toEqual({ moved: 2, dropped: [], done: true })
    expect(await ids('radacct')).toEqual([openOld, longRecent, recent])
    expect(await ids('radacct_archive')).toEqual([old1, old2])
    expect(await everything()).toBe(before)
    expect(await usage()).toBe(usageBefore)
    expect(await accountingStorageAcrossPlatform(t.db)).toEqual({ hot: 3, archived: 2, months: ['radacct_archive_2026_08', 'radacct_archive_2026_10'] })
    expect((await sql`SELECT tenant_id, username, session_time, octets, first_login FROM radacct_archived_totals`.execute(t.db)).rows).toEqual([
      { tenant_id: tenant.id, username: 'alice', session_time: Math.round(0.1 * 86400) + 86400, octets: 2 * 11_000, first_login: at(100) },
    ])

    // A second pass has nothing left to move; the user's history still lists all of alice's sessions, newest first.
    expect(await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0 }, NOW)).toEqual({ moved: 0, dropped: [], done: true })
    const history = await listSessionHistoryForUser(t.db, tenant.id, 'alice', { limit: 10, offset: 0 })
    expect(history.total).toBe(3)
    expect(history.rows.map((r) => r.radacctid)).toEqual([old2, openOld, old1])
  })

  it('the hot radacct still takes accounting for the same ids: stock ON CONFLICT (acctuniqueid) works', async () => {
    const tenant = await insertTestTenant(t.db)
    await session(tenant.id, 'carol', 90, 89)
    await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0 }, NOW)
    const start = await sql<{ r: string[] }>`SELECT radiusd_accounting(${JSON.stringify([{ status: 'start', tenant_id: tenant.id,
      acctsessionid: 'live-1', acctuniqueid: 'live-1-u', username: 'carol', nasipaddress: '10.1.0.1', event_epoch: Math.floor(Date.now() / 1000),
      acctauthentic: '', connectinfo: '', calledstationid: '', callingstationid: '', servicetype: '', framedprotocol: '' }])}::jsonb) AS r`.execute(t.db)
    expect(start.rows[0]!.r).toEqual(['start:insert'])
    expect(await accountingStorageAcrossPlatform(t.db)).toMatchObject({ hot: 1, archived: 1 })
  })

  it('converts a lived-in radacct batch by batch without losing a row, skipping rows an accounting packet holds', async () => {
    const tenant = await insertTestTenant(t.db)
    // 20,000 closed sessions over 90 days, 200 of them still open.
    await sql`
      INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, acctstoptime,
        acctsessiontime, acctinputoctets, acctoutputoctets, tenant_id)
      SELECT 's' || i, 'bulk-' || i, 'u' || (i % 500), '10.2.0.1', st, st, CASE WHEN i % 100 = 0 THEN NULL ELSE st + interval '1 hour' END,
        3600, i, 2 * i, ${tenant.id}
      FROM (SELECT i, ${NOW}::timestamptz - (i % 90) * interval '1 day' - interval '2 hours' AS st FROM generate_series(1, 20000) i) x`.execute(t.db)
    const fingerprint = async () => (await sql<{ n: number; octets: string; digest: string }>`
      SELECT count(*)::int AS n, sum(acctinputoctets + acctoutputoctets)::text AS octets,
        md5(string_agg(radacctid::text || acctuniqueid || coalesce(acctstoptime::text, ''), ',' ORDER BY radacctid)) AS digest
      FROM radacct_history`.execute(t.db)).rows[0]!
    const before = await fingerprint()
    const expectedMoved = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM radacct WHERE acctstoptime < ${at(35)}`.execute(t.db)).rows[0]!.n

    // An accounting packet holds one old row while the archiver runs: it is skipped, not waited for, and moves later.
    const held = (await sql<{ radacctid: number }>`SELECT radacctid FROM radacct WHERE acctstoptime < ${at(60)} ORDER BY radacctid LIMIT 1`.execute(t.db)).rows[0]!.radacctid
    let release!: () => void
    const holding = t.db.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM radacct WHERE radacctid = ${held} FOR UPDATE`.execute(trx)
      await new Promise<void>((resolve) => { release = resolve })
    })
    await new Promise((r) => setTimeout(r, 50))
    const first = await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0, batchSize: 1000 }, NOW)
    expect(first).toEqual({ moved: expectedMoved - 1, dropped: [], done: true })
    expect(await ids('radacct')).toContain(held)
    release()
    await holding
    expect(await archiveClosedSessionsAcrossPlatform(t.db, at(35), 1000)).toBe(1)

    expect(await fingerprint()).toEqual(before)
    const storage = await accountingStorageAcrossPlatform(t.db)
    expect(storage.archived).toBe(expectedMoved)
    expect(storage.hot + storage.archived).toBe(20_000)
    // Every open session is still in radacct, whatever its age.
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM radacct WHERE acctstoptime IS NULL`.execute(t.db)).rows[0]!.n).toBe(200)
  })

  it('a pass told to stop (the API shutting down) ends after its current batch and says it is not done', async () => {
    const tenant = await insertTestTenant(t.db)
    for (const days of [90, 80, 70]) await session(tenant.id, 'frank', days, days - 1)
    let batches = 0
    const pass = await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0, batchSize: 1, stop: () => ++batches > 1 }, NOW)
    expect(pass).toEqual({ moved: 1, dropped: [], done: false })
    expect(await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0, batchSize: 1 }, NOW)).toEqual({ moved: 2, dropped: [], done: true })
  })

  it('retention drops whole months older than the setting and keeps the archived totals the counters read', async () => {
    const tenant = await insertTestTenant(t.db)
    await session(tenant.id, 'dave', 400, 399) // 2025-10
    await session(tenant.id, 'dave', 200, 199) // 2026-05
    const kept = await session(tenant.id, 'dave', 70, 69) // 2026-09
    const pass = await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 6 }, NOW)
    // Six full months before December 2026: June to November are kept, May and older go.
    expect(pass).toEqual({ moved: 3, dropped: ['radacct_archive_2025_10', 'radacct_archive_2026_05'], done: true })
    expect(await ids('radacct_archive')).toEqual([kept])
    expect((await sql`SELECT session_time, first_login FROM radacct_archived_totals WHERE username = 'dave'`.execute(t.db)).rows)
      .toEqual([{ session_time: 3 * 86400, first_login: at(400) }])
  })

  it('row-level security: a tenant sees only its own archived sessions, through the archive and the history view', async () => {
    const a = await insertTestTenant(t.db)
    const b = await insertTestTenant(t.db)
    await session(a.id, 'same', 90, 89)
    await session(b.id, 'same', 90, 89)
    await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0 }, NOW)
    const seen = await t.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('mnetifi.tenant_id', ${a.id}, true)`.execute(trx)
      await sql.raw('SET LOCAL ROLE mnetifi_app').execute(trx)
      const history = await sql<{ tenant_id: string }>`SELECT tenant_id FROM radacct_history`.execute(trx)
      const archive = await sql<{ tenant_id: string }>`SELECT tenant_id FROM radacct_archive`.execute(trx)
      const totals = await sql<{ tenant_id: string }>`SELECT tenant_id FROM radacct_archived_totals`.execute(trx)
      return [history.rows, archive.rows, totals.rows].map((rows) => rows.map((r) => r.tenant_id))
    })
    expect(seen).toEqual([[a.id], [a.id], [a.id]])
  })

  it('migrating down puts every archived session back into radacct, without counting its usage twice', async () => {
    const tenant = await insertTestTenant(t.db)
    await session(tenant.id, 'erin', 90, 89)
    await session(tenant.id, 'erin', 2, 1)
    await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 0 }, NOW)
    const before = await everything()
    const usageBefore = await usage()
    const names = Object.keys(MIGRATIONS)
    await migrateDown(t.db, names.length - names.indexOf('2026_12_03_500000_radacct_archive_partitions'))
    expect(JSON.stringify((await sql`SELECT * FROM radacct ORDER BY radacctid`.execute(t.db)).rows)).toBe(before)
    expect(await usage()).toBe(usageBefore)
    await migrateToLatest(t.db)
    expect(await everything()).toBe(before)
  })
})
