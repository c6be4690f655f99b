/**
 * One account per phone number *per account type* in a tenant, instead of one per phone number.
 *
 * Why: the captive portal sells hotspot time to "the phone that pays". With one account per phone, a PPPoE or
 * static-IP customer who bought an hour at a hotspot had that hour added to their home account (whose plan
 * does not serve hotspot logins), and the portal handed the home account's username and password to whatever
 * browser had typed the number. Now the same customer gets a HOTSPOT account of their own beside the home
 * account, and everything the portal does targets only that HOTSPOT account (api/src/payments/settlement/credit.ts).
 *
 * The new key (tenant_id, phone_number, account_type) also serves the look-ups by (tenant_id, phone_number)
 * through its leading columns. `down` cannot undo a phone that now holds accounts of several types: it fails
 * naming the constraint, and the duplicates must be merged or renumbered first.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE wifi_users DROP CONSTRAINT wifi_users_tenant_id_phone_number_key;
    ALTER TABLE wifi_users ADD CONSTRAINT wifi_users_tenant_phone_type_key UNIQUE (tenant_id, phone_number, account_type);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE wifi_users DROP CONSTRAINT wifi_users_tenant_phone_type_key;
    ALTER TABLE wifi_users ADD CONSTRAINT wifi_users_tenant_id_phone_number_key UNIQUE (tenant_id, phone_number);
  `.execute(db)
}
