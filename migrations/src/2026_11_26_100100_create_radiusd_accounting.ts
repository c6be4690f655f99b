/**
 * radiusd's accounting writer: a port of FreeRADIUS 3.2's stock PostgreSQL `queries.conf` accounting section
 * (Debian 12 `freeradius 3.2.1+dfsg-4+deb12u1`, `/etc/freeradius/3.0/mods-config/sql/main/postgresql/queries.conf`,
 * `accounting { type { start / interim-update / stop / accounting-on / accounting-off } }`), with rlm_sql's
 * fallback rule: run the queries of a type in order and stop at the first that touches a row.
 *
 * `radiusd_accounting(records jsonb)` applies a batch of packets in one statement (one transaction, one
 * commit), in order, and returns for each the query that took effect. radiusd acknowledges only after it
 * returns. Values are prepared by radiusd exactly as FreeRADIUS would expand them: absent text attributes are
 * '' (not NULL), octets already include gigawords, event_epoch is Event-Timestamp or receive time −
 * Acct-Delay-Time (Debian's preprocess), nasipaddress falls back to the packet source.
 *
 * Deliberate differences, each documented in radiusd/README.md:
 * - `class` is written from the request's Class (FreeRADIUS ships the class column unused).
 * - `tenant_id` is the NAS's tenant.
 * - Acct-Session-Id reuse (protocol digest gotcha 14): when a Start/Interim/Stop would fall onto a *closed*
 *   row whose stop time is before this packet's session start, the packet belongs to a new session of a
 *   rebooted router. The old row keeps its data and is renamed `<acctuniqueid>/<radacctid>`; the new session
 *   gets its own row. A late Start (its event before the closed row's stop) still re-dates the row as stock.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TYPE radiusd_acct_record AS (
      status text, tenant_id uuid, acctsessionid text, acctuniqueid text, username text, realm text,
      nasipaddress inet, nasportid text, nasporttype text, event_epoch bigint, acctsessiontime bigint,
      acctauthentic text, connectinfo text, inputoctets bigint, outputoctets bigint, calledstationid text,
      callingstationid text, acctterminatecause text, servicetype text, framedprotocol text,
      framedipaddress inet, framedipv6address inet, framedipv6prefix inet, framedinterfaceid text,
      delegatedipv6prefix inet, class text
    );

    -- Renames a closed row that a reused Acct-Session-Id collides with, when the new session started after it
    -- stopped. Returns whether it did.
    CREATE FUNCTION radiusd_retire_reused_session(p_uniqueid text, p_session_start timestamptz)
    RETURNS boolean LANGUAGE sql AS $$
      WITH retired AS (
        UPDATE radacct SET acctuniqueid = acctuniqueid || '/' || radacctid
        WHERE acctuniqueid = p_uniqueid AND acctstoptime IS NOT NULL AND acctstoptime < p_session_start
        RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM retired)
    $$;

    CREATE FUNCTION radiusd_acct_insert(r radiusd_acct_record, p_start timestamptz, p_stop timestamptz,
      p_session_time bigint, p_input bigint, p_output bigint, p_cause text)
    RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      n integer;
    BEGIN
      INSERT INTO radacct (acctsessionid, acctuniqueid, username, realm, nasipaddress, nasportid, nasporttype,
        acctstarttime, acctupdatetime, acctstoptime, acctsessiontime, acctauthentic, connectinfo_start,
        connectinfo_stop, acctinputoctets, acctoutputoctets, calledstationid, callingstationid, acctterminatecause,
        servicetype, framedprotocol, framedipaddress, framedipv6address, framedipv6prefix, framedinterfaceid,
        delegatedipv6prefix, class, tenant_id)
      VALUES (r.acctsessionid, r.acctuniqueid, r.username, r.realm, r.nasipaddress, r.nasportid, r.nasporttype,
        p_start, to_timestamp(r.event_epoch), p_stop, p_session_time, r.acctauthentic, r.connectinfo,
        CASE WHEN p_stop IS NULL THEN NULL ELSE r.connectinfo END, p_input, p_output, r.calledstationid,
        r.callingstationid, p_cause, r.servicetype, r.framedprotocol, r.framedipaddress, r.framedipv6address,
        r.framedipv6prefix, r.framedinterfaceid, r.delegatedipv6prefix, r.class, r.tenant_id)
      ON CONFLICT (acctuniqueid) DO NOTHING;
      GET DIAGNOSTICS n = ROW_COUNT;
      RETURN n;
    END $$;

    CREATE FUNCTION radiusd_accounting(p_records jsonb) RETURNS text[] LANGUAGE plpgsql AS $$
    DECLARE
      r radiusd_acct_record;
      ev timestamptz;
      n integer;
      results text[] := '{}';
    BEGIN
      FOR r IN SELECT * FROM jsonb_populate_recordset(NULL::radiusd_acct_record, p_records) LOOP
        ev := to_timestamp(r.event_epoch);
        IF r.status = 'start' THEN
          -- query 1: INSERT … ON CONFLICT (AcctUniqueId) DO UPDATE … WHERE AcctStopTime IS NULL
          INSERT INTO radacct (acctsessionid, acctuniqueid, username, realm, nasipaddress, nasportid, nasporttype,
            acctstarttime, acctupdatetime, acctstoptime, acctsessiontime, acctauthentic, connectinfo_start,
            connectinfo_stop, acctinputoctets, acctoutputoctets, calledstationid, callingstationid,
            acctterminatecause, servicetype, framedprotocol, framedipaddress, framedipv6address, framedipv6prefix,
            framedinterfaceid, delegatedipv6prefix, class, tenant_id)
          VALUES (r.acctsessionid, r.acctuniqueid, r.username, r.realm, r.nasipaddress, r.nasportid, r.nasporttype,
            ev, ev, NULL, 0, r.acctauthentic, r.connectinfo, NULL, 0, 0, r.calledstationid, r.callingstationid,
            NULL, r.servicetype, r.framedprotocol, r.framedipaddress, r.framedipv6address, r.framedipv6prefix,
            r.framedinterfaceid, r.delegatedipv6prefix, r.class, r.tenant_id)
          ON CONFLICT (acctuniqueid) DO UPDATE SET acctstarttime = ev, acctupdatetime = ev,
            connectinfo_start = r.connectinfo
          WHERE radacct.acctuniqueid = r.acctuniqueid AND radacct.acctstoptime IS NULL;
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 THEN results := array_append(results, 'start:insert'::text); CONTINUE; END IF;
          IF radiusd_retire_reused_session(r.acctuniqueid, ev) THEN
            PERFORM radiusd_acct_insert(r, ev, NULL, 0, 0, 0, NULL);
            results := array_append(results, 'start:reused-id'::text); CONTINUE;
          END IF;
          -- query 2: late Start for a closed session re-dates it.
          UPDATE radacct SET acctstarttime = ev, acctupdatetime = ev, connectinfo_start = r.connectinfo
            WHERE acctuniqueid = r.acctuniqueid;
          GET DIAGNOSTICS n = ROW_COUNT;
          results := array_append(results, CASE WHEN n > 0 THEN 'start:redate-closed' ELSE 'start:noop' END::text);

        ELSIF r.status = 'interim' THEN
          UPDATE radacct SET framedipaddress = r.framedipaddress, framedipv6address = r.framedipv6address,
            framedipv6prefix = r.framedipv6prefix, framedinterfaceid = r.framedinterfaceid,
            delegatedipv6prefix = r.delegatedipv6prefix, acctsessiontime = r.acctsessiontime,
            acctinterval = r.event_epoch - extract(epoch FROM coalesce(acctupdatetime, acctstarttime))::bigint,
            acctupdatetime = ev, acctinputoctets = r.inputoctets, acctoutputoctets = r.outputoctets,
            class = coalesce(class, r.class)
          WHERE acctuniqueid = r.acctuniqueid AND acctstoptime IS NULL;
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 THEN results := array_append(results, 'interim:update'::text); CONTINUE; END IF;
          -- query 2: Interim without Start (Debian 3.2.1 starts the row at the interim's event time).
          IF radiusd_retire_reused_session(r.acctuniqueid, ev - make_interval(secs => coalesce(r.acctsessiontime, 0))) THEN
            PERFORM radiusd_acct_insert(r, ev, NULL, r.acctsessiontime, r.inputoctets, r.outputoctets, NULL);
            results := array_append(results, 'interim:reused-id'::text); CONTINUE;
          END IF;
          n := radiusd_acct_insert(r, ev, NULL, r.acctsessiontime, r.inputoctets, r.outputoctets, NULL);
          results := array_append(results, CASE WHEN n > 0 THEN 'interim:insert' ELSE 'interim:noop' END::text);

        ELSIF r.status = 'stop' THEN
          UPDATE radacct SET acctstoptime = ev, acctupdatetime = ev,
            acctsessiontime = coalesce(r.acctsessiontime, r.event_epoch - extract(epoch FROM acctstarttime)::bigint),
            acctinputoctets = r.inputoctets, acctoutputoctets = r.outputoctets,
            acctterminatecause = r.acctterminatecause, framedipaddress = r.framedipaddress,
            framedipv6address = r.framedipv6address, framedipv6prefix = r.framedipv6prefix,
            framedinterfaceid = r.framedinterfaceid, delegatedipv6prefix = r.delegatedipv6prefix,
            connectinfo_stop = r.connectinfo, class = coalesce(class, r.class)
          WHERE acctuniqueid = r.acctuniqueid AND acctstoptime IS NULL;
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 THEN results := array_append(results, 'stop:update'::text); CONTINUE; END IF;
          IF radiusd_retire_reused_session(r.acctuniqueid, ev - make_interval(secs => coalesce(r.acctsessiontime, 0))) THEN
            PERFORM radiusd_acct_insert(r, to_timestamp(r.event_epoch - coalesce(r.acctsessiontime, 0)), ev,
              r.acctsessiontime, r.inputoctets, r.outputoctets, r.acctterminatecause);
            results := array_append(results, 'stop:reused-id'::text); CONTINUE;
          END IF;
          -- query 2: Stop without Start inserts a closed row, started Acct-Session-Time before the event.
          n := radiusd_acct_insert(r, to_timestamp(r.event_epoch - coalesce(r.acctsessiontime, 0)), ev,
            r.acctsessiontime, r.inputoctets, r.outputoctets, r.acctterminatecause);
          IF n > 0 THEN results := array_append(results, 'stop:insert'::text); CONTINUE; END IF;
          -- query 3: duplicate Stop re-stamps the closed row.
          UPDATE radacct SET acctstoptime = ev, acctupdatetime = ev,
            acctsessiontime = coalesce(r.acctsessiontime, r.event_epoch - extract(epoch FROM acctstarttime)::bigint),
            acctinputoctets = r.inputoctets, acctoutputoctets = r.outputoctets,
            acctterminatecause = r.acctterminatecause, framedipaddress = r.framedipaddress,
            framedipv6address = r.framedipv6address, framedipv6prefix = r.framedipv6prefix,
            framedinterfaceid = r.framedinterfaceid, delegatedipv6prefix = r.delegatedipv6prefix,
            connectinfo_stop = r.connectinfo
          WHERE acctuniqueid = r.acctuniqueid;
          GET DIAGNOSTICS n = ROW_COUNT;
          results := array_append(results, CASE WHEN n > 0 THEN 'stop:restamp-closed' ELSE 'stop:noop' END::text);

        ELSIF r.status IN ('accounting-on', 'accounting-off') THEN
          UPDATE radacct SET acctstoptime = ev, acctupdatetime = ev,
            acctsessiontime = r.event_epoch - extract(epoch FROM acctstarttime)::bigint,
            acctterminatecause = coalesce(nullif(r.acctterminatecause, ''), 'NAS-Reboot')
          WHERE acctstoptime IS NULL AND nasipaddress = r.nasipaddress AND acctstarttime <= ev;
          GET DIAGNOSTICS n = ROW_COUNT;
          results := array_append(results, (r.status || ':closed-' || n)::text);
        ELSE
          -- No or unknown Acct-Status-Type: FreeRADIUS's "SELECT true" — acknowledged, nothing written.
          results := array_append(results, 'ignored'::text::text);
        END IF;
      END LOOP;
      RETURN results;
    END $$;
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP FUNCTION IF EXISTS radiusd_accounting(jsonb);
    DROP FUNCTION IF EXISTS radiusd_acct_insert(radiusd_acct_record, timestamptz, timestamptz, bigint, bigint, bigint, text);
    DROP FUNCTION IF EXISTS radiusd_retire_reused_session(text, timestamptz);
    DROP TYPE IF EXISTS radiusd_acct_record;
  `.execute(db)
}
