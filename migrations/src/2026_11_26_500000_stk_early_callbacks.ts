/**
 * Payments (issue 4): STK callbacks that arrive before their transaction knows its CheckoutRequestID.
 *
 * Daraja can post the callback before its own synchronous reply to the push reaches us (slow network), and the
 * API can die between sending the push and storing that reply. Such a callback is kept here, raw and validated,
 * keyed by (tenant, CheckoutRequestID), and settled exactly once: when the push reply is stored, by the poll,
 * or by the pending sweep (which also adopts it onto the transaction named in its callback URL, or after a
 * bounded time turns a success into a MANUAL_REVIEW unknown payment).
 *
 * - callbacks: every delivery of that CheckoutRequestID, in arrival order ({at, raw, parsed, trusted, ip}).
 * - hinted_transaction_id: the transaction named by the per-push callback URL (not a foreign key: it comes from
 *   an unsigned request and is only used after checking it belongs to the tenant).
 * - resolution/resolved_at/transaction_id: SETTLED (handed to that transaction's settlement) or UNKNOWN (kept as
 *   that MANUAL_REVIEW transaction, or dropped when it was a failure).
 * Row-level security like every tenant table (the role comes from migration 2026_11_26_200200).
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE stk_early_callbacks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      checkout_request_id text NOT NULL,
      merchant_request_id text NOT NULL,
      hinted_transaction_id uuid,
      callbacks jsonb NOT NULL CHECK (jsonb_typeof(callbacks) = 'array'),
      received_at timestamptz NOT NULL DEFAULT now(),
      resolution text CHECK (resolution IN ('SETTLED', 'UNKNOWN')),
      resolved_at timestamptz,
      transaction_id uuid,
      UNIQUE (tenant_id, checkout_request_id),
      FOREIGN KEY (tenant_id, transaction_id) REFERENCES transactions (tenant_id, id) ON DELETE SET NULL (transaction_id),
      CHECK ((resolution IS NULL) = (resolved_at IS NULL))
    );
    CREATE INDEX stk_early_callbacks_open_idx ON stk_early_callbacks (received_at) WHERE resolved_at IS NULL;
    GRANT SELECT, INSERT, UPDATE, DELETE ON stk_early_callbacks TO mnetifi_app;
    ALTER TABLE stk_early_callbacks ENABLE ROW LEVEL SECURITY;
    ALTER TABLE stk_early_callbacks FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON stk_early_callbacks TO mnetifi_app
      USING (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('mnetifi.tenant_id', true), '')::uuid);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS stk_early_callbacks`.execute(db)
}
