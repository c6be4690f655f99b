/**
 * Exact unique users per tenant-day without a DISTINCT at report time: the 90-day benchmark showed the
 * per-day count(DISTINCT username) over ~600k usage_user_days rows costing ~300 ms. The fold now also
 * records who was online per tenant-day (any NAS, any service) and keeps the count in usage_day_totals.
 * mnetifi_fold_usage() is redefined with the two extra CTEs; down restores the previous definition.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE usage_tenant_day_users (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      day date NOT NULL,
      username text NOT NULL,
      PRIMARY KEY (tenant_id, day, username)
    );
    CREATE TABLE usage_day_totals (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      day date NOT NULL,
      unique_users bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, day)
    );
    INSERT INTO usage_tenant_day_users (tenant_id, day, username)
      SELECT DISTINCT tenant_id, day, username FROM usage_user_days;
    INSERT INTO usage_day_totals (tenant_id, day, unique_users)
      SELECT tenant_id, day, count(*) FROM usage_tenant_day_users GROUP BY 1, 2;

    CREATE OR REPLACE FUNCTION mnetifi_fold_usage() RETURNS bigint LANGUAGE plpgsql AS $$
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
      ), new_tenant_days AS (
        INSERT INTO usage_tenant_day_users (tenant_id, day, username)
        SELECT DISTINCT tenant_id, day, username FROM moved WHERE sessions > 0
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, day
      ), day_totals AS (
        INSERT INTO usage_day_totals AS t (tenant_id, day, unique_users)
        SELECT tenant_id, day, count(*) FROM new_tenant_days GROUP BY 1, 2
        ON CONFLICT (tenant_id, day) DO UPDATE SET unique_users = t.unique_users + EXCLUDED.unique_users
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


    GRANT SELECT, INSERT, UPDATE, DELETE ON usage_tenant_day_users, usage_day_totals TO mnetifi_app;
    ALTER TABLE usage_tenant_day_users ENABLE ROW LEVEL SECURITY;
    ALTER TABLE usage_tenant_day_users FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON usage_tenant_day_users TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
    ALTER TABLE usage_day_totals ENABLE ROW LEVEL SECURITY;
    ALTER TABLE usage_day_totals FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON usage_day_totals TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION mnetifi_fold_usage() RETURNS bigint LANGUAGE plpgsql AS $$
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

    DROP TABLE IF EXISTS usage_day_totals, usage_tenant_day_users;
  `.execute(db)
}
