import { z } from 'zod'
import { MPESA_ENVIRONMENTS, SAAS_BILLING_STATUSES } from '@mnetifi/db/domain'
import type { TenantRow } from '@mnetifi/db'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

export const BrandingSchema = z.object({
  name: z.string().max(100).optional(),
  logoUrl: z.url().max(500).optional(),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #RRGGBB').optional(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #RRGGBB').optional(),
  /** Shown on the captive portal ("Need help? Call …"), e.g. 0700000000. */
  supportPhone: z.string().max(20).optional(),
  supportEmail: z.email().max(200).optional(),
}).strict()

/** Daraja credentials: write-only, stored encrypted, never returned. */
export const MpesaCredentialsBodySchema = z.object({
  shortcode: z.string().regex(/^\d{5,7}$/, 'must be a 5–7 digit paybill or store number'),
  environment: z.enum(MPESA_ENVIRONMENTS),
  transactionType: z.enum(['CustomerPayBillOnline', 'CustomerBuyGoodsOnline']),
  consumerKey: z.string().min(1).max(200),
  consumerSecret: z.string().min(1).max(200),
  passkey: z.string().min(1).max(200),
  tillNumber: z.string().regex(/^\d{5,7}$/).optional(),
  initiatorName: z.string().max(100).optional(),
  securityCredential: z.string().max(2000).optional(),
}).strict()
export type MpesaCredentialsBody = z.infer<typeof MpesaCredentialsBodySchema>

export const CreateTenantBodySchema = z.object({
  name: z.string().min(1).max(200),
  subdomain: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and dashes'),
  timezone: z.string().min(1).max(64).default('Africa/Nairobi'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('KES'),
  branding: BrandingSchema.default({}),
  saasPlan: z.string().min(1).max(50).default('standard'),
  saasMonthlyFee: z.number().int().min(0).default(0),
  /** The ISP's first owner login. */
  owner: z.object({ email: z.email(), fullName: z.string().max(200).default(''), password: z.string().min(10).max(1024) }).optional(),
}).strict()

export const UpdateTenantBodySchema = z.object({
  name: z.string().min(1).max(200).optional(),
  timezone: z.string().min(1).max(64).optional(),
  branding: BrandingSchema.optional(),
  saasPlan: z.string().min(1).max(50).optional(),
  saasMonthlyFee: z.number().int().min(0).optional(),
  saasBillingDay: z.number().int().min(1).max(28).optional(),
  saasPaidUntil: IsoDateTime.nullable().optional(),
  saasGraceDays: z.number().int().min(0).max(365).optional(),
  saasBillingStatus: z.enum(SAAS_BILLING_STATUSES).optional(),
  saasBlockedReason: z.string().max(500).nullable().optional(),
  /** FLAT bills saasMonthlyFee; PER_SUBSCRIBER bills saasPricePerSubscriber per subscriber active the month before. */
  saasBillingBasis: z.enum(['FLAT', 'PER_SUBSCRIBER']).optional(),
  saasPricePerSubscriber: z.number().int().min(0).optional().describe('minor units'),
}).strict()

/** What a tenant owner may change on their own tenant (no SaaS billing fields). */
export const UpdateOwnTenantBodySchema = UpdateTenantBodySchema.pick({ name: true, timezone: true, branding: true }).strict()

export const ListTenantsQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(SAAS_BILLING_STATUSES).optional(),
  search: z.string().max(100).optional(),
})

export const TenantSchema = z.object({
  id: z.uuid(), name: z.string(), subdomain: z.string(), timezone: z.string(), currency: z.string(),
  branding: BrandingSchema,
  mpesa: z.object({
    shortcode: z.string().nullable(), environment: z.enum(MPESA_ENVIRONMENTS), transactionType: z.string(),
    credentialsSet: z.boolean().describe('Whether credentials are stored; they are never returned'),
    callbackToken: z.string(),
  }),
  saas: z.object({
    plan: z.string(), monthlyFee: z.number().int(), currency: z.string(), billingDay: z.number().int(),
    paidUntil: IsoDateTime.nullable(), graceDays: z.number().int(), status: z.enum(SAAS_BILLING_STATUSES),
    blockedAt: IsoDateTime.nullable(), blockedReason: z.string().nullable(),
    billingBasis: z.enum(['FLAT', 'PER_SUBSCRIBER']), pricePerSubscriber: z.number().int().describe('minor units'),
  }),
  createdAt: IsoDateTime, updatedAt: IsoDateTime,
})
export type Tenant = z.infer<typeof TenantSchema>

/** Tenant row → API shape; the M-Pesa envelope only as a flag. */
export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id, name: row.name, subdomain: row.subdomain, timezone: row.timezone, currency: row.currency,
    branding: row.branding_config ?? {},
    mpesa: {
      shortcode: row.mpesa_shortcode, environment: row.mpesa_environment, transactionType: row.mpesa_transaction_type,
      credentialsSet: row.mpesa_credentials !== null, callbackToken: row.callback_token,
    },
    saas: {
      plan: row.saas_plan, monthlyFee: row.saas_monthly_fee, currency: row.saas_currency, billingDay: row.saas_billing_day,
      paidUntil: iso(row.saas_paid_until), graceDays: row.saas_grace_days, status: row.saas_billing_status,
      blockedAt: iso(row.saas_blocked_at), blockedReason: row.saas_blocked_reason,
      billingBasis: row.saas_billing_basis, pricePerSubscriber: row.saas_price_per_subscriber,
    },
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  }
}

/** Audit snapshot without secrets. */
export function tenantSnapshot(row: TenantRow): Record<string, unknown> {
  const { mpesa_credentials, callback_token, ...rest } = row
  return { ...rest, mpesa_credentials: mpesa_credentials === null ? null : '[set]' }
}
