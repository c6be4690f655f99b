/**
 * Customer communication (issue 12): the outbox grows into the delivery record of every message, plus the
 * per-tenant settings, templates and the customer's remembered language and channels.
 *
 * - notification_outbox: one row per (event idempotency key, channel). `dedupe_key` is the event's key (e.g.
 *   'payment-confirmed:<transaction id>'), so one event sends at most one message per channel. Rows are written in
 *   the transaction of the event that causes them and sent by the worker from `send_after` on (quiet hours and
 *   reminders move it). Status: QUEUED → SENT → DELIVERED, or FAILED with the provider's reason, or CANCELLED
 *   (a reminder whose plan was extended or cancelled before it went out). `enqueued_at` is when a delivery job was
 *   last handed to BullMQ: a row QUEUED long after it was enqueued lost its job (Redis restart) and is re-enqueued.
 *   `cost_e4` is the provider's price in 1/10 000 of `cost_currency` (Africa's Talking reports four decimals; money
 *   stays an integer).
 * - notification_settings: one row per tenant (channels in priority order, quiet hours in minutes after local
 *   midnight, reminder offsets, provider accounts). API keys and tokens are AES-GCM envelopes (db/src/crypto),
 *   keyed by `id` like every encrypted column so `mnetifi secrets rotate` re-seals them.
 * - notification_templates: a tenant's override of a built-in template, per event and language.
 * - wifi_user_notification_prefs: the customer's language and channels (null = the tenant's).
 * Row-level security like every tenant table (the role comes from migration 2026_11_26_200200).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

const NEW_TABLES = ['notification_settings', 'notification_templates', 'wifi_user_notification_prefs'] as const

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
    UPDATE notification_outbox SET status = 'QUEUED' WHERE status = 'PENDING';
    UPDATE notification_outbox SET dedupe_key = id::text WHERE dedupe_key IS NULL;
    ALTER TABLE notification_outbox
      ALTER COLUMN status SET DEFAULT 'QUEUED',
      ALTER COLUMN dedupe_key SET NOT NULL,
      ADD CONSTRAINT notification_outbox_status_check CHECK (status IN ('QUEUED', 'SENT', 'DELIVERED', 'FAILED', 'CANCELLED')),
      DROP CONSTRAINT notification_outbox_tenant_id_dedupe_key_key,
      ADD CONSTRAINT notification_outbox_event_channel_key UNIQUE (tenant_id, dedupe_key, channel),
      ADD COLUMN event text,
      ADD COLUMN user_id uuid,
      ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sw')),
      ADD COLUMN subject text,
      ADD COLUMN body text NOT NULL DEFAULT '',
      ADD COLUMN send_after timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN enqueued_at timestamptz,
      ADD COLUMN provider text,
      ADD COLUMN provider_message_id text,
      ADD COLUMN provider_status_code integer,
      ADD COLUMN provider_status text,
      ADD COLUMN cost_e4 bigint,
      ADD COLUMN cost_currency char(3),
      ADD COLUMN delivered_at timestamptz,
      ADD COLUMN failed_at timestamptz,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE SET NULL (user_id);
    UPDATE notification_outbox SET event = template WHERE event IS NULL;
    ALTER TABLE notification_outbox ALTER COLUMN event SET NOT NULL;
    DROP INDEX notification_outbox_pending_idx;
    CREATE INDEX notification_outbox_due_idx ON notification_outbox (send_after) WHERE status = 'QUEUED';
    CREATE INDEX notification_outbox_tenant_created_idx ON notification_outbox (tenant_id, created_at DESC);
    CREATE UNIQUE INDEX notification_outbox_provider_message_idx ON notification_outbox (provider, provider_message_id)
      WHERE provider_message_id IS NOT NULL;

    CREATE TABLE notification_settings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE,
      channels text[] NOT NULL DEFAULT '{SMS}' CHECK (channels <@ ARRAY['SMS', 'WHATSAPP', 'EMAIL']),
      default_language text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'sw')),
      quiet_hours_start smallint CHECK (quiet_hours_start BETWEEN 0 AND 1439),
      quiet_hours_end smallint CHECK (quiet_hours_end BETWEEN 0 AND 1439),
      reminder_offsets_seconds integer[] NOT NULL DEFAULT '{259200,86400,3600}',
      sms_username text,
      sms_sender_id text,
      sms_api_key text,
      -- The secret path segment of the delivery-report URL (Africa's Talking does not sign its reports).
      sms_report_token text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
      whatsapp_phone_number_id text UNIQUE,
      whatsapp_access_token text,
      whatsapp_app_secret text,
      whatsapp_verify_token text,
      email_from text,
      billing_email text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))
    );

    CREATE TABLE notification_templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      event text NOT NULL,
      language text NOT NULL CHECK (language IN ('en', 'sw')),
      subject text,
      body text NOT NULL,
      updated_by uuid REFERENCES admin_users (id) ON DELETE SET NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, event, language)
    );

    CREATE TABLE wifi_user_notification_prefs (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      language text CHECK (language IN ('en', 'sw')),
      channels text[] CHECK (channels <@ ARRAY['SMS', 'WHATSAPP', 'EMAIL']),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE CASCADE
    );
  `.execute(db)
  for (const table of NEW_TABLES) {
    await sql.raw(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO mnetifi_app;
      ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ${table} TO mnetifi_app
        USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
    `).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS wifi_user_notification_prefs, notification_templates, notification_settings;
    DROP INDEX IF EXISTS notification_outbox_provider_message_idx;
    DROP INDEX IF EXISTS notification_outbox_tenant_created_idx;
    DROP INDEX IF EXISTS notification_outbox_due_idx;
    ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
    UPDATE notification_outbox SET status = 'PENDING' WHERE status = 'QUEUED';
    UPDATE notification_outbox SET status = 'SENT' WHERE status = 'DELIVERED';
    UPDATE notification_outbox SET status = 'FAILED' WHERE status = 'CANCELLED';
    -- The old key was unique per tenant: keep one row per event when the event went out on several channels.
    DELETE FROM notification_outbox o USING notification_outbox d
      WHERE o.tenant_id = d.tenant_id AND o.dedupe_key = d.dedupe_key AND o.id > d.id;
    ALTER TABLE notification_outbox
      DROP CONSTRAINT notification_outbox_event_channel_key,
      ADD CONSTRAINT notification_outbox_tenant_id_dedupe_key_key UNIQUE (tenant_id, dedupe_key),
      ALTER COLUMN dedupe_key DROP NOT NULL,
      ALTER COLUMN status SET DEFAULT 'PENDING',
      ADD CONSTRAINT notification_outbox_status_check CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
      DROP COLUMN event, DROP COLUMN user_id, DROP COLUMN language, DROP COLUMN subject, DROP COLUMN body,
      DROP COLUMN send_after, DROP COLUMN enqueued_at, DROP COLUMN provider, DROP COLUMN provider_message_id,
      DROP COLUMN provider_status_code, DROP COLUMN provider_status, DROP COLUMN cost_e4, DROP COLUMN cost_currency,
      DROP COLUMN delivered_at, DROP COLUMN failed_at, DROP COLUMN updated_at;
    CREATE INDEX notification_outbox_pending_idx ON notification_outbox (created_at) WHERE status = 'PENDING';
  `.execute(db)
}
