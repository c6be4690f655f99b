/**
 * radiusd's NAS clients carry their tenant's time zone (Login-Time is read in it), so a tenant's time zone
 * change must reload them like a nas or hotspot change does. Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TRIGGER tenants_timezone_changed AFTER UPDATE OF timezone ON tenants
      FOR EACH STATEMENT EXECUTE FUNCTION mnetifi_notify_nas_changed()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS tenants_timezone_changed ON tenants`.execute(db)
}
