/**
 * Management tunnels and one-paste provisioning for hotspots.
 *
 * - A hotspot's WireGuard tunnel address is its NAS address (radiusd recognises the router through the tunnel), so
 *   both are unique among *live* hotspots only: archiving a hotspot releases its tunnel address for the next one,
 *   while its radacct history (keyed by the address text) stays. The old table-wide UNIQUE (nas_ip) would have
 *   kept an archived router's address forever.
 * - `provisioning_token_hash`: SHA-256 of the one-time token in the `/tool fetch` URL an admin pastes into the
 *   router terminal (the script carries secrets, so the URL must be unguessable and short-lived).
 * - `provisioned_config_hash`: SHA-256 of the configuration the last rendered script sets, to report provisioning
 *   drift when the router's configuration no longer matches.
 * Frozen in time: never import from db/ here.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE hotspots DROP CONSTRAINT hotspots_nas_ip_key;
    CREATE UNIQUE INDEX hotspots_nas_ip_key ON hotspots (nas_ip) WHERE archived_at IS NULL;
    CREATE UNIQUE INDEX hotspots_vpn_address_key ON hotspots (vpn_address) WHERE archived_at IS NULL AND vpn_address IS NOT NULL;
    ALTER TABLE hotspots
      ADD COLUMN provisioning_token_hash text UNIQUE,
      ADD COLUMN provisioning_token_expires_at timestamptz,
      ADD COLUMN provisioned_config_hash text,
      ADD CONSTRAINT hotspots_provisioning_token_expiry CHECK ((provisioning_token_hash IS NULL) = (provisioning_token_expires_at IS NULL));
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE hotspots
      DROP CONSTRAINT hotspots_provisioning_token_expiry,
      DROP COLUMN provisioned_config_hash,
      DROP COLUMN provisioning_token_expires_at,
      DROP COLUMN provisioning_token_hash;
    DROP INDEX hotspots_vpn_address_key;
    DROP INDEX hotspots_nas_ip_key;
    ALTER TABLE hotspots ADD CONSTRAINT hotspots_nas_ip_key UNIQUE (nas_ip);
  `.execute(db)
}
