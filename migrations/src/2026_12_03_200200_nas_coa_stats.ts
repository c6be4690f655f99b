/**
 * CoA/Disconnect outcomes per NAS, for router health ("CoA success rate"). A table of its own rather than columns
 * on hotspots: every update of a hotspot row notifies radiusd to reload its NAS list, which a counter bumped on
 * every CoA must not do. Keyed by the NAS address the request went to; tenant-owned like every domain table.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE nas_coa_stats (
      nas_ip inet PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      requests integer NOT NULL DEFAULT 0,
      acks integer NOT NULL DEFAULT 0,
      naks integer NOT NULL DEFAULT 0,
      timeouts integer NOT NULL DEFAULT 0,
      last_at timestamptz NOT NULL DEFAULT now()
    );
    GRANT SELECT, INSERT, UPDATE, DELETE ON nas_coa_stats TO mnetifi_app;
    ALTER TABLE nas_coa_stats ENABLE ROW LEVEL SECURITY;
    ALTER TABLE nas_coa_stats FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON nas_coa_stats TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE nas_coa_stats`.execute(db)
}
