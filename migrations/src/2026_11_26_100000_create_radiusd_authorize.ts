/**
 * radiusd's hot path in one statement: `radiusd_authorize()` returns everything the policy needs for one
 * Access-Request (tenant status, the native user with plan and static IP — or the operator's rad* rows with
 * their groups — and the Simultaneous-Use occupancy), and takes a session claim so that two concurrent logins
 * of one user cannot both be accepted (protocol digest gotcha 15; FreeRADIUS's `sql_session_start` idea).
 *
 * Claims live in an UNLOGGED table: they matter for seconds (until the NAS's Accounting-Start lands), so they
 * need no WAL, and every radiusd replica sees them. A per-user advisory transaction lock serialises the
 * count-then-claim of concurrent requests for the same user.
 *
 * Operator rows are those with managed_by IS NULL; the 'mnetifi' rows are the mirror of native users that
 * radiusd reads from the domain tables directly. Rows are scoped to the NAS's tenant (NULL tenant = a plain
 * FreeRADIUS install's rows, used by NAS rows without a tenant).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE radiusd_session_claims (
      id bigserial PRIMARY KEY,
      tenant_id uuid,
      username text NOT NULL,
      calling_station_id text,
      nas_ip inet NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX radiusd_session_claims_user_idx ON radiusd_session_claims (username, expires_at);

    CREATE FUNCTION radiusd_authorize(
      p_tenant_id uuid,
      p_username text,
      p_mac macaddr,
      p_calling_station_id text,
      p_nas_ip inet,
      p_interval_s integer,
      p_grace_s integer,
      p_claim_ttl_s integer
    ) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      u wifi_users;
      p plans;
      v_via_mac boolean := false;
      v_tenant_status text;
      v_ip inet;
      v_name text := p_username;
      v_rad jsonb;
      v_limited boolean := false;
      v_sessions integer := 0;
      v_claims integer := 0;
      v_claim bigint;
      v_stale_after interval;
    BEGIN
      -- Claims are disposable; do not wait for a WAL flush on their account.
      PERFORM set_config('synchronous_commit', 'off', true);
      IF p_tenant_id IS NOT NULL THEN
        SELECT saas_billing_status INTO v_tenant_status FROM tenants WHERE id = p_tenant_id;
        SELECT * INTO u FROM wifi_users
          WHERE tenant_id = p_tenant_id AND username = p_username AND archived_at IS NULL;
        IF u.id IS NULL AND p_mac IS NOT NULL THEN
          SELECT w.* INTO u FROM wifi_user_devices d JOIN wifi_users w ON w.id = d.user_id
            WHERE d.tenant_id = p_tenant_id AND d.mac_address = p_mac AND w.archived_at IS NULL;
          v_via_mac := u.id IS NOT NULL;
        END IF;
      END IF;

      IF u.id IS NOT NULL THEN
        SELECT * INTO p FROM plans WHERE id = u.current_plan_id;
        SELECT ip_address INTO v_ip FROM ip_assignments WHERE user_id = u.id;
        v_name := u.username;
        -- No claim for a login that is going to be rejected anyway (same checks as the policy stages).
        v_limited := p.id IS NOT NULL AND p.is_active AND p.archived_at IS NULL AND u.status = 'ACTIVE'
          AND u.account_type = ANY (p.account_types) AND u.expiry_time > now()
          AND v_tenant_status IS DISTINCT FROM 'BLOCKED';
      ELSE
        -- Static SQL (not EXECUTE) so plpgsql caches the plans: this runs on every operator-row login.
        SELECT jsonb_build_object(
          'check', (SELECT coalesce(jsonb_agg(jsonb_build_array(c.attribute, c.op, c.value) ORDER BY c.id), '[]')
            FROM radcheck c WHERE c.username = p_username AND c.managed_by IS NULL
              AND c.tenant_id IS NOT DISTINCT FROM p_tenant_id),
          'reply', (SELECT coalesce(jsonb_agg(jsonb_build_array(r.attribute, r.op, r.value) ORDER BY r.id), '[]')
            FROM radreply r WHERE r.username = p_username AND r.managed_by IS NULL
              AND r.tenant_id IS NOT DISTINCT FROM p_tenant_id),
          'groups', (SELECT coalesce(jsonb_agg(jsonb_build_object(
              'name', g.groupname,
              'check', (SELECT coalesce(jsonb_agg(jsonb_build_array(c.attribute, c.op, c.value) ORDER BY c.id), '[]')
                FROM radgroupcheck c WHERE c.groupname = g.groupname AND c.managed_by IS NULL
                  AND c.tenant_id IS NOT DISTINCT FROM p_tenant_id),
              'reply', (SELECT coalesce(jsonb_agg(jsonb_build_array(r.attribute, r.op, r.value) ORDER BY r.id), '[]')
                FROM radgroupreply r WHERE r.groupname = g.groupname AND r.managed_by IS NULL
                  AND r.tenant_id IS NOT DISTINCT FROM p_tenant_id)
            ) ORDER BY g.priority, g.id), '[]')
            FROM radusergroup g
            WHERE g.username = p_username AND g.managed_by IS NULL AND g.tenant_id IS NOT DISTINCT FROM p_tenant_id))
        INTO v_rad;
        v_limited := v_rad @? '$.check[*] ? (@[0] == "Simultaneous-Use")'
          OR v_rad @? '$.groups[*].check[*] ? (@[0] == "Simultaneous-Use")';
      END IF;

      IF v_limited THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(coalesce(p_tenant_id::text, '') || '/' || v_name, 0));
        -- Stale-session protection: no update for 2 × interim interval + grace ⇒ treated as closed.
        v_stale_after := make_interval(secs => 2 * greatest(coalesce(p.acct_interim_interval, p_interval_s), 60) + p_grace_s);
        SELECT count(*) INTO v_sessions FROM radacct a
          WHERE a.username = v_name AND a.acctstoptime IS NULL
            AND a.tenant_id IS NOT DISTINCT FROM p_tenant_id
            AND coalesce(a.acctupdatetime, a.acctstarttime) > now() - v_stale_after;
        DELETE FROM radiusd_session_claims c
          WHERE c.username = v_name AND c.expires_at < now() AND c.tenant_id IS NOT DISTINCT FROM p_tenant_id;
        -- A claim stops counting once its device has an open session (that session is counted instead), and a
        -- device's own earlier claim never blocks it (a retried login from the same phone).
        SELECT count(*) INTO v_claims FROM radiusd_session_claims c
          WHERE c.username = v_name AND c.tenant_id IS NOT DISTINCT FROM p_tenant_id AND c.expires_at >= now()
            AND (p_calling_station_id IS NULL OR c.calling_station_id IS DISTINCT FROM p_calling_station_id)
            AND NOT EXISTS (SELECT 1 FROM radacct a WHERE a.username = v_name AND a.acctstoptime IS NULL
              AND a.callingstationid = c.calling_station_id);
        INSERT INTO radiusd_session_claims (tenant_id, username, calling_station_id, nas_ip, expires_at)
          VALUES (p_tenant_id, v_name, p_calling_station_id, p_nas_ip, now() + make_interval(secs => p_claim_ttl_s))
          RETURNING id INTO v_claim;
      END IF;

      RETURN jsonb_build_object(
        'now', extract(epoch FROM clock_timestamp()),
        'tenantStatus', v_tenant_status,
        'user', CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object(
          'id', u.id, 'username', u.username, 'password', u.password, 'accountType', u.account_type,
          'status', u.status, 'expiry', extract(epoch FROM u.expiry_time), 'framedPool', u.framed_pool,
          'staticIp', host(v_ip), 'viaMac', v_via_mac) END,
        'plan', CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object(
          'id', p.id, 'active', p.is_active AND p.archived_at IS NULL, 'accountTypes', to_jsonb(p.account_types),
          'upload_limit', p.upload_limit, 'download_limit', p.download_limit,
          'burst_rate_up', p.burst_rate_up, 'burst_rate_down', p.burst_rate_down,
          'burst_threshold_up', p.burst_threshold_up, 'burst_threshold_down', p.burst_threshold_down,
          'burst_time', p.burst_time, 'priority', p.priority, 'dataQuota', p.data_quota,
          'simultaneousUse', p.simultaneous_use, 'interimInterval', p.acct_interim_interval,
          'idleTimeout', p.idle_timeout) END,
        'rad', v_rad,
        'occupancy', v_sessions + v_claims,
        'claimId', v_claim);
    END $$;
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP FUNCTION IF EXISTS radiusd_authorize(uuid, text, macaddr, text, inet, integer, integer, integer);
    DROP TABLE IF EXISTS radiusd_session_claims;
  `.execute(db)
}
