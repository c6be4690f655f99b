/**
 * Daily usage roll-ups for the performance reports, maintained incrementally from radacct.
 *
 * Why this shape: an accounting packet must stay cheap and must not contend with other packets. A row
 * trigger on radacct therefore only APPENDS a delta row (no UPDATE of a shared counter row, which would
 * serialise every Interim-Update of a hotspot on one lock). mnetifi_fold_usage() later folds the deltas
 * into usage_daily (one row per tenant/day/NAS/service) and usage_user_days (who was online that day), so
 * a 90-day report reads a few hundred roll-up rows plus one index scan for unique users, never radacct.
 *
 * A session counts on the day it started, in the tenant's time zone (as daloRADIUS reports do); bytes and
 * time added by later Interim-Updates/Stop go to that same day. Deleting radacct rows (retention) does
 * NOT subtract: roll-ups are meant to outlive raw accounting.
 * service = 'PPPOE' when Framed-Protocol is PPP, else 'HOTSPOT'.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE usage_daily (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      day date NOT NULL,
      nas_ip inet NOT NULL,
      service text NOT NULL CHECK (service IN ('HOTSPOT', 'PPPOE')),
      sessions bigint NOT NULL DEFAULT 0,
      unique_users bigint NOT NULL DEFAULT 0,
      input_octets bigint NOT NULL DEFAULT 0,
      output_octets bigint NOT NULL DEFAULT 0,
      session_time bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, day, nas_ip, service)
    );

    CREATE TABLE usage_user_days (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      day date NOT NULL,
      nas_ip inet NOT NULL,
      service text NOT NULL,
      username text NOT NULL,
      PRIMARY KEY (tenant_id, day, nas_ip, service, username)
    );

    -- Append-only inbox of changes; emptied by mnetifi_fold_usage().
    CREATE TABLE usage_deltas (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL,
      day date NOT NULL,
      nas_ip inet NOT NULL,
      service text NOT NULL,
      username text NOT NULL,
      sessions integer NOT NULL,
      input_octets bigint NOT NULL,
      output_octets bigint NOT NULL,
      session_time bigint NOT NULL
    );

    CREATE FUNCTION mnetifi_usage_day(p_tenant uuid, t timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
      SELECT (t AT TIME ZONE coalesce((SELECT timezone FROM tenants WHERE id = p_tenant), 'Africa/Nairobi'))::date
    $$;

    CREATE FUNCTION mnetifi_radacct_usage() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      moved boolean := false;
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        moved := NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.nasipaddress IS DISTINCT FROM OLD.nasipaddress
          OR NEW.username IS DISTINCT FROM OLD.username OR NEW.framedprotocol IS DISTINCT FROM OLD.framedprotocol
          OR NEW.acctstarttime IS DISTINCT FROM OLD.acctstarttime;
        IF NOT moved THEN
          IF NEW.tenant_id IS NOT NULL AND (
              coalesce(NEW.acctinputoctets, 0) <> coalesce(OLD.acctinputoctets, 0)
              OR coalesce(NEW.acctoutputoctets, 0) <> coalesce(OLD.acctoutputoctets, 0)
              OR coalesce(NEW.acctsessiontime, 0) <> coalesce(OLD.acctsessiontime, 0)) THEN
            INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
            VALUES (NEW.tenant_id, mnetifi_usage_day(NEW.tenant_id, coalesce(NEW.acctstarttime, NEW.acctupdatetime, now())),
              NEW.nasipaddress, CASE WHEN NEW.framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END,
              coalesce(NEW.username, ''), 0,
              coalesce(NEW.acctinputoctets, 0) - coalesce(OLD.acctinputoctets, 0),
              coalesce(NEW.acctoutputoctets, 0) - coalesce(OLD.acctoutputoctets, 0),
              coalesce(NEW.acctsessiontime, 0) - coalesce(OLD.acctsessiontime, 0));
          END IF;
          RETURN NULL;
        END IF;
        -- The session changed bucket: take all of it out of the old one (its user-day stays counted).
        IF OLD.tenant_id IS NOT NULL THEN
          INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
          VALUES (OLD.tenant_id, mnetifi_usage_day(OLD.tenant_id, coalesce(OLD.acctstarttime, OLD.acctupdatetime, now())),
            OLD.nasipaddress, CASE WHEN OLD.framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END,
            coalesce(OLD.username, ''), -1, -coalesce(OLD.acctinputoctets, 0), -coalesce(OLD.acctoutputoctets, 0),
            -coalesce(OLD.acctsessiontime, 0));
        END IF;
      END IF;
      IF NEW.tenant_id IS NOT NULL THEN
        INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
        VALUES (NEW.tenant_id, mnetifi_usage_day(NEW.tenant_id, coalesce(NEW.acctstarttime, NEW.acctupdatetime, now())),
          NEW.nasipaddress, CASE WHEN NEW.framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END,
          coalesce(NEW.username, ''), 1, coalesce(NEW.acctinputoctets, 0), coalesce(NEW.acctoutputoctets, 0),
          coalesce(NEW.acctsessiontime, 0));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER radacct_usage AFTER INSERT OR UPDATE ON radacct
      FOR EACH ROW EXECUTE FUNCTION mnetifi_radacct_usage();

    -- Folds pending deltas into the roll-ups; returns how many deltas it folded. One folder at a time: a
    -- second caller returns 0 at once instead of waiting (the running fold already takes its rows).
    CREATE FUNCTION mnetifi_fold_usage() RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE
      folded bigint;
    BEGIN
      IF NOT pg_try_advisory_xact_lock(hashtext('mnetifi_fold_usage')) THEN
        RETURN 0;
      END IF;
      WITH moved AS (
        DELETE FROM usage_deltas RETURNING *
      ), new_user_days AS (
        INSERT INTO usage_user_days (tenant_id, day, nas_ip, service, username)
        SELECT DISTINCT tenant_id, day, nas_ip, service, username FROM moved WHERE sessions > 0
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, day, nas_ip, service
      ), new_users AS (
        SELECT tenant_id, day, nas_ip, service, count(*) AS n FROM new_user_days GROUP BY 1, 2, 3, 4
      ), sums AS (
        SELECT tenant_id, day, nas_ip, service, count(*) AS deltas, sum(sessions) AS sessions,
          sum(input_octets) AS input_octets, sum(output_octets) AS output_octets, sum(session_time) AS session_time
        FROM moved GROUP BY 1, 2, 3, 4
      ), upserted AS (
        INSERT INTO usage_daily AS d (tenant_id, day, nas_ip, service, sessions, unique_users, input_octets,
          output_octets, session_time)
        SELECT s.tenant_id, s.day, s.nas_ip, s.service, s.sessions, coalesce(u.n, 0), s.input_octets,
          s.output_octets, s.session_time
        FROM sums s LEFT JOIN new_users u USING (tenant_id, day, nas_ip, service)
        ON CONFLICT (tenant_id, day, nas_ip, service) DO UPDATE SET
          sessions = d.sessions + EXCLUDED.sessions,
          unique_users = d.unique_users + EXCLUDED.unique_users,
          input_octets = d.input_octets + EXCLUDED.input_octets,
          output_octets = d.output_octets + EXCLUDED.output_octets,
          session_time = d.session_time + EXCLUDED.session_time
      )
      -- A data-modifying CTE runs once whether or not it is referenced, so upserted needs no RETURNING.
      SELECT coalesce(sum(deltas), 0) INTO folded FROM sums;
      RETURN folded;
    END $$;

    -- Backfill from accounting already on disk, so reports are complete from the first fold.
    INSERT INTO usage_deltas (tenant_id, day, nas_ip, service, username, sessions, input_octets, output_octets, session_time)
    SELECT tenant_id, mnetifi_usage_day(tenant_id, coalesce(acctstarttime, acctupdatetime, now())), nasipaddress,
      CASE WHEN framedprotocol = 'PPP' THEN 'PPPOE' ELSE 'HOTSPOT' END, coalesce(username, ''), 1,
      coalesce(acctinputoctets, 0), coalesce(acctoutputoctets, 0), coalesce(acctsessiontime, 0)
    FROM radacct WHERE tenant_id IS NOT NULL;
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS radacct_usage ON radacct;
    DROP FUNCTION IF EXISTS mnetifi_fold_usage(), mnetifi_radacct_usage(), mnetifi_usage_day(uuid, timestamptz);
    DROP TABLE IF EXISTS usage_deltas, usage_user_days, usage_daily;
  `.execute(db)
}
