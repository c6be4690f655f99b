/**
 * Row-level security: the second wall between tenants, behind the tenant_id filter every query carries.
 *
 * The API connects as a privileged role (superusers and table owners bypass RLS), so tenant-scoped requests
 * run in a transaction that does `SET LOCAL ROLE mnetifi_app` and `set_config('mnetifi.tenant_id', <id>, true)`
 * (api/src/lib/tenant-scope.ts). mnetifi_app is NOLOGIN and sees only rows whose tenant_id equals that
 * setting; with the setting absent it sees nothing. FORCE makes the policies bind the table owner too, should
 * a deployment ever grant mnetifi_app ownership. Service processes (radiusd, workers, login lookup) keep the
 * privileged connection on purpose: they resolve the tenant from a packet or a callback first.
 *
 * The role is cluster-wide and shared by every database on the server, so up tolerates it existing and down
 * leaves it in place (it only revokes this database's grants).
 * Tables added by later migrations must add their own GRANT + policy.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

/** Tenant-owned tables and the column naming their tenant. */
const TENANT_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['tenants', 'id'], ['admin_users', 'tenant_id'], ['audit_log', 'tenant_id'], ['hotspots', 'tenant_id'],
  ['plans', 'tenant_id'], ['wifi_users', 'tenant_id'], ['wifi_user_devices', 'tenant_id'], ['ip_pools', 'tenant_id'],
  ['ip_assignments', 'tenant_id'], ['transactions', 'tenant_id'], ['vouchers', 'tenant_id'],
  ['notification_outbox', 'tenant_id'], ['tickets', 'tenant_id'], ['ticket_events', 'tenant_id'],
  ['radacct', 'tenant_id'], ['radcheck', 'tenant_id'], ['radreply', 'tenant_id'], ['radgroupcheck', 'tenant_id'],
  ['radgroupreply', 'tenant_id'], ['radusergroup', 'tenant_id'], ['radpostauth', 'tenant_id'], ['nas', 'tenant_id'],
  ['usage_daily', 'tenant_id'], ['usage_user_days', 'tenant_id'], ['usage_deltas', 'tenant_id'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      CREATE ROLE mnetifi_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database (or a parallel test suite) created it first
    END $$;
    DO $$
    BEGIN
      -- A non-superuser migrator must be a member to SET ROLE; superusers may always.
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT mnetifi_app TO %I', current_user);
      END IF;
    END $$;
    GRANT USAGE ON SCHEMA public TO mnetifi_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mnetifi_app;
  `.execute(db)
  for (const [table, column] of TENANT_TABLES) {
    // tenants rows are created and deleted by platform operators only, through the privileged connection.
    const rights = table === 'tenants' ? 'SELECT, UPDATE' : 'SELECT, INSERT, UPDATE, DELETE'
    await sql.raw(`
      GRANT ${rights} ON ${table} TO mnetifi_app;
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ${table} TO mnetifi_app
        USING (${column} = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
        WITH CHECK (${column} = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
    `).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of [...TENANT_TABLES].reverse()) {
    await sql.raw(`
      DROP POLICY IF EXISTS tenant_isolation ON ${table};
      ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY;
      ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;
      REVOKE ALL ON ${table} FROM mnetifi_app;
    `).execute(db)
  }
  await sql`
    REVOKE USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public FROM mnetifi_app;
    REVOKE USAGE ON SCHEMA public FROM mnetifi_app;
  `.execute(db)
}
