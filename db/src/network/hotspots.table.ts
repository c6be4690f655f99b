import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface HotspotsTable {
  id: Generated<string>
  tenant_id: string
  location_name: string
  /** inet as text, e.g. '10.99.0.2'. Unique across tenants: the packet source decides the tenant. */
  nas_ip: string
  nas_identifier: string | null
  radius_secret: string
  require_message_authenticator: Generated<boolean>
  mac_auth_enabled: Generated<boolean>
  /** Seconds (≥ 60); NULL = the plan's or none. */
  acct_interim_interval: number | null
  idle_timeout: number | null
  coa_port: Generated<number>
  router_api_ip: string | null
  router_api_port: Generated<number>
  router_api_tls: Generated<boolean>
  router_api_user: string | null
  /** AES-256-GCM envelope. */
  router_api_pass: string | null
  vpn_address: string | null
  vpn_public_key: string | null
  vpn_private_key: string | null
  vpn_preshared_key: string | null
  vpn_endpoint: string | null
  /** SHA-256 (hex) of the one-time provisioning token; NULL when none is outstanding. */
  provisioning_token_hash: string | null
  provisioning_token_expires_at: Date | null
  /** SHA-256 (hex) of the configuration the last rendered provisioning script sets. */
  provisioned_config_hash: string | null
  connectivity_status: Generated<'UNKNOWN' | 'ONLINE' | 'OFFLINE'>
  last_seen_at: Date | null
  archived_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type HotspotRow = Selectable<HotspotsTable>
export type NewHotspot = Insertable<HotspotsTable>
export type HotspotUpdate = Updateable<HotspotsTable>
