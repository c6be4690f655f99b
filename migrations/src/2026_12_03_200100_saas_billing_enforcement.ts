/**
 * MnetiFi billing its ISPs, and what a BLOCKED tenant means on its routers.
 *
 * - `tenants.saas_billing_basis`: a flat monthly fee (`saas_monthly_fee`) or a price per active subscriber
 *   (`saas_price_per_subscriber`, minor units). Money is integer minor units, as everywhere.
 * - `saas_invoices`: one per tenant and billing period (the UNIQUE makes issuing idempotent). An OPEN invoice whose
 *   `due_at` is more than `saas_grace_days` behind makes the tenant BLOCKED.
 * - `router_enforcements`: per hotspot, what its router should show (BLOCKED: the "service suspended" page; ACTIVE:
 *   its own configuration) and how far applying that got. `saved_config` holds the router's own values that
 *   blocking replaced, so ACTIVE puts back exactly what was there.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE tenants
      ADD COLUMN saas_billing_basis text NOT NULL DEFAULT 'FLAT' CHECK (saas_billing_basis IN ('FLAT', 'PER_SUBSCRIBER')),
      ADD COLUMN saas_price_per_subscriber integer NOT NULL DEFAULT 0 CHECK (saas_price_per_subscriber >= 0);

    CREATE TABLE saas_invoices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      period_start date NOT NULL,
      period_end date NOT NULL CHECK (period_end > period_start),
      basis text NOT NULL CHECK (basis IN ('FLAT', 'PER_SUBSCRIBER')),
      subscriber_count integer CHECK (subscriber_count IS NULL OR subscriber_count >= 0),
      amount integer NOT NULL CHECK (amount >= 0),
      currency char(3) NOT NULL,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'PAID', 'VOID')),
      due_at timestamptz NOT NULL,
      paid_at timestamptz,
      payment_reference text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, period_start),
      CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
    );
    CREATE INDEX saas_invoices_open_idx ON saas_invoices (due_at) WHERE status = 'OPEN';

    CREATE TABLE router_enforcements (
      hotspot_id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      target text NOT NULL CHECK (target IN ('BLOCKED', 'ACTIVE')),
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPLIED', 'FAILED')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      saved_config jsonb,
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (tenant_id, hotspot_id) REFERENCES hotspots (tenant_id, id) ON DELETE CASCADE
    );
    CREATE INDEX router_enforcements_tenant_idx ON router_enforcements (tenant_id);
  `.execute(db)
  for (const table of ['saas_invoices', 'router_enforcements']) {
    // Tenant-owned, like every domain table (2026_11_26_200200): tenants read their own rows through RLS.
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
    DROP TABLE router_enforcements;
    DROP TABLE saas_invoices;
    ALTER TABLE tenants DROP COLUMN saas_price_per_subscriber, DROP COLUMN saas_billing_basis;
  `.execute(db)
}
