/**
 * Customer communication (issue 12), part two.
 *
 * - one_time_codes: portal login codes for a new device. Only an HMAC of the code is stored (keyed by a server
 *   secret and the row id, so a leaked table does not give the codes away by trying all million). `attempts`
 *   counts wrong guesses up to `max_attempts`; `consumed_at` ends a code that was used or exhausted.
 *   `request_ip` lets the API limit requests per address as well as per phone.
 * - notification_settings.whatsapp_webhook_token: the secret path segment of the tenant's WhatsApp webhook, so
 *   the tenant (and so its app secret) is known before the body is read and its signature checked.
 * Row-level security like every tenant table (the role comes from migration 2026_11_26_200200).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE one_time_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      phone text NOT NULL,
      purpose text NOT NULL DEFAULT 'portal-login' CHECK (purpose IN ('portal-login')),
      code_hash text NOT NULL,
      attempts smallint NOT NULL DEFAULT 0,
      max_attempts smallint NOT NULL CHECK (max_attempts > 0),
      request_ip inet,
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (attempts <= max_attempts)
    );
    CREATE INDEX one_time_codes_phone_idx ON one_time_codes (tenant_id, phone, created_at DESC);
    CREATE INDEX one_time_codes_ip_idx ON one_time_codes (tenant_id, request_ip, created_at DESC);
    GRANT SELECT, INSERT, UPDATE, DELETE ON one_time_codes TO mnetifi_app;
    ALTER TABLE one_time_codes ENABLE ROW LEVEL SECURITY;
    ALTER TABLE one_time_codes FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON one_time_codes TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);

    ALTER TABLE notification_settings ADD COLUMN whatsapp_webhook_token text NOT NULL UNIQUE
      DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE notification_settings DROP COLUMN IF EXISTS whatsapp_webhook_token;
    DROP TABLE IF EXISTS one_time_codes;
  `.execute(db)
}
