import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { MpesaEnvironment, SaasBillingStatus } from '../domain/enums.js'

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

/** Branding the portal applies over the MnetiFi defaults. */
export interface BrandingConfig {
  name?: string
  logoUrl?: string
  primaryColor?: string
  accentColor?: string
  /** What the captive portal shows for help, e.g. 0700000000. */
  supportPhone?: string
  supportEmail?: string
}

export interface TenantsTable {
  id: Generated<string>
  name: string
  subdomain: string
  branding_config: ColumnType<BrandingConfig, BrandingConfig | undefined, BrandingConfig>
  timezone: Generated<string>
  currency: Generated<string>
  /** AES-256-GCM envelope of {@link MpesaCredentials} (db/src/crypto). */
  mpesa_credentials: string | null
  mpesa_environment: Generated<MpesaEnvironment>
  mpesa_shortcode: string | null
  mpesa_transaction_type: Generated<'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline'>
  callback_token: Generated<string>
  saas_billing_status: Generated<SaasBillingStatus>
  saas_plan: Generated<string>
  saas_monthly_fee: Generated<number>
  saas_currency: Generated<string>
  saas_billing_day: Generated<number>
  saas_paid_until: Date | null
  saas_grace_days: Generated<number>
  saas_blocked_at: Date | null
  saas_blocked_reason: string | null
  /** FLAT: `saas_monthly_fee` a month; PER_SUBSCRIBER: `saas_price_per_subscriber` per active subscriber. */
  saas_billing_basis: Generated<'FLAT' | 'PER_SUBSCRIBER'>
  /** Minor units per active subscriber and month. */
  saas_price_per_subscriber: Generated<number>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type TenantRow = Selectable<TenantsTable>
export type NewTenant = Insertable<TenantsTable>
export type TenantUpdate = Updateable<TenantsTable>

/** What the encrypted mpesa_credentials envelope holds. */
export interface MpesaCredentials {
  consumerKey: string
  consumerSecret: string
  passkey: string
  /** Till number for CustomerBuyGoodsOnline (PartyB); the shortcode is the store number then. */
  tillNumber?: string
  initiatorName?: string
  securityCredential?: string
}
