/**
 * Hotspots (each one a MikroTik NAS), plans, Wi-Fi users and their devices, static IP pools.
 *
 * Cross-table references carry tenant_id in a composite foreign key, so the database itself refuses a user
 * whose plan, hotspot or IP belongs to another tenant.
 * Units: rates in bits per second, durations in seconds, quotas in bytes, money in integer minor units.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE hotspots (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      location_name text NOT NULL,
      -- The address RADIUS packets come from (the router's WireGuard address behind NAT): it decides the
      -- tenant of every request, so it is unique across tenants.
      nas_ip inet NOT NULL UNIQUE,
      nas_identifier text,
      -- Shared secrets are needed in clear by any RADIUS server (FreeRADIUS's nas.secret too).
      radius_secret text NOT NULL CHECK (length(radius_secret) >= 8),
      -- RFC 3579 / BlastRADIUS: drop Access-Requests without Message-Authenticator from this NAS.
      require_message_authenticator boolean NOT NULL DEFAULT false,
      -- MikroTik login-by=mac: a device that paid is let in by its MAC for the rest of its plan.
      mac_auth_enabled boolean NOT NULL DEFAULT true,
      acct_interim_interval integer CHECK (acct_interim_interval IS NULL OR acct_interim_interval >= 60),
      idle_timeout integer CHECK (idle_timeout IS NULL OR idle_timeout > 0),
      coa_port integer NOT NULL DEFAULT 3799 CHECK (coa_port BETWEEN 1 AND 65535),
      router_api_ip inet,
      router_api_port integer NOT NULL DEFAULT 8729 CHECK (router_api_port BETWEEN 1 AND 65535),
      router_api_tls boolean NOT NULL DEFAULT true,
      router_api_user text,
      router_api_pass text, -- AES-256-GCM envelope
      vpn_address inet,
      vpn_public_key text,
      vpn_private_key text, -- AES-256-GCM envelope (only when MnetiFi generated the router's key)
      vpn_preshared_key text, -- AES-256-GCM envelope
      vpn_endpoint text,
      connectivity_status text NOT NULL DEFAULT 'UNKNOWN'
        CHECK (connectivity_status IN ('UNKNOWN', 'ONLINE', 'OFFLINE')),
      last_seen_at timestamptz,
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id)
    );
    CREATE INDEX hotspots_tenant_idx ON hotspots (tenant_id);

    CREATE TABLE plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      description text NOT NULL DEFAULT '',
      price integer NOT NULL CHECK (price >= 0),
      currency char(3) NOT NULL DEFAULT 'KES',
      duration_seconds integer NOT NULL CHECK (duration_seconds > 0),
      upload_limit bigint NOT NULL CHECK (upload_limit > 0),
      download_limit bigint NOT NULL CHECK (download_limit > 0),
      burst_rate_up bigint,
      burst_rate_down bigint,
      burst_threshold_up bigint,
      burst_threshold_down bigint,
      burst_time integer,
      priority smallint CHECK (priority IS NULL OR priority BETWEEN 1 AND 8),
      data_quota bigint CHECK (data_quota IS NULL OR data_quota > 0),
      account_types text[] NOT NULL DEFAULT ARRAY['HOTSPOT']
        CHECK (cardinality(account_types) > 0 AND account_types <@ ARRAY['HOTSPOT', 'PPPOE', 'STATIC']),
      simultaneous_use integer NOT NULL DEFAULT 1 CHECK (simultaneous_use >= 1),
      acct_interim_interval integer CHECK (acct_interim_interval IS NULL OR acct_interim_interval >= 60),
      idle_timeout integer CHECK (idle_timeout IS NULL OR idle_timeout > 0),
      is_active boolean NOT NULL DEFAULT true,
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      -- Burst is all-or-nothing, bursts above the limit, and starts below it (else it never starts or stops).
      CONSTRAINT plans_burst_complete CHECK (
        (burst_rate_up IS NULL AND burst_rate_down IS NULL AND burst_threshold_up IS NULL
          AND burst_threshold_down IS NULL AND burst_time IS NULL)
        OR (burst_rate_up IS NOT NULL AND burst_rate_down IS NOT NULL AND burst_threshold_up IS NOT NULL
          AND burst_threshold_down IS NOT NULL AND burst_time IS NOT NULL)),
      CONSTRAINT plans_burst_above_limit CHECK (burst_rate_up > upload_limit AND burst_rate_down > download_limit),
      CONSTRAINT plans_threshold_below_limit CHECK (
        burst_threshold_up > 0 AND burst_threshold_up <= upload_limit
        AND burst_threshold_down > 0 AND burst_threshold_down <= download_limit),
      CONSTRAINT plans_burst_time_positive CHECK (burst_time > 0)
    );
    CREATE INDEX plans_tenant_idx ON plans (tenant_id);

    CREATE TABLE ip_pools (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      hotspot_id uuid,
      name text NOT NULL,
      cidr cidr NOT NULL,
      gateway inet,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, name),
      FOREIGN KEY (tenant_id, hotspot_id) REFERENCES hotspots (tenant_id, id) ON DELETE SET NULL (hotspot_id)
    );

    CREATE TABLE wifi_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      -- E.164 digits without '+', e.g. 254712345678 (normalised by db/src/domain/phone.ts).
      phone_number text CHECK (phone_number IS NULL OR phone_number ~ '^[1-9][0-9]{7,14}$'),
      email text,
      full_name text NOT NULL DEFAULT '',
      account_type text NOT NULL CHECK (account_type IN ('HOTSPOT', 'PPPOE', 'STATIC')),
      username text NOT NULL CHECK (length(username) BETWEEN 1 AND 253),
      -- Reversible on purpose: CHAP (the MikroTik hotspot default) and MS-CHAPv2 need the cleartext.
      password text NOT NULL,
      current_plan_id uuid,
      expiry_time timestamptz,
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
      home_hotspot_id uuid,
      -- PPPoE: the router's /ip pool name when the user has no static address.
      framed_pool text,
      notes text NOT NULL DEFAULT '',
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      UNIQUE (tenant_id, username),
      UNIQUE (tenant_id, phone_number),
      FOREIGN KEY (tenant_id, current_plan_id) REFERENCES plans (tenant_id, id) ON DELETE SET NULL (current_plan_id),
      FOREIGN KEY (tenant_id, home_hotspot_id) REFERENCES hotspots (tenant_id, id) ON DELETE SET NULL (home_hotspot_id)
    );
    CREATE INDEX wifi_users_expiry_idx ON wifi_users (tenant_id, expiry_time);
    CREATE INDEX wifi_users_plan_idx ON wifi_users (current_plan_id);

    -- Devices (MACs) that paid for a user: MAC authentication lets them in until the user's expiry.
    CREATE TABLE wifi_user_devices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      mac_address macaddr NOT NULL,
      last_seen_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, mac_address),
      FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE CASCADE
    );

    CREATE TABLE ip_assignments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      pool_id uuid NOT NULL,
      user_id uuid NOT NULL,
      ip_address inet NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id),
      UNIQUE (pool_id, ip_address),
      FOREIGN KEY (tenant_id, pool_id) REFERENCES ip_pools (tenant_id, id) ON DELETE CASCADE,
      FOREIGN KEY (tenant_id, user_id) REFERENCES wifi_users (tenant_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ip_assignments_tenant_idx ON ip_assignments (tenant_id);
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS ip_assignments, wifi_user_devices, wifi_users, ip_pools, plans, hotspots`.execute(db)
}
