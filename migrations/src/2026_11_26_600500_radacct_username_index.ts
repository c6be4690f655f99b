/**
 * An index led by username on radacct, for the sqlcounter sums radiusd_authorize() computes for users with
 * counter check items (migration 600300): without it a counter user's login walked the whole of
 * radacct_start_user_idx (17 ms at 1M rows, growing with the table) where it now reads that user's rows only
 * (< 1 ms). FreeRADIUS's schema has no such index (its stock counter queries scan too), so the bench adds the
 * same index to FreeRADIUS's database. Building it blocks radacct writes for its duration (seconds per
 * million rows); radiusd does not acknowledge accounting meanwhile, so routers retransmit and nothing is lost.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS radacct_username_start_idx ON radacct (username, acctstarttime)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS radacct_username_start_idx`.execute(db)
}
