/**
 * The reports bench data set (issue 5), shared by `bench:reports` and `bench:admin`: one tenant, 20 hotspots,
 * 10,000 users, 1,000,000 radacct rows over 90 days (10% PPPoE) written through the real radacct triggers, and
 * 50,000 payments; then the usage roll-ups are folded and the tables analysed.
 */
import { performance } from 'node:perf_hooks'
import { sql, type Kysely } from 'kysely'
import type { Database } from '@mnetifi/db'
import { insertTestTenant } from '@mnetifi/db/testing'

export const USERS = 10_000
export const HOTSPOTS = 20
export const ROWS = 1_000_000
export const DAYS = 90
const CHUNK = 100_000

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const r = await fn()
  return [r, performance.now() - t0]
}

/** Seeds the data set into `db`; returns the tenant and how long the load took. */
export async function seedReportsDataSet(db: Kysely<Database>, log: (msg: string) => void) {
  const tenant = await insertTestTenant(db, { name: 'Bench ISP' })
  const t = tenant.id
  const [, seedMs] = await timed(async () => {
    await sql`INSERT INTO hotspots (tenant_id, location_name, nas_ip, radius_secret)
      SELECT ${t}, 'Hotspot ' || i, ('10.200.0.' || i)::inet, 'bench-secret-' || i FROM generate_series(1, ${HOTSPOTS}::int) i`.execute(db)
    await sql`INSERT INTO plans (tenant_id, name, price, duration_seconds, upload_limit, download_limit, account_types)
      SELECT ${t}, 'Plan ' || i, i * 1000, i * 3600, 2000000, 5000000, ARRAY['HOTSPOT','PPPOE'] FROM generate_series(1, 5) i`.execute(db)
    await sql`INSERT INTO wifi_users (tenant_id, account_type, username, password, current_plan_id, expiry_time)
      SELECT ${t}, CASE WHEN i % 10 = 0 THEN 'PPPOE' ELSE 'HOTSPOT' END, 'u' || lpad(i::text, 5, '0'), 'pw',
        (SELECT id FROM plans WHERE tenant_id = ${t} ORDER BY price OFFSET (i % 5) LIMIT 1), now() + ((i % 240) - 24) * interval '1 hour'
      FROM generate_series(1, ${USERS}::int) i`.execute(db)
    await sql`INSERT INTO transactions (tenant_id, user_phone, amount, status, completed_at, plan_id, hotspot_id)
      SELECT ${t}, '254700000000', 1000 * (1 + i % 5), 'COMPLETED', now() - random() * interval '${sql.raw(String(DAYS))} days',
        (SELECT id FROM plans WHERE tenant_id = ${t} ORDER BY price OFFSET (i % 5) LIMIT 1),
        (SELECT id FROM hotspots WHERE tenant_id = ${t} ORDER BY nas_ip OFFSET (i % ${HOTSPOTS}::int) LIMIT 1)
      FROM generate_series(1, 50000) i`.execute(db)
  })
  log(`seeded ${HOTSPOTS} hotspots, ${USERS} users, 50000 payments in ${(seedMs / 1000).toFixed(1)} s`)

  // Accounting goes through the real radacct triggers (tenant fill, usage deltas), as radiusd's writes do.
  let insertMs = 0
  for (let done = 0; done < ROWS; done += CHUNK) {
    const [, ms] = await timed(() => sql`
      INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, tenant_id, acctstarttime, acctstoptime,
        acctsessiontime, acctinputoctets, acctoutputoctets, framedprotocol)
      SELECT 's' || i, 'bench-' || i, 'u' || lpad((1 + (i::bigint * 7919) % ${USERS}::int)::text, 5, '0'), ('10.200.0.' || (1 + i % ${HOTSPOTS}::int))::inet, ${t},
        st, st + (dur || ' seconds')::interval, dur, (random() * 50e6)::bigint, (random() * 500e6)::bigint,
        CASE WHEN i % 10 = 0 THEN 'PPP' END
      -- random() in a derived table runs per row (an uncorrelated LATERAL would run once).
      FROM (SELECT i, now() - random() * interval '${sql.raw(String(DAYS))} days' AS st, (60 + random() * 7200)::int AS dur
        FROM generate_series(${done + 1}::int, ${done + CHUNK}::int) i) x`.execute(db))
    insertMs += ms
    log(`radacct ${done + CHUNK} rows (${(ms / 1000).toFixed(1)} s for this chunk)`)
  }
  const [folded, foldMs] = await timed(async () => (await sql<{ n: number }>`SELECT mnetifi_fold_usage() AS n`.execute(db)).rows[0]!.n)
  log(`folded ${folded} deltas in ${(foldMs / 1000).toFixed(1)} s`)
  await sql`ANALYZE`.execute(db)
  return { tenantId: t, insertMs, foldMs, folded }
}
