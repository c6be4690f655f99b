/**
 * `npm run bench:reports`: builds the issue-5 data set — one tenant, 20 hotspots, 10,000 users,
 * 1,000,000 radacct rows over 90 days (10% PPPoE) plus 50,000 payments — in a throw-away database, folds
 * the roll-ups, then times the report endpoints through the real API (app.inject) against the < 1 s
 * target, next to the naive radacct query they replace; then converts the 1,000,000 rows to the hot radacct +
 * month-partitioned archive (migration 2026_12_03_500000), checks that no row was lost or changed, and times the
 * endpoints again. Prints a table and writes api/bench/results/.
 * `npm run bench:reports -- --keep` keeps the database for EXPLAIN.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import {
  accountingStorageAcrossPlatform, archiveAccountingAcrossPlatform, createAdminUser, createLogger, createSecretBox, generateSecretKey, hashPassword,
} from '@mnetifi/db'
import { createTestDatabase } from '@mnetifi/db/testing'
import { DAYS, HOTSPOTS, ROWS, seedReportsDataSet, USERS } from './reports-data-set.js'
import { buildApp } from '../src/app.js'
import { testConfig } from '../test/helper.js'

const RUNS = 5

const log = (msg: string) => process.stdout.write(`${msg}\n`)
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const r = await fn()
  return [r, performance.now() - t0]
}

const tdb = await createTestDatabase('bench_reports')
const db = tdb.db
try {
  log(`database ${new URL(tdb.url).pathname.slice(1)}`)
  const { tenantId: t, insertMs, foldMs } = await seedReportsDataSet(db, log)

  // A minute of live traffic: 5,000 Interim-Updates, then the incremental fold a report would run.
  await sql`UPDATE radacct SET acctinputoctets = acctinputoctets + 1000, acctsessiontime = acctsessiontime + 60 WHERE radacctid % 200 = 0`.execute(db)
  const [, incrementalFoldMs] = await timed(() => sql`SELECT mnetifi_fold_usage()`.execute(db))
  const counts = (await sql<{ daily: number; user_days: number }>`SELECT (SELECT count(*) FROM usage_daily) AS daily, (SELECT count(*) FROM usage_user_days) AS user_days`.execute(db)).rows[0]!

  const config = testConfig()
  const app = await buildApp(config, { db, redis: null, log: createLogger({ level: 'silent' }), secretBox: createSecretBox(generateSecretKey('b1')), coa: null })
  await app.ready()
  await createAdminUser(db, { tenant_id: t, role: 'TENANT_OWNER', email: 'bench@example.com', password_hash: await hashPassword('bench-password') })
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'bench@example.com', password: 'bench-password' } })
  const cookie = `mnetifi_session=${login.cookies.find((c) => c.name === 'mnetifi_session')!.value}`
  const to = new Date().toISOString().slice(0, 10)
  const from = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10)
  const hotspotId = (await db.selectFrom('hotspots').select('id').where('tenant_id', '=', t).orderBy('nas_ip').executeTakeFirstOrThrow()).id
  const cases: [string, string][] = [
    ['performance 90 d (JSON)', `/api/reports/performance?from=${from}&to=${to}`],
    ['performance 90 d by day (CSV)', `/api/reports/performance?from=${from}&to=${to}&format=csv`],
    ['performance 90 d, one hotspot', `/api/reports/performance?from=${from}&to=${to}&hotspotId=${hotspotId}`],
    ['performance 90 d, PPPoE only', `/api/reports/performance?from=${from}&to=${to}&service=PPPOE`],
    ['revenue 90 d by day', `/api/reports/revenue?from=${from}&to=${to}`],
    ['revenue 90 d by plan (CSV)', `/api/reports/revenue?from=${from}&to=${to}&groupBy=plan&format=csv`],
    ['vouchers 90 d', `/api/reports/vouchers?from=${from}&to=${to}`],
    ['expiring in 5 days', '/api/reports/expiring-soon?days=5&limit=100'],
  ]
  const userId = (await db.selectFrom('wifi_users').select('id').where('tenant_id', '=', t).where('username', '=', 'u00001').executeTakeFirstOrThrow()).id
  cases.push(['one user\'s session history (page 1)', `/api/users/${userId}/sessions?limit=25`])
  type EndpointResult = { name: string; medianMs: number; maxMs: number; status: number }
  const timeEndpoints = async (): Promise<EndpointResult[]> => {
    const out: EndpointResult[] = []
    for (const [name, url] of cases) {
      const times: number[] = []
      let status = 0
      for (let i = 0; i < RUNS; i++) {
        const [res, ms] = await timed(() => app.inject({ method: 'GET', url, headers: { cookie } }))
        status = res.statusCode
        times.push(ms)
      }
      times.sort((x, y) => x - y)
      out.push({ name, medianMs: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10, maxMs: Math.round(times[RUNS - 1]! * 10) / 10, status })
    }
    return out
  }
  const results = await timeEndpoints()

  // The conversion of a lived-in radacct (migration 2026_12_03_500000): every session that stopped more than 35 days
  // ago moves to the month-partitioned archive, in the API's own batched passes; nothing may be lost or changed.
  const fingerprint = async () => (await sql<{ n: number; octets: string; seconds: string; digest: string }>`
    SELECT count(*)::int AS n, sum(acctinputoctets + acctoutputoctets)::text AS octets, sum(acctsessiontime)::text AS seconds,
      md5(string_agg(radacctid::text || ':' || acctuniqueid || ':' || acctstoptime::text, ',' ORDER BY radacctid)) AS digest
    FROM radacct_history`.execute(db)).rows[0]!
  const fingerprintBefore = await fingerprint()
  let moved = 0
  let passes = 0
  const [, conversionMs] = await timed(async () => {
    for (;;) {
      passes++
      const pass = await archiveAccountingAcrossPlatform(db, { hotDays: config.RADACCT_HOT_DAYS, retentionMonths: 0 })
      moved += pass.moved
      if (pass.done) break
    }
  })
  // What autovacuum does soon after on its own: the deleted hot rows vacuumed, the new partitions analysed. Timing
  // the reports while it runs would measure the vacuum.
  await sql`VACUUM (ANALYZE) radacct, radacct_archive`.execute(db)
  const fingerprintAfter = await fingerprint()
  const storage = await accountingStorageAcrossPlatform(db)
  const nothingLost = JSON.stringify(fingerprintBefore) === JSON.stringify(fingerprintAfter) && storage.hot + storage.archived === ROWS
  log(`archived ${moved} of ${ROWS} sessions in ${(conversionMs / 1000).toFixed(1)} s (${passes} pass(es)); radacct now ${storage.hot} rows, archive ${storage.archived} rows in ${storage.months.length} months; ${nothingLost ? 'every row accounted for' : 'ROWS LOST OR CHANGED'}`)
  const resultsAfter = await timeEndpoints()
  const loadAverage = loadavg().map((x) => Math.round(x * 100) / 100)
  await app.close()

  // What the roll-ups replace: the same 90-day figures straight from radacct.
  const [, naiveMs] = await timed(() => sql`
    SELECT (acctstarttime AT TIME ZONE 'Africa/Nairobi')::date AS day, count(*), count(DISTINCT username),
      sum(acctinputoctets), sum(acctoutputoctets), sum(acctsessiontime)
    FROM radacct WHERE tenant_id = ${t} AND acctstarttime >= now() - interval '${sql.raw(String(DAYS))} days' GROUP BY 1`.execute(db))

  const report = {
    at: new Date().toISOString(), loadAverage, dataSet: { users: USERS, hotspots: HOTSPOTS, radacctRows: ROWS, days: DAYS, payments: 50_000 },
    rollups: { usageDailyRows: counts.daily, usageUserDayRows: counts.user_days },
    loadSeconds: { radacctInsertWithTriggers: Math.round(insertMs / 100) / 10, initialFold: Math.round(foldMs / 100) / 10, incrementalFoldAfter5000InterimsMs: Math.round(incrementalFoldMs) },
    endpoints: results,
    archive: { hotDays: config.RADACCT_HOT_DAYS, moved, passes, conversionSeconds: Math.round(conversionMs / 100) / 10, hotRows: storage.hot,
      archivedRows: storage.archived, months: storage.months.length, nothingLost, fingerprint: fingerprintAfter },
    endpointsAfterArchive: resultsAfter,
    naiveRadacctDailyQueryMs: Math.round(naiveMs), targetMs: 1000,
    allUnderTarget: [...results, ...resultsAfter].every((r) => r.maxMs < 1000 && r.status === 200),
  }
  log('')
  log(`roll-ups: ${counts.daily} usage_daily rows, ${counts.user_days} usage_user_days rows; incremental fold of 5000 Interim-Updates: ${report.loadSeconds.incrementalFoldAfter5000InterimsMs} ms`)
  log('endpoint                               median ms   max ms   status   after archiving: median ms   max ms')
  results.forEach((r, i) => {
    const a = resultsAfter[i]!
    log(`${r.name.padEnd(38)} ${String(r.medianMs).padStart(9)} ${String(r.maxMs).padStart(8)}   ${r.status}      ${String(a.medianMs).padStart(22)} ${String(a.maxMs).padStart(8)}`)
  })
  log(`naive 90-day query on radacct: ${report.naiveRadacctDailyQueryMs} ms`)
  log(report.allUnderTarget ? 'every report answered under 1 s' : 'SOME REPORTS MISSED THE 1 s TARGET')
  const dir = new URL('./results/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  writeFileSync(new URL('bench-reports.json', dir), `${JSON.stringify(report, null, 2)}\n`)
  log(`results written to api/bench/results/bench-reports.json`)
  if (!report.allUnderTarget || !nothingLost) process.exitCode = 1
} finally {
  // --keep leaves the database for EXPLAIN sessions (drop it with dropdb afterwards).
  if (process.argv.includes('--keep')) {
    log(`kept ${tdb.url}`)
    await db.destroy()
  } else {
    await tdb.destroy()
  }
}
