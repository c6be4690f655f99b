/**
 * Payments (issue 4): Transaction Status look-ups and the admin resolution of reconciliation items.
 *
 * - mpesa_status_queries: one row per Daraja Transaction Status request. The answer arrives later on the
 *   tenant's ResultURL and is joined back by OriginatorConversationID; the row also keeps what the customer
 *   asked for ("I paid but I'm not online": phone, plan, device) so the asynchronous result can activate it.
 * - transactions.resolution/resolved_at/resolved_by: how an admin closed a MANUAL_REVIEW/UNMATCHED item
 *   (credited a user or marked it refunded); the audit_log row carries the before/after.
 * mpesa_status_queries gets the tenant_isolation policy of migration 2026_11_26_200200.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE mpesa_status_queries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('RECOVERY', 'RECONCILE')),
      receipt text NOT NULL CHECK (receipt ~ '^[A-Z0-9]{10}$'),
      originator_conversation_id text UNIQUE,
      conversation_id text,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'VERIFIED', 'REJECTED', 'FAILED')),
      phone text,
      plan_id uuid,
      hotspot_id uuid,
      mac_address macaddr,
      transaction_id uuid,
      -- Stable reason for REJECTED/FAILED (RECEIPT_NOT_FOUND, WRONG_SHORTCODE, AMOUNT_MISMATCH, …).
      outcome_code text,
      outcome_message text,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, id) ON DELETE SET NULL (plan_id),
      FOREIGN KEY (tenant_id, hotspot_id) REFERENCES hotspots (tenant_id, id) ON DELETE SET NULL (hotspot_id),
      FOREIGN KEY (tenant_id, transaction_id) REFERENCES transactions (tenant_id, id) ON DELETE SET NULL (transaction_id),
      CHECK ((status = 'PENDING') = (completed_at IS NULL))
    );
    CREATE INDEX mpesa_status_queries_receipt_idx ON mpesa_status_queries (tenant_id, receipt);
    -- Row-level security like every tenant table (migration 2026_11_26_200200 created the role).
    GRANT SELECT, INSERT, UPDATE, DELETE ON mpesa_status_queries TO mnetifi_app;
    ALTER TABLE mpesa_status_queries ENABLE ROW LEVEL SECURITY;
    ALTER TABLE mpesa_status_queries FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON mpesa_status_queries TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);

    ALTER TABLE transactions
      ADD COLUMN resolution text CHECK (resolution IN ('CREDITED', 'REFUNDED')),
      ADD COLUMN resolved_at timestamptz,
      ADD COLUMN resolved_by uuid,
      ADD CONSTRAINT transactions_resolution_check2 CHECK ((resolution IS NULL) = (resolved_at IS NULL));
    CREATE INDEX transactions_tenant_reconciliation_idx ON transactions (tenant_id, reconciliation_status)
      WHERE reconciliation_status IS NOT NULL;
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS transactions_tenant_reconciliation_idx;
    ALTER TABLE transactions DROP CONSTRAINT IF EXISTS transactions_resolution_check2,
      DROP COLUMN IF EXISTS resolution, DROP COLUMN IF EXISTS resolved_at, DROP COLUMN IF EXISTS resolved_by;
    DROP TABLE IF EXISTS mpesa_status_queries;
  `.execute(db)
}
