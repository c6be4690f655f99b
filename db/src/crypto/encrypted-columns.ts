/**
 * Which columns hold AES-256-GCM envelopes, and the context each value is bound to. Always seal and open
 * through {@link secretContext} so that `mnetifi secrets rotate` can re-seal every value.
 */

/** Every encrypted column. Add new ones here, or rotation will miss them. */
export const ENCRYPTED_COLUMNS = Object.freeze([
  { table: 'tenants', column: 'mpesa_credentials' },
  { table: 'hotspots', column: 'router_api_pass' },
  { table: 'hotspots', column: 'vpn_private_key' },
  { table: 'hotspots', column: 'vpn_preshared_key' },
  { table: 'notification_settings', column: 'sms_api_key' },
  { table: 'notification_settings', column: 'whatsapp_access_token' },
  { table: 'notification_settings', column: 'whatsapp_app_secret' },
] as const)

export type EncryptedColumn = (typeof ENCRYPTED_COLUMNS)[number]

/** The AEAD context for a secret, e.g. `tenants.mpesa_credentials:<tenant id>`: a value cannot move rows. */
export function secretContext(table: EncryptedColumn['table'], column: EncryptedColumn['column'], id: string): string {
  return `${table}.${column}:${id}`
}
