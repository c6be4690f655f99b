/**
 * Bench building blocks shared by `bench-radius.ts` and manual runs (`tsx radiusd/bench/prepare.ts [lived-in]`):
 * the radiusd scratch database with the same rows as shared/bench/freeradius/setup.sh, and the lived-in radacct
 * (shared/bench/freeradius/radacct-history.sql) for either database.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { createDb, ensureDatabase } from '@mnetifi/db'
import { migrateToLatest } from '@mnetifi/migrations'

const here = new URL('.', import.meta.url).pathname

export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const MNETIFI_URL = ADMIN_URL.replace(/\/[^/]*$/, '/mnetifi_bench')
export const FR_URL = ADMIN_URL.replace(/\/[^/]*$/, '/radius_bench')

/** Our migrations + the 10,000 operator-row users of radius_bench; the open-sessions index on both databases. */
export async function prepareMnetifiDatabase(): Promise<void> {
  await ensureDatabase(MNETIFI_URL)
  const db = createDb({ connectionString: MNETIFI_URL, max: 2 })
  await migrateToLatest(db)
  await sql`TRUNCATE radcheck, radreply, radusergroup, radgroupcheck, radgroupreply, radacct, radpostauth, nas, radiusd_session_claims RESTART IDENTITY`.execute(db)
  await sql`INSERT INTO radcheck (username, attribute, op, value) SELECT 'user' || i, 'Cleartext-Password', ':=', 'pw' || i FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radreply (username, attribute, op, value) SELECT 'user' || i, 'Session-Timeout', ':=', (3600 + i)::text FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radusergroup (username, groupname, priority) SELECT 'user' || i, 'plan10m', 1 FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radgroupreply (groupname, attribute, op, value) VALUES ('plan10m', 'Mikrotik-Rate-Limit', ':=', '10M/10M 20M/20M 8M/8M 16/16'), ('plan10m', 'Acct-Interim-Interval', ':=', '300')`.execute(db)
  await sql`INSERT INTO radgroupcheck (groupname, attribute, op, value) VALUES ('plan10m', 'Simultaneous-Use', ':=', '1')`.execute(db)
  await sql`INSERT INTO nas (nasname, shortname, secret) VALUES ('127.0.0.1', 'bench', 'testing123')`.execute(db)
  await sql`ANALYZE`.execute(db)
  await db.destroy()
  // Same indexes on both sides: FreeRADIUS's schema lacks the open-sessions-by-username index ours has, and the
  // username-led one for counters (migration 600500).
  await query(FR_URL, 'CREATE INDEX IF NOT EXISTS radacct_active_user_idx ON radacct (UserName) WHERE AcctStopTime IS NULL')
  await query(FR_URL, 'CREATE INDEX IF NOT EXISTS radacct_username_start_idx ON radacct (UserName, AcctStartTime)')
}

export async function query(url: string, text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await c.query(text)
  } finally {
    await c.end()
  }
}

/**
 * radacct-history.sql's lived-in state: 1,000,000 closed sessions of user1..10000 (90 days ago) and 10,000 open
 * sessions of guest1..10000 (not in radcheck, so Simultaneous-Use never refuses the load).
 */
export async function fillLivedIn(url: string): Promise<void> {
  // The same statements FreeRADIUS's side is filled with (freeradius/radacct-history.sql), up to its VACUUM, which
  // cannot run inside the implicit transaction of a multi-statement query.
  const script = readFileSync(join(here, 'freeradius/radacct-history.sql'), 'utf8')
  await query(url, script.slice(0, script.indexOf('VACUUM ANALYZE radacct;')))
  await query(url, 'VACUUM ANALYZE radacct')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareMnetifiDatabase()
  if (process.argv[2] === 'lived-in') { await fillLivedIn(MNETIFI_URL); await fillLivedIn(FR_URL) }
}
