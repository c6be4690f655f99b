/**
 * The usage roll-up trigger on radacct (migration 2026_11_26_200100) becomes two statement-level triggers with
 * transition tables: the same deltas, computed as one INSERT … SELECT per statement instead of one PL/pgSQL call
 * and one INSERT per row.
 *
 * Why: an Accounting-On closes every open session of a router in one UPDATE. With the row trigger, two thirds of
 * closing 1,000 sessions went to the trigger (66 of 106 ms, EXPLAIN ANALYZE); 25 routers rebooting at once spent
 * 2.4 s there, longer than RouterOS's 3 × 300 ms, so their Accounting-On went unanswered (issue 14, reboot storm).
 * Single-row statements (every Start/Interim/Stop) fire it once per statement as before.
 *
 * The rules are the row trigger's: a change of octets or time in the same bucket adds the difference; a session
 * that changes bucket (tenant, NAS, user, service or start time) leaves all of it in the old bucket's negative and
 * adds all of it to the new one; an INSERT adds a session. Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER radacct_usage ON radacct;

    CREATE FUNCTION mnetifi_radacct_usage_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
      SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime, now())), nasipaddress,
        CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(username, ''), 1,
        coalesce(acctinputoctets, 0), coalesce(acctoutputoctets, 0), coalesce(acctsessiontime, 0)
      FROM new_rows WHERE tenant_id IS NOT NULL;
      RETURN NULL;
    END $$;

    CREATE FUNCTION mnetifi_radacct_usage_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      WITH pairs AS (
        SELECT n.*, o.tenant_id AS o_tenant, o.nasipaddress AS o_nas, o.username AS o_user, o.framedprotocol AS o_proto,
          o.acctstarttime AS o_start, o.acctupdatetime AS o_update, coalesce(o.acctinputoctets, 0) AS o_in,
          coalesce(o.acctoutputoctets, 0) AS o_out, coalesce(o.acctsessiontime, 0) AS o_time,
          (n.tenant_id IS DISTINCT FROM o.tenant_id OR n.nasipaddress IS DISTINCT FROM o.nasipaddress
            OR n.username IS DISTINCT FROM o.username OR n.framedprotocol IS DISTINCT FROM o.framedprotocol
            OR n.acctstarttime IS DISTINCT FROM o.acctstarttime) AS moved
        FROM new_rows n JOIN old_rows o USING (radacctid)
      )
      INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
      -- Same bucket: what this update added.
      SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime, now())), nasipaddress,
        CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(username, ''), 0,
        coalesce(acctinputoctets, 0) - o_in, coalesce(acctoutputoctets, 0) - o_out, coalesce(acctsessiontime, 0) - o_time
      FROM pairs
      WHERE NOT moved AND tenant_id IS NOT NULL AND (coalesce(acctinputoctets, 0) <> o_in
        OR coalesce(acctoutputoctets, 0) <> o_out OR coalesce(acctsessiontime, 0) <> o_time)
      UNION ALL
      -- Changed bucket: all of it out of the old one (its user-day stays counted) …
      SELECT o_tenant, mnetifi_usage_day(o_tenant, coalesce(o_start, o_update, now())), o_nas,
        CASE WHEN o_proto = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(o_user, ''), -1, -o_in, -o_out, -o_time
      FROM pairs WHERE moved AND o_tenant IS NOT NULL
      UNION ALL
      -- … and into the new one.
      SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime, now())), nasipaddress,
        CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(username, ''), 1,
        coalesce(acctinputoctets, 0), coalesce(acctoutputoctets, 0), coalesce(acctsessiontime, 0)
      FROM pairs WHERE moved AND tenant_id IS NOT NULL;
      RETURN NULL;
    END $$;

    CREATE TRIGGER radacct_usage_inserted AFTER INSERT ON radacct REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_radacct_usage_inserted();
    CREATE TRIGGER radacct_usage_updated AFTER UPDATE ON radacct REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_radacct_usage_updated();
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER radacct_usage_updated ON radacct;
    DROP TRIGGER radacct_usage_inserted ON radacct;
    DROP FUNCTION mnetifi_radacct_usage_updated();
    DROP FUNCTION mnetifi_radacct_usage_inserted();
    CREATE TRIGGER radacct_usage AFTER INSERT OR UPDATE ON radacct
      FOR EACH ROW EXECUTE FUNCTION mnetifi_radacct_usage();
  `.execute(db)
}
