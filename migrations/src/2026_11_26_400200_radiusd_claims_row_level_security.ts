/**
 * Row-level security for radiusd_session_claims, the one tenant-keyed table created before the RLS migration
 * that it did not cover (see 2026_11_26_200200_enable_row_level_security.ts). radiusd itself uses the
 * privileged connection; this keeps mnetifi_app (the API's tenant-scoped role) from seeing other tenants' claims.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    GRANT SELECT ON radiusd_session_claims TO mnetifi_app;
    ALTER TABLE radiusd_session_claims ENABLE ROW LEVEL SECURITY;
    ALTER TABLE radiusd_session_claims FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON radiusd_session_claims TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP POLICY IF EXISTS tenant_isolation ON radiusd_session_claims;
    ALTER TABLE radiusd_session_claims NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE radiusd_session_claims DISABLE ROW LEVEL SECURITY;
    REVOKE ALL ON radiusd_session_claims FROM mnetifi_app;
  `.execute(db)
}
