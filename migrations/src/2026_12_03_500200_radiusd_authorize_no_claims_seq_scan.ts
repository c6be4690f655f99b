/**
 * radiusd_authorize() runs with enable_seqscan = off, so its cached generic plans never scan
 * radiusd_session_claims from end to end.
 *
 * Why: PL/pgSQL caches a generic plan per statement and connection after five calls, costed with the statistics
 * of that moment. radiusd's connections plan at start-up, when the claims table (one row per login of the last
 * 30 s, UNLOGGED, purged by the enforcer) is empty, so the plans read it with a sequential scan. In a reboot storm
 * the table grows to tens of thousands of rows within seconds, before autovacuum analyses it, and every login
 * then read all of it three times: the storm bench (radiusd/bench/storm.ts) fell from ~3,300 to ~500 logins/s,
 * Postgres at 100 % on both cores, with the generic plans caught by auto_explain. With sequential scans
 * disabled the same plans use radiusd_session_claims_user_idx (username, expires_at) whatever the statistics say;
 * every other statement in the function already reads through an index (tables without a usable index are still
 * scanned: the setting only makes the scan the last resort). Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

const AUTHORIZE = 'radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer)'

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER FUNCTION ${AUTHORIZE} SET enable_seqscan = off`).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER FUNCTION ${AUTHORIZE} RESET enable_seqscan`).execute(db)
}
