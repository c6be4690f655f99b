/**
 * Money (transactions, vouchers), the notification outbox, and support tickets.
 * A transaction is written whole or not at all; crediting is recorded by credited_at so that it can happen
 * once only (a conditional UPDATE … WHERE credited_at IS NULL under a row lock).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      kind text NOT NULL DEFAULT 'STK_PUSH' CHECK (kind IN ('STK_PUSH', 'C2B', 'MANUAL')),
      user_id uuid,
      plan_id uuid,
      hotspot_id uuid,
      user_phone text NOT NULL,
      mac_address macaddr,
      amount integer NOT NULL CHECK (amount >= 0),
      currency char(3) NOT NULL DEFAULT 'KES',
      account_reference text,
      mpesa_receipt text UNIQUE,
      checkout_request_id text UNIQUE,
      merchant_request_id text,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
      result_code text,
      result_desc text,
      -- Stable reason for a failed payment that the portal turns into words (CANCELLED, WRONG_PIN, …).
      failure_reason text,
      reconciliation_status text CHECK (reconciliation_status IN ('MATCHED', 'UNMATCHED', 'MANUAL_REVIEW')),
      reconciliation_note text,
      settled_by text CHECK (settled_by IN ('CALLBACK', 'POLL', 'RECOVERY', 'C2B', 'ADMIN')),
      credited_at timestamptz,
      completed_at timestamptz,
      -- Raw provider payloads, secrets redacted: request/response of the push, callback(s), queries.
      provider_log jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE SET NULL (user_id),
      FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id) ON DELETE SET NULL (plan_id),
      FOREIGN KEY (tenant_id, hotspot_id) REFERENCES hotspots (tenant_id, id) ON DELETE SET NULL (hotspot_id),
      CHECK (status <> 'COMPLETED' OR completed_at IS NOT NULL)
    );
    CREATE INDEX transactions_tenant_created_idx ON transactions (tenant_id, created_at DESC);
    CREATE INDEX transactions_tenant_phone_idx ON transactions (tenant_id, user_phone);
    CREATE INDEX transactions_pending_idx ON transactions (created_at) WHERE status = 'PENDING';

    CREATE TABLE vouchers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      batch_id uuid NOT NULL,
      code text NOT NULL CHECK (code ~ '^[A-Z0-9-]{6,32}$'),
      plan_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'UNUSED' CHECK (status IN ('UNUSED', 'REDEEMED', 'REVOKED')),
      redeemed_by_user_id uuid,
      redeemed_at timestamptz,
      valid_until timestamptz,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, code),
      FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id),
      FOREIGN KEY (tenant_id, redeemed_by_user_id) REFERENCES wifi_users (tenant_id, id)
        ON DELETE SET NULL (redeemed_by_user_id),
      CHECK ((status = 'REDEEMED') = (redeemed_at IS NOT NULL))
    );
    CREATE INDEX vouchers_batch_idx ON vouchers (tenant_id, batch_id);

    CREATE TABLE notification_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('SMS', 'WHATSAPP', 'EMAIL')),
      recipient text NOT NULL,
      template text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      -- Makes enqueueing idempotent (e.g. 'payment-confirmed:<transaction id>').
      dedupe_key text,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (tenant_id, dedupe_key)
    );
    CREATE INDEX notification_outbox_pending_idx ON notification_outbox (created_at) WHERE status = 'PENDING';

    CREATE TABLE tickets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id uuid,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
      subject text NOT NULL DEFAULT '',
      issue_details text NOT NULL,
      resolution_notes text,
      assignee_id uuid REFERENCES admin_users (id) ON DELETE SET NULL,
      created_by uuid REFERENCES admin_users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE SET NULL (user_id),
      CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
    );
    CREATE INDEX tickets_tenant_status_idx ON tickets (tenant_id, status, created_at DESC);

    CREATE TABLE ticket_events (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      ticket_id uuid NOT NULL,
      actor_id uuid,
      event text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS ticket_events, tickets, notification_outbox, vouchers, transactions
  `.execute(db)
}
