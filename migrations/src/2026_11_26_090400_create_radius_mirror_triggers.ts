/**
 * Mirror MnetiFi plans, users and hotspots into the FreeRADIUS tables, so that a stock FreeRADIUS 3.2 with the
 * queries in docker/freeradius/ authorises our users with the same reply attributes as radiusd.
 *
 * What is written (every row with managed_by = 'mnetifi' and the owner's tenant_id; operator rows, whose
 * managed_by is NULL, are never touched):
 * - plan P → group `mnetifi:plan:<P.id>`:
 *     radgroupreply  Mikrotik-Rate-Limit := <rendered>, Acct-Interim-Interval := n, Idle-Timeout := n,
 *                    Mikrotik-Total-Limit(+Gigawords) := quota
 *     radgroupcheck  Simultaneous-Use := P.simultaneous_use
 * - user U →
 *     radcheck       Cleartext-Password := pw, Expiration := 'Mon DD YYYY HH:MM:SS UTC',
 *                    Auth-Type := Reject (+ radreply Reply-Message) when suspended, tenant BLOCKED, no plan,
 *                    or the plan does not serve U's account type
 *     radreply       Class := 'mnetifi:<tenant>:<user>:<plan>', Framed-Protocol := PPP (PPPoE),
 *                    Framed-IP-Address := static address | Framed-Pool := pool
 *     radusergroup   U → mnetifi:plan:<plan>
 * - hotspot H → nas row (nasname = host(nas_ip), secret, tenant_id, hotspot_id).
 *
 * The rate-limit string is rendered by mnetifi_rate_limit(), the SQL twin of db/src/domain/rate-limit.ts;
 * db/test/rate-limit-parity.test.ts proves they agree.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION mnetifi_rate_value(bps bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE
        WHEN bps % 1000000 = 0 THEN (bps / 1000000)::text || 'M'
        WHEN bps % 1000 = 0 THEN (bps / 1000)::text || 'k'
        ELSE bps::text END
    $$;

    -- rx/tx order is the router's: rx = what the router receives = the subscriber's upload.
    CREATE FUNCTION mnetifi_rate_limit(p plans) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT mnetifi_rate_value(p.upload_limit) || '/' || mnetifi_rate_value(p.download_limit)
        || CASE WHEN p.burst_rate_up IS NOT NULL THEN
             ' ' || mnetifi_rate_value(p.burst_rate_up) || '/' || mnetifi_rate_value(p.burst_rate_down)
             || ' ' || mnetifi_rate_value(p.burst_threshold_up) || '/' || mnetifi_rate_value(p.burst_threshold_down)
             || ' ' || p.burst_time::text || '/' || p.burst_time::text
           WHEN p.priority IS NOT NULL THEN ' 0/0 0/0 0/0'
           ELSE '' END
        || CASE WHEN p.priority IS NOT NULL THEN ' ' || p.priority::text ELSE '' END
    $$;

    CREATE FUNCTION mnetifi_plan_group(plan_id uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT 'mnetifi:plan:' || plan_id::text
    $$;

    -- FreeRADIUS parses Expiration with strptime("%b %e %Y %H:%M:%S %Z").
    CREATE FUNCTION mnetifi_expiration_text(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT to_char(t AT TIME ZONE 'UTC', 'Mon DD YYYY HH24:MI:SS') || ' UTC'
    $$;

    CREATE FUNCTION mnetifi_sync_plan(plan_id uuid) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      p plans;
      g text := mnetifi_plan_group(plan_id);
    BEGIN
      DELETE FROM radgroupreply WHERE groupname = g AND managed_by = 'mnetifi';
      DELETE FROM radgroupcheck WHERE groupname = g AND managed_by = 'mnetifi';
      SELECT * INTO p FROM plans WHERE id = plan_id;
      IF NOT FOUND OR p.archived_at IS NOT NULL THEN
        RETURN;
      END IF;
      INSERT INTO radgroupcheck (groupname, attribute, op, value, tenant_id, managed_by)
        VALUES (g, 'Simultaneous-Use', ':=', p.simultaneous_use::text, p.tenant_id, 'mnetifi');
      INSERT INTO radgroupreply (groupname, attribute, op, value, tenant_id, managed_by)
        SELECT g, a, ':=', v, p.tenant_id, 'mnetifi' FROM (VALUES
          (1, 'Mikrotik-Rate-Limit', mnetifi_rate_limit(p)),
          (2, 'Acct-Interim-Interval', p.acct_interim_interval::text),
          (3, 'Idle-Timeout', p.idle_timeout::text),
          (4, 'Mikrotik-Total-Limit', (p.data_quota % 4294967296)::text),
          (5, 'Mikrotik-Total-Limit-Gigawords', NULLIF(p.data_quota / 4294967296, 0)::text)
        ) AS r (n, a, v)
        WHERE v IS NOT NULL ORDER BY n;
    END $$;

    CREATE FUNCTION mnetifi_sync_user(p_tenant_id uuid, p_username text) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      u wifi_users;
      p plans;
      t tenants;
      ip inet;
      reason text;
    BEGIN
      DELETE FROM radcheck WHERE tenant_id = p_tenant_id AND username = p_username AND managed_by = 'mnetifi';
      DELETE FROM radreply WHERE tenant_id = p_tenant_id AND username = p_username AND managed_by = 'mnetifi';
      DELETE FROM radusergroup WHERE tenant_id = p_tenant_id AND username = p_username AND managed_by = 'mnetifi';
      SELECT * INTO u FROM wifi_users WHERE tenant_id = p_tenant_id AND username = p_username;
      IF NOT FOUND OR u.archived_at IS NOT NULL THEN
        RETURN;
      END IF;
      SELECT * INTO t FROM tenants WHERE id = u.tenant_id;
      SELECT * INTO p FROM plans WHERE id = u.current_plan_id;
      SELECT a.ip_address INTO ip FROM ip_assignments a WHERE a.user_id = u.id;

      reason := CASE
        WHEN t.saas_billing_status = 'BLOCKED' THEN 'Service is temporarily unavailable. Please contact your provider.'
        WHEN u.status = 'SUSPENDED' THEN 'Your account is suspended. Please contact support.'
        WHEN p.id IS NULL OR u.expiry_time IS NULL THEN 'You have no active plan. Please buy a package.'
        WHEN NOT (u.account_type = ANY (p.account_types)) THEN 'Your plan does not cover this type of connection.'
      END;

      INSERT INTO radcheck (username, attribute, op, value, tenant_id, managed_by)
        VALUES (u.username, 'Cleartext-Password', ':=', u.password, u.tenant_id, 'mnetifi');
      IF u.expiry_time IS NOT NULL THEN
        INSERT INTO radcheck (username, attribute, op, value, tenant_id, managed_by)
          VALUES (u.username, 'Expiration', ':=', mnetifi_expiration_text(u.expiry_time), u.tenant_id, 'mnetifi');
      END IF;
      IF reason IS NOT NULL THEN
        INSERT INTO radcheck (username, attribute, op, value, tenant_id, managed_by)
          VALUES (u.username, 'Auth-Type', ':=', 'Reject', u.tenant_id, 'mnetifi');
        INSERT INTO radreply (username, attribute, op, value, tenant_id, managed_by)
          VALUES (u.username, 'Reply-Message', ':=', reason, u.tenant_id, 'mnetifi');
        RETURN;
      END IF;

      INSERT INTO radreply (username, attribute, op, value, tenant_id, managed_by)
        SELECT u.username, a, ':=', v, u.tenant_id, 'mnetifi' FROM (VALUES
          (1, 'Framed-Protocol', CASE WHEN u.account_type = 'PPPOE' THEN 'PPP' END),
          (2, 'Framed-IP-Address', CASE WHEN u.account_type IN ('PPPOE', 'STATIC') THEN host(ip) END),
          (3, 'Framed-Pool', CASE WHEN u.account_type = 'PPPOE' AND ip IS NULL THEN u.framed_pool END),
          (4, 'Class', 'mnetifi:' || u.tenant_id || ':' || u.id || ':' || p.id)
        ) AS r (n, a, v)
        WHERE v IS NOT NULL ORDER BY n;
      INSERT INTO radusergroup (username, groupname, priority, tenant_id, managed_by)
        VALUES (u.username, mnetifi_plan_group(p.id), 0, u.tenant_id, 'mnetifi');
    END $$;

    CREATE FUNCTION mnetifi_plans_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r record;
    BEGIN
      IF TG_OP = 'DELETE' THEN
        PERFORM mnetifi_sync_plan(OLD.id);
        RETURN NULL;
      END IF;
      PERFORM mnetifi_sync_plan(NEW.id);
      -- Which users are let in depends on the plan's account types and whether it is archived.
      IF TG_OP = 'UPDATE' AND (NEW.account_types IS DISTINCT FROM OLD.account_types
          OR NEW.archived_at IS DISTINCT FROM OLD.archived_at) THEN
        FOR r IN SELECT tenant_id, username FROM wifi_users WHERE current_plan_id = NEW.id LOOP
          PERFORM mnetifi_sync_user(r.tenant_id, r.username);
        END LOOP;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER plans_mirror AFTER INSERT OR UPDATE OR DELETE ON plans
      FOR EACH ROW EXECUTE FUNCTION mnetifi_plans_mirror();

    CREATE FUNCTION mnetifi_wifi_users_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM mnetifi_sync_user(OLD.tenant_id, OLD.username);
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM mnetifi_sync_user(NEW.tenant_id, NEW.username);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER wifi_users_mirror AFTER INSERT OR UPDATE OR DELETE ON wifi_users
      FOR EACH ROW EXECUTE FUNCTION mnetifi_wifi_users_mirror();

    CREATE FUNCTION mnetifi_ip_assignments_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      uid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
      r record;
    BEGIN
      FOR r IN SELECT tenant_id, username FROM wifi_users WHERE id = uid
          OR (TG_OP = 'UPDATE' AND id = OLD.user_id) LOOP
        PERFORM mnetifi_sync_user(r.tenant_id, r.username);
      END LOOP;
      RETURN NULL;
    END $$;
    CREATE TRIGGER ip_assignments_mirror AFTER INSERT OR UPDATE OR DELETE ON ip_assignments
      FOR EACH ROW EXECUTE FUNCTION mnetifi_ip_assignments_mirror();

    CREATE FUNCTION mnetifi_tenants_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r record;
    BEGIN
      FOR r IN SELECT tenant_id, username FROM wifi_users WHERE tenant_id = NEW.id LOOP
        PERFORM mnetifi_sync_user(r.tenant_id, r.username);
      END LOOP;
      RETURN NULL;
    END $$;
    CREATE TRIGGER tenants_mirror AFTER UPDATE OF saas_billing_status ON tenants
      FOR EACH ROW WHEN (NEW.saas_billing_status IS DISTINCT FROM OLD.saas_billing_status)
      EXECUTE FUNCTION mnetifi_tenants_mirror();

    CREATE FUNCTION mnetifi_hotspots_mirror() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.archived_at IS NOT NULL THEN
        DELETE FROM nas WHERE hotspot_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
        RETURN NULL;
      END IF;
      INSERT INTO nas (nasname, shortname, type, secret, description, tenant_id, hotspot_id)
        VALUES (host(NEW.nas_ip), left(NEW.location_name, 32), 'other', NEW.radius_secret,
                NEW.location_name, NEW.tenant_id, NEW.id)
        ON CONFLICT (hotspot_id) DO UPDATE SET nasname = EXCLUDED.nasname, shortname = EXCLUDED.shortname,
          secret = EXCLUDED.secret, description = EXCLUDED.description, tenant_id = EXCLUDED.tenant_id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER hotspots_mirror AFTER INSERT OR UPDATE OR DELETE ON hotspots
      FOR EACH ROW EXECUTE FUNCTION mnetifi_hotspots_mirror();

    -- radiusd keeps NAS clients in memory and reloads them on this notification (no restart needed).
    CREATE FUNCTION mnetifi_notify_nas_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('mnetifi_nas_changed', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER nas_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON nas
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_notify_nas_changed();
    CREATE TRIGGER hotspots_changed AFTER UPDATE ON hotspots
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_notify_nas_changed();

    -- updated_at maintenance for the domain tables.
    CREATE FUNCTION mnetifi_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
    CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER admin_users_touch BEFORE UPDATE ON admin_users FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER hotspots_touch BEFORE UPDATE ON hotspots FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER plans_touch BEFORE UPDATE ON plans FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER wifi_users_touch BEFORE UPDATE ON wifi_users FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER transactions_touch BEFORE UPDATE ON transactions FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
    CREATE TRIGGER tickets_touch BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION mnetifi_touch_updated_at();
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS tenants_touch ON tenants;
    DROP TRIGGER IF EXISTS admin_users_touch ON admin_users;
    DROP TRIGGER IF EXISTS hotspots_touch ON hotspots;
    DROP TRIGGER IF EXISTS plans_touch ON plans;
    DROP TRIGGER IF EXISTS wifi_users_touch ON wifi_users;
    DROP TRIGGER IF EXISTS transactions_touch ON transactions;
    DROP TRIGGER IF EXISTS tickets_touch ON tickets;
    DROP TRIGGER IF EXISTS hotspots_changed ON hotspots;
    DROP TRIGGER IF EXISTS nas_changed ON nas;
    DROP TRIGGER IF EXISTS hotspots_mirror ON hotspots;
    DROP TRIGGER IF EXISTS tenants_mirror ON tenants;
    DROP TRIGGER IF EXISTS ip_assignments_mirror ON ip_assignments;
    DROP TRIGGER IF EXISTS wifi_users_mirror ON wifi_users;
    DROP TRIGGER IF EXISTS plans_mirror ON plans;
    DROP FUNCTION IF EXISTS mnetifi_touch_updated_at(), mnetifi_notify_nas_changed(), mnetifi_hotspots_mirror(),
      mnetifi_tenants_mirror(), mnetifi_ip_assignments_mirror(), mnetifi_wifi_users_mirror(),
      mnetifi_plans_mirror(), mnetifi_sync_user(uuid, text), mnetifi_sync_plan(uuid),
      mnetifi_expiration_text(timestamptz), mnetifi_plan_group(uuid), mnetifi_rate_limit(plans),
      mnetifi_rate_value(bigint);
  `.execute(db)
}
