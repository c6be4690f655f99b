/**
 * rlm_sqlcounter for operator rows: when the user's rad* rows (user, group or profile check rows) name one of the
 * counter check items — Max-Daily-Session, Max-Weekly-Session, Max-Monthly-Session, Max-All-Session (Debian's
 * PostgreSQL counter queries), Expire-After (expire_on_login) or Max-Data (the `quotalimit` counter PHPNuxBill and
 * daloRADIUS setups add) — radiusd_authorize() also returns, in `rad.counters`, what those queries sum, from ONE
 * scan of the user's radacct rows in the NAS's tenant:
 * - `time`: SUM(acctsessiontime) (noresetcounter / Max-All-Session);
 * - `octets`: SUM(acctinputoctets) + SUM(acctoutputoctets) (quotalimit / Max-Data);
 * - `firstLogin`: the earliest acctstarttime, epoch (expire_on_login / Expire-After);
 * - `recent`: [start epoch, acctsessiontime] of every session that ends in the last 33 days, from which the
 *   policy computes the daily/weekly/monthly sums for reset boundaries in the tenant's time zone (a month
 *   start is at most 31 days and a DST hour back), exactly as the stock query counts them.
 * Users without counter rows (and native users) do not run it: the common path is unchanged apart from one
 * jsonpath test of the rows already fetched.
 *
 * radacct has no index led by username (nor has FreeRADIUS's PostgreSQL schema: the stock counter queries are
 * scans too); the planner reads the user's rows through radacct_start_user_idx's username column or scans.
 *
 * The change is one block inserted before the Simultaneous-Use test of radiusd_authorize(), so this edits the
 * live definition (pg_get_functiondef + replace), failing loudly if the anchor is not there exactly once.
 * Frozen in time: never import from db/ here.
 */
import type { Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const ANCHOR = `v_limited := v_rad @? '$.check[*] ? (@[0] == "Simultaneous-Use")'`

const COUNTERS = `-- sqlcounter: only for rows that name a counter check item (anywhere in the rows fetched above).
        IF v_rad @? '$.** ? (@ == "Max-Daily-Session" || @ == "Max-Weekly-Session" || @ == "Max-Monthly-Session"
            || @ == "Max-All-Session" || @ == "Expire-After" || @ == "Max-Data")' THEN
          v_rad := v_rad || jsonb_build_object('counters', (SELECT jsonb_build_object(
              'time', coalesce(sum(a.acctsessiontime), 0),
              'octets', coalesce(sum(a.acctinputoctets), 0) + coalesce(sum(a.acctoutputoctets), 0),
              'firstLogin', extract(epoch FROM min(a.acctstarttime)),
              'recent', coalesce(jsonb_agg(jsonb_build_array(extract(epoch FROM a.acctstarttime), a.acctsessiontime))
                FILTER (WHERE a.acctstarttime + make_interval(secs => a.acctsessiontime) > now() - interval '33 days'), '[]'))
            FROM radacct a WHERE a.username = p_username AND a.tenant_id IS NOT DISTINCT FROM p_tenant_id));
        END IF;
        `

const swap = (db: Kysely<any>, from: string, to: string): Promise<void> =>
  replaceInFunction(db, 'radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer)', from, to)

export async function up(db: Kysely<any>): Promise<void> {
  await swap(db, ANCHOR, COUNTERS + ANCHOR)
}

export async function down(db: Kysely<any>): Promise<void> {
  await swap(db, COUNTERS + ANCHOR, ANCHOR)
}
