/**
 * Message-Authenticator "auto" mode for `nas` rows that no hotspot mirrors (an operator's own clients): the flag
 * radiusd learns is kept here rather than in `nas` itself, so the table stays column for column FreeRADIUS's.
 * Hotspot-backed rows keep theirs on hotspots.require_message_authenticator. A change NOTIFYs
 * mnetifi_nas_changed, so every radiusd replica reloads its clients; deleting the row resets the NAS to "not
 * required until it sends one". No foreign key to nas: it would make FreeRADIUS-era `TRUNCATE nas` scripts
 * fail; triggers forget a deleted (or truncated) nas row's flags instead, before its id can be reused.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE radiusd_nas_flags (
      nas_id integer PRIMARY KEY,
      -- The nas row's tenant (NULL for a tenant-less operator row), copied when the flag is learned.
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      require_message_authenticator boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- SECURITY DEFINER: the API deletes nas rows (hotspot archive → mirror trigger) as mnetifi_app, which may
    -- only read radiusd_nas_flags.
    CREATE FUNCTION radiusd_forget_nas_flags() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN DELETE FROM radiusd_nas_flags; ELSE DELETE FROM radiusd_nas_flags WHERE nas_id = OLD.id; END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER nas_forget_flags AFTER DELETE ON nas FOR EACH ROW EXECUTE FUNCTION radiusd_forget_nas_flags();
    CREATE TRIGGER nas_truncate_forget_flags AFTER TRUNCATE ON nas FOR EACH STATEMENT EXECUTE FUNCTION radiusd_forget_nas_flags();
    CREATE TRIGGER radiusd_nas_flags_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON radiusd_nas_flags
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_notify_nas_changed();
    GRANT SELECT ON radiusd_nas_flags TO mnetifi_app;
    ALTER TABLE radiusd_nas_flags ENABLE ROW LEVEL SECURITY;
    ALTER TABLE radiusd_nas_flags FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON radiusd_nas_flags TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS nas_forget_flags ON nas;
    DROP TRIGGER IF EXISTS nas_truncate_forget_flags ON nas;
    DROP FUNCTION IF EXISTS radiusd_forget_nas_flags();
    DROP TABLE IF EXISTS radiusd_nas_flags;
  `.execute(db)
}
