/**
 * radacct rows written by a stock FreeRADIUS (docker/freeradius/) carry no tenant_id: fill it from the `nas`
 * row of the session's NAS. radiusd sets tenant_id itself (from the packet's source address), so the lookup
 * runs only when it is missing.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION mnetifi_radacct_fill_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT n.tenant_id INTO NEW.tenant_id FROM nas n WHERE n.nasname = host(NEW.nasipaddress) LIMIT 1;
      RETURN NEW;
    END $$;
    CREATE TRIGGER radacct_fill_tenant BEFORE INSERT ON radacct
      FOR EACH ROW WHEN (NEW.tenant_id IS NULL) EXECUTE FUNCTION mnetifi_radacct_fill_tenant();
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS radacct_fill_tenant ON radacct;
    DROP FUNCTION IF EXISTS mnetifi_radacct_fill_tenant();
  `.execute(db)
}
