/**
 * A Stop without a Start inserts a closed row (queries.conf `stop` query 2). FreeRADIUS's INSERT writes
 * Connect-Info into ConnectInfo_start and a literal NULL into ConnectInfo_stop (Debian 12 3.2.1 and v3.2.x alike);
 * radiusd_acct_insert() wrote Connect-Info (or '' when absent) into both. From here on it writes NULL, for every
 * insert it makes (Interim without Start already passed NULL). A Stop that closes an open row still sets
 * connectinfo_stop = Connect-Info ('' when absent), as FreeRADIUS's `stop` query 1 does.
 *
 * One expression in the live function (see 2026_11_26_600100 for the approach). Frozen in time: never import
 * from db/ here.
 */
import type { Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const SIGNATURE = 'radiusd_acct_insert(radiusd_acct_record, timestamptz, timestamptz, bigint, bigint, bigint, text)'
const BEFORE = 'r.connectinfo,\n        CASE WHEN p_stop IS NULL THEN NULL ELSE r.connectinfo END, p_input'
const AFTER = 'r.connectinfo,\n        NULL, p_input'

export async function up(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, SIGNATURE, BEFORE, AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, SIGNATURE, AFTER, BEFORE)
}
