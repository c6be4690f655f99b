/**
 * Tenants (ISPs), their admin logins, and the audit log.
 * Enums are checked text so that adding a value is a one-line migration. Money is integer minor units.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      subdomain text NOT NULL UNIQUE CHECK (subdomain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
      branding_config jsonb NOT NULL DEFAULT '{}'::jsonb,
      timezone text NOT NULL DEFAULT 'Africa/Nairobi',
      currency char(3) NOT NULL DEFAULT 'KES',
      -- M-Pesa: the credentials envelope (consumer key/secret, passkey, initiator…) is AES-256-GCM encrypted
      -- (see db/src/crypto); the shortcode is public and needed in clear to route C2B confirmations.
      mpesa_credentials text,
      mpesa_environment text NOT NULL DEFAULT 'simulator'
        CHECK (mpesa_environment IN ('simulator', 'sandbox', 'production')),
      mpesa_shortcode text,
      mpesa_transaction_type text NOT NULL DEFAULT 'CustomerPayBillOnline'
        CHECK (mpesa_transaction_type IN ('CustomerPayBillOnline', 'CustomerBuyGoodsOnline')),
      -- Unguessable token (two v4 UUIDs from pg_strong_random, 244 bits) that makes this tenant's callback URL.
      callback_token text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
      -- SaaS billing of the ISP by MnetiFi.
      saas_billing_status text NOT NULL DEFAULT 'ACTIVE' CHECK (saas_billing_status IN ('ACTIVE', 'BLOCKED')),
      saas_plan text NOT NULL DEFAULT 'standard',
      saas_monthly_fee integer NOT NULL DEFAULT 0 CHECK (saas_monthly_fee >= 0),
      saas_currency char(3) NOT NULL DEFAULT 'KES',
      saas_billing_day smallint NOT NULL DEFAULT 1 CHECK (saas_billing_day BETWEEN 1 AND 28),
      saas_paid_until timestamptz,
      saas_grace_days smallint NOT NULL DEFAULT 7 CHECK (saas_grace_days >= 0),
      saas_blocked_at timestamptz,
      saas_blocked_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE admin_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- NULL only for MnetiFi platform operators, who act across tenants.
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      email text NOT NULL,
      full_name text NOT NULL DEFAULT '',
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('PLATFORM_OPERATOR', 'TENANT_OWNER', 'TENANT_STAFF')),
      is_active boolean NOT NULL DEFAULT true,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((role = 'PLATFORM_OPERATOR') = (tenant_id IS NULL)),
      CHECK (email = lower(email))
    );
    CREATE UNIQUE INDEX admin_users_email_key ON admin_users (email);
    CREATE INDEX admin_users_tenant_idx ON admin_users (tenant_id);

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      actor_id uuid,
      actor_type text NOT NULL DEFAULT 'ADMIN' CHECK (actor_type IN ('ADMIN', 'SYSTEM', 'CUSTOMER')),
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb,
      request_id text,
      ip inet,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_tenant_created_idx ON audit_log (tenant_id, created_at DESC);
    CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, entity_id);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS audit_log, admin_users, tenants`.execute(db)
}
