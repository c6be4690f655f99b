/**
 * An Accounting-On/Off closes every open session of a router in one UPDATE; its usage deltas are now written for
 * all of them by one INSERT … SELECT, with the per-row usage trigger held off for that one statement.
 *
 * Why: with the row trigger (migration 2026_11_26_200100), two thirds of closing 1,000 sessions went to it
 * (66 of 106 ms, EXPLAIN ANALYZE): 25 routers rebooting at once spent 2.4 s there, longer than RouterOS's
 * 3 × 300 ms, so their Accounting-On went unanswered (issue 14, the reboot storm). A statement-level trigger for
 * every write was tried and measured 15–40 % slower per single-row Start/Stop (two trigger calls and transition
 * tables per statement), so the row trigger stays for everything else, including a stock FreeRADIUS's own
 * accounting-on query; it now skips rows while the transaction-local setting `mnetifi.usage_bulk` is 'on', which
 * only radiusd_accounting's accounting-on branch sets, around its UPDATE.
 *
 * The deltas are the row trigger's for this update: the session stays in its bucket (tenant, NAS, user, service
 * and start time do not change), octets do not change, and the session time grows by the difference.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const ACCOUNTING = 'radiusd_accounting(jsonb)'
const ROW_CLOSE = `UPDATE radacct SET acctstoptime = ev, acctupdatetime = ev,
            acctsessiontime = r.event_epoch - extract(epoch FROM acctstarttime)::bigint,
            acctterminatecause = coalesce(nullif(r.acctterminatecause, ''), 'NAS-Reboot')
          WHERE acctstoptime IS NULL AND nasipaddress = r.nasipaddress AND acctstarttime <= ev;
          GET DIAGNOSTICS n = ROW_COUNT;`
const BULK_CLOSE = `-- Every open session of the NAS in one UPDATE, and their usage deltas in one INSERT (the row trigger
          -- skips this statement: mnetifi.usage_bulk). o.old_time is read under the row lock the UPDATE then takes.
          PERFORM set_config('mnetifi.usage_bulk', 'on', true);
          WITH closed AS (
            UPDATE radacct a SET acctstoptime = ev, acctupdatetime = ev,
              acctsessiontime = r.event_epoch - extract(epoch FROM a.acctstarttime)::bigint,
              acctterminatecause = coalesce(nullif(r.acctterminatecause, ''), 'NAS-Reboot')
            FROM (SELECT radacctid, coalesce(acctsessiontime, 0) AS old_time FROM radacct
                WHERE acctstoptime IS NULL AND nasipaddress = r.nasipaddress AND acctstarttime <= ev FOR UPDATE) o
            WHERE a.radacctid = o.radacctid
            RETURNING a.tenant_id, a.acctstarttime, a.acctupdatetime, a.nasipaddress, a.framedprotocol, a.username,
              coalesce(a.acctsessiontime, 0) AS new_time, o.old_time
          ), deltas AS (
            INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
            SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime, now())), nasipaddress,
              CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(username, ''), 0, 0, 0, new_time - old_time
            FROM closed WHERE tenant_id IS NOT NULL AND new_time <> old_time
          )
          SELECT count(*) INTO n FROM closed;
          PERFORM set_config('mnetifi.usage_bulk', 'off', true);`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER radacct_usage ON radacct;
    CREATE TRIGGER radacct_usage AFTER INSERT OR UPDATE ON radacct FOR EACH ROW
      WHEN (current_setting('mnetifi.usage_bulk', true) IS DISTINCT FROM 'on')
      EXECUTE FUNCTION mnetifi_radacct_usage();
  `.execute(db)
  await replaceInFunction(db, ACCOUNTING, ROW_CLOSE, BULK_CLOSE)
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, ACCOUNTING, BULK_CLOSE, ROW_CLOSE)
  await sql`
    DROP TRIGGER radacct_usage ON radacct;
    CREATE TRIGGER radacct_usage AFTER INSERT OR UPDATE ON radacct FOR EACH ROW EXECUTE FUNCTION mnetifi_radacct_usage();
  `.execute(db)
}
