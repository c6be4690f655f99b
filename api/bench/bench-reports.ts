/**
 * `npm run bench:reports`: builds the issue-5 data set — one tenant, 20 hotspots, 10,000 users,
 * 1,000,000 radacct rows over 90 days (10% PPPoE) plus 50,000 payments — in a throw-away database, folds
 * the roll-ups, then times the report endpoints through the real API (app.inject) against the < 1 s
 * target, next to the naive radacct query they replace. Prints a table and writes api/bench/results/.
 * `npm run bench:reports -- --keep` keeps the database for EXPLAIN.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { createAdminUser, createLogger, createSecretBox, generateSecretKey, hashPassword } from '@mnetifi/db'
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
  const results: { name: string; medianMs: number; maxMs: number; status: number }[] = []
  for (const [name, url] of cases) {
    const times: number[] = []
    let status = 0
    for (let i = 0; i < RUNS; i++) {
      const [res, ms] = await timed(() => app.inject({ method: 'GET', url, headers: { cookie } }))
      status = res.statusCode
      times.push(ms)
    }
    times.sort((x, y) => x - y)
    results.push({ name, medianMs: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10, maxMs: Math.round(times[RUNS - 1]! * 10) / 10, status })
  }
  await app.close()

  // What the roll-ups replace: the same 90-day figures straight from radacct.
  const [, naiveMs] = await timed(() => sql`
    SELECT (acctstarttime AT TIME ZONE 'Africa/Nairobi')::date AS day, count(*), count(DISTINCT username),
      sum(acctinputoctets), sum(acctoutputoctets), sum(acctsessiontime)
    FROM radacct WHERE tenant_id = ${t} AND acctstarttime >= now() - interval '${sql.raw(String(DAYS))} days' GROUP BY 1`.execute(db))

  const report = {
    at: new Date().toISOString(), dataSet: { users: USERS, hotspots: HOTSPOTS, radacctRows: ROWS, days: DAYS, payments: 50_000 },
    rollups: { usageDailyRows: counts.daily, usageUserDayRows: counts.user_days },
    loadSeconds: { radacctInsertWithTriggers: Math.round(insertMs / 100) / 10, initialFold: Math.round(foldMs / 100) / 10, incrementalFoldAfter5000InterimsMs: Math.round(incrementalFoldMs) },
    endpoints: results, naiveRadacctDailyQueryMs: Math.round(naiveMs), targetMs: 1000, allUnderTarget: results.every((r) => r.maxMs < 1000 && r.status === 200),
  }
  log('')
  log(`roll-ups: ${counts.daily} usage_daily rows, ${counts.user_days} usage_user_days rows; incremental fold of 5000 Interim-Updates: ${report.loadSeconds.incrementalFoldAfter5000InterimsMs} ms`)
  log('endpoint                               median ms   max ms   status')
  for (const r of results) log(`${r.name.padEnd(38)} ${String(r.medianMs).padStart(9)} ${String(r.maxMs).padStart(8)}   ${r.status}`)
  log(`naive 90-day query on radacct: ${report.naiveRadacctDailyQueryMs} ms`)
  log(report.allUnderTarget ? 'every report answered under 1 s' : 'SOME REPORTS MISSED THE 1 s TARGET')
  const dir = new URL('./results/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  writeFileSync(new URL('bench-reports.json', dir), `${JSON.stringify(report, null, 2)}\n`)
  log(`results written to api/bench/results/bench-reports.json`)
  if (!report.allUnderTarget) process.exitCode = 1
} finally {
  // --keep leaves the database for EXPLAIN sessions (drop it with dropdb afterwards).
  if (process.argv.includes('--keep')) {
    log(`kept ${tdb.url}`)
    await db.destroy()
  } else {
    await tdb.destroy()
  }
}
