/**
 * radacct that grows for years: a small hot `radacct` and a month-partitioned `radacct_archive`.
 *
 * Why not partition radacct itself: a partitioned table can only have unique indexes that contain the partition
 * key, and FreeRADIUS's stock accounting queries (and radiusd_accounting(), their port) stand on
 * `INSERT … ON CONFLICT (AcctUniqueId)` — a unique index on acctuniqueid alone. Partitioning radacct by time would
 * break a stock FreeRADIUS pointed at this database. So radacct keeps every column, index and constraint, and holds
 * what the live path needs: every open session and every session that stopped within RADACCT_HOT_DAYS (≥ 35, so
 * the sqlcounter daily/weekly/monthly sums, which read sessions that ended in the last 33 days, never need the
 * archive). radacct_archive_closed() moves older closed sessions, in batches, to radacct_archive:
 * - partitioned by month of acctstarttime (UTC), partitions created on demand; retention drops whole months
 *   (radacct_archive_drop_before), which is instant and leaves no bloat, where DELETE on one big table is neither;
 * - the same columns in the same order (`LIKE radacct`): a migration that adds a radacct column adds it here too;
 * - radacct_archived_totals keeps what each user's archived sessions add to the all-time counters
 *   (Max-All-Session, Max-Data, Expire-After), so radiusd_authorize() reads one row instead of the archive, and a
 *   retention drop does not hand a user back time or data they already used;
 * - radacct_history (a security_invoker view, so row-level security applies) is radacct UNION ALL the archive,
 *   for a user's session history.
 * Moving rows does not touch the usage roll-ups (the roll-up trigger ignores DELETE and the archive has none), so
 * reports read the same figures before and after. An existing radacct is converted by the same function: the
 * first runs after this migration move its old closed rows batch by batch, each batch one short transaction, while
 * radiusd keeps writing (SKIP LOCKED: a row an accounting packet holds waits for the next run).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const AUTHORIZE = 'radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer)'
const COUNTERS_FROM = 'FROM radacct a WHERE a.username = p_username AND a.tenant_id IS NOT DISTINCT FROM p_tenant_id'
const COUNTERS_FROM_WITH_ARCHIVE = `FROM (SELECT acctstarttime, acctsessiontime, acctinputoctets, acctoutputoctets, false AS archived
                FROM radacct WHERE username = p_username AND tenant_id IS NOT DISTINCT FROM p_tenant_id
              UNION ALL
              SELECT first_login, session_time, octets, 0, true FROM radacct_archived_totals
                WHERE username = p_username AND tenant_id IS NOT DISTINCT FROM p_tenant_id) a`
const RECENT_FILTER = 'FILTER (WHERE a.acctstarttime + make_interval'
const RECENT_FILTER_HOT_ONLY = 'FILTER (WHERE NOT a.archived AND a.acctstarttime + make_interval'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE radacct_archive (LIKE radacct) PARTITION BY RANGE (acctstarttime);
    CREATE INDEX radacct_archive_tenant_start_idx ON radacct_archive (tenant_id, acctstarttime);
    CREATE INDEX radacct_archive_username_start_idx ON radacct_archive (username, acctstarttime);
    CREATE INDEX radacct_archive_id_idx ON radacct_archive (radacctid);

    CREATE TABLE radacct_archived_totals (
      tenant_id uuid,
      username text NOT NULL,
      session_time bigint NOT NULL,
      octets bigint NOT NULL,
      first_login timestamptz,
      CONSTRAINT radacct_archived_totals_user UNIQUE NULLS NOT DISTINCT (tenant_id, username)
    );

    CREATE VIEW radacct_history WITH (security_invoker = true) AS
      SELECT * FROM radacct UNION ALL SELECT * FROM radacct_archive;

    -- The archive partition for the month starting p_month (UTC), created if missing; returns its name. Reads go
    -- through radacct_archive, whose policy applies; the partition gets the same policy so that it holds on its own
    -- too (mnetifi_app has no grant on it either).
    CREATE FUNCTION radacct_archive_partition(p_month date) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      part text := format('radacct_archive_%s', to_char(p_month, 'YYYY_MM'));
    BEGIN
      IF to_regclass(part) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF radacct_archive FOR VALUES FROM (%L) TO (%L)', part,
          p_month::text || ' 00:00:00+00', (p_month + interval '1 month')::date::text || ' 00:00:00+00');
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I TO mnetifi_app '
          'USING (tenant_id = nullif(current_setting(''mnetifi.tenant_id'', true), '''')::uuid)', part);
      END IF;
      RETURN part;
    END $$;

    -- Moves up to p_limit closed sessions that started and stopped before p_before from radacct to the archive,
    -- oldest first, and adds them to the archived totals. Returns how many it moved (0 when another archiver
    -- holds the lock: replicas may all call it).
    CREATE FUNCTION radacct_archive_closed(p_before timestamptz, p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      ids bigint[];
      m date;
      n integer;
    BEGIN
      IF NOT pg_try_advisory_xact_lock(hashtext('radacct_archive_closed')) THEN
        RETURN 0;
      END IF;
      -- radacct_start_user_idx leads with acctstarttime; a closed session stopped after it started.
      SELECT array_agg(radacctid) INTO ids FROM (
        SELECT radacctid FROM radacct WHERE acctstarttime < p_before AND acctstoptime < p_before
        ORDER BY acctstarttime LIMIT p_limit FOR UPDATE SKIP LOCKED) c;
      IF ids IS NULL THEN
        RETURN 0;
      END IF;
      FOR m IN SELECT DISTINCT date_trunc('month', acctstarttime, 'UTC')::date FROM radacct WHERE radacctid = ANY (ids) LOOP
        PERFORM radacct_archive_partition(m);
      END LOOP;
      WITH moved AS (
        DELETE FROM radacct WHERE radacctid = ANY (ids) RETURNING *
      ), archived AS (
        INSERT INTO radacct_archive SELECT * FROM moved
      ), totals AS (
        INSERT INTO radacct_archived_totals AS t (tenant_id, username, session_time, octets, first_login)
        SELECT tenant_id, username, sum(coalesce(acctsessiontime, 0)),
          sum(coalesce(acctinputoctets, 0) + coalesce(acctoutputoctets, 0)), min(acctstarttime)
        FROM moved WHERE username IS NOT NULL GROUP BY tenant_id, username
        ON CONFLICT ON CONSTRAINT radacct_archived_totals_user DO UPDATE SET
          session_time = t.session_time + EXCLUDED.session_time, octets = t.octets + EXCLUDED.octets,
          first_login = least(t.first_login, EXCLUDED.first_login)
      )
      -- Data-modifying CTEs run whether or not they are referenced.
      SELECT count(*) INTO n FROM moved;
      RETURN n;
    END $$;

    -- Retention: drops every archive month that ends on or before p_before; returns the partitions dropped.
    CREATE FUNCTION radacct_archive_drop_before(p_before timestamptz) RETURNS text[] LANGUAGE plpgsql AS $$
    DECLARE
      part text;
      dropped text[] := '{}';
    BEGIN
      FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'radacct_archive'::regclass AND c.relname ~ '^radacct_archive_[0-9]{4}_[0-9]{2}$'
          AND (to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC' <= p_before
        ORDER BY c.relname
      LOOP
        EXECUTE format('DROP TABLE %I', part);
        dropped := array_append(dropped, part);
      END LOOP;
      RETURN dropped;
    END $$;

    GRANT SELECT ON radacct_archive, radacct_archived_totals, radacct_history TO mnetifi_app;
    ALTER TABLE radacct_archive ENABLE ROW LEVEL SECURITY;
    ALTER TABLE radacct_archive FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON radacct_archive TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
    ALTER TABLE radacct_archived_totals ENABLE ROW LEVEL SECURITY;
    ALTER TABLE radacct_archived_totals FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON radacct_archived_totals TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
  await replaceInFunction(db, AUTHORIZE, COUNTERS_FROM, COUNTERS_FROM_WITH_ARCHIVE)
  await replaceInFunction(db, AUTHORIZE, RECENT_FILTER, RECENT_FILTER_HOT_ONLY)
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceInFunction(db, AUTHORIZE, RECENT_FILTER_HOT_ONLY, RECENT_FILTER)
  await replaceInFunction(db, AUTHORIZE, COUNTERS_FROM_WITH_ARCHIVE, COUNTERS_FROM)
  // Archived sessions go back to radacct first: down loses no accounting either (without re-adding them to the
  // usage roll-ups, which already count them).
  await sql`
    ALTER TABLE radacct DISABLE TRIGGER radacct_usage;
    INSERT INTO radacct SELECT * FROM radacct_archive;
    ALTER TABLE radacct ENABLE TRIGGER radacct_usage;
    DROP VIEW radacct_history;
    DROP FUNCTION radacct_archive_drop_before(timestamptz);
    DROP FUNCTION radacct_archive_closed(timestamptz, integer);
    DROP FUNCTION radacct_archive_partition(date);
    DROP TABLE radacct_archived_totals;
    DROP TABLE radacct_archive;
  `.execute(db)
}
