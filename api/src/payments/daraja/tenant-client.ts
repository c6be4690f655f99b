/**
 * A tenant's Daraja client, built when needed: the credentials envelope is decrypted only here, per use.
 * Simulator tenants without credentials pay through the Daraja simulator with its public sandbox values.
 */
import { AppError } from '@mnetifi/db/domain'
import { secretContext, type MpesaCredentials, type SecretBox, type TenantRow } from '@mnetifi/db'
import { DARAJA_BASE_URLS, callbackBaseUrl, type PaymentsConfig } from '../config.js'
import { createDarajaClient, type DarajaClient } from './client.js'
import type { DarajaTokenCache } from './oauth.js'

/** Safaricom's public sandbox STK shortcode and passkey (digest §1.3); the simulator knows them too. */
export const SANDBOX_SHORTCODE = '174379'
export const SANDBOX_PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919'

/** Credentials a simulator tenant uses when it has none of its own. */
export const SIMULATOR_CREDENTIALS: MpesaCredentials = Object.freeze({
  consumerKey: 'mnetifi-sim-key', consumerSecret: 'mnetifi-sim-secret', passkey: SANDBOX_PASSKEY,
  initiatorName: 'mnetifi-sim', securityCredential: 'c2ltdWxhdG9y',
})

/** What building a client needs. */
export interface TenantClientDeps {
  readonly secretBox: SecretBox
  readonly tokenCache: DarajaTokenCache
  readonly config: PaymentsConfig
}

/** The shortcode a tenant's payments go to (the simulator default when unset in simulator mode). */
export function tenantShortcode(tenant: TenantRow): string {
  if (tenant.mpesa_shortcode) return tenant.mpesa_shortcode
  if (tenant.mpesa_environment === 'simulator') return SANDBOX_SHORTCODE
  throw new AppError('PROVIDER_REJECTED', 'M-Pesa is not configured for this provider yet (no shortcode)')
}

/** Decrypts a tenant's M-Pesa credentials (AEAD-bound to the tenant row). */
export function openTenantCredentials(tenant: TenantRow, secretBox: SecretBox): MpesaCredentials {
  if (!tenant.mpesa_credentials) {
    if (tenant.mpesa_environment === 'simulator') return SIMULATOR_CREDENTIALS
    throw new AppError('PROVIDER_REJECTED', 'M-Pesa is not configured for this provider yet (no credentials)')
  }
  const json = secretBox.decrypt(tenant.mpesa_credentials, secretContext('tenants', 'mpesa_credentials', tenant.id))
  return JSON.parse(json) as MpesaCredentials
}

/** Builds the Daraja client for a tenant. */
export function darajaClientForTenant(tenant: TenantRow, deps: TenantClientDeps): DarajaClient {
  const env = tenant.mpesa_environment
  return createDarajaClient({
    baseUrl: env === 'simulator' ? deps.config.DARAJA_SIM_URL : DARAJA_BASE_URLS[env],
    shortcode: tenantShortcode(tenant),
    transactionType: tenant.mpesa_transaction_type,
    credentials: openTenantCredentials(tenant, deps.secretBox),
    tokenCache: deps.tokenCache,
    timeoutMs: deps.config.DARAJA_TIMEOUT_MS,
    requireHttps: env === 'production',
  })
}

/**
 * The STK callback URL of one push: the tenant's hook plus the transaction id, so a callback that overtakes or
 * outlives the push reply still names its transaction (a UUID holds none of the words Daraja refuses).
 */
export function stkCallbackUrlFor(tenant: TenantRow, config: PaymentsConfig, transactionId: string): string {
  return `${tenantHookUrls(tenant, config).stk}/${transactionId}`
}

/** The tenant's public Daraja hook URLs (one unguessable token per tenant). */
export function tenantHookUrls(tenant: TenantRow, config: PaymentsConfig) {
  const base = `${callbackBaseUrl(config)}/hooks/daraja`
  const t = tenant.callback_token
  return {
    stk: `${base}/stk/${t}`,
    statusResult: `${base}/status/${t}`,
    statusTimeout: `${base}/status-timeout/${t}`,
    c2bConfirm: `${base}/c2b/confirm/${t}`,
    c2bValidate: `${base}/c2b/validate/${t}`,
  } as const
}
