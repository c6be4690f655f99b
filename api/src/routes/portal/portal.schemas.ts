/** Schemas of the public portal API (plans, purchase, payment status, "I paid but I'm not online"). */
import { z } from 'zod'

export const PortalParamsSchema = z.object({ subdomain: z.string().min(1).max(63) })
export const PortalIdParamsSchema = PortalParamsSchema.extend({ id: z.uuid() })

/**
 * What the captive portal needs to brand itself and show times and prices: the tenant's branding over its name,
 * its time zone (IANA, e.g. Africa/Nairobi) and currency (ISO 4217). Absent branding fields are null.
 */
export const PortalInfoSchema = z.object({
  subdomain: z.string(),
  name: z.string().describe('branding name, else the tenant name'),
  logoUrl: z.string().nullable(),
  primaryColor: z.string().nullable().describe('#RRGGBB'),
  accentColor: z.string().nullable().describe('#RRGGBB'),
  timezone: z.string(),
  currency: z.string(),
  supportPhone: z.string().nullable(),
  supportEmail: z.string().nullable(),
})
export type PortalInfo = z.infer<typeof PortalInfoSchema>

export const PortalPlanSchema = z.object({
  id: z.uuid(), name: z.string(), description: z.string(), price: z.number().int().describe('minor units'), currency: z.string(),
  durationSeconds: z.number().int(), uploadLimit: z.number().int(), downloadLimit: z.number().int(), dataQuota: z.number().int().nullable(),
})

export const PurchaseBodySchema = z.object({
  planId: z.uuid(),
  phone: z.string().min(9).max(20).describe('07XXXXXXXX, 01XXXXXXXX, +2547…'),
  hotspotId: z.uuid().optional(),
  mac: z.string().max(32).optional().describe('the device MAC from the MikroTik login page'),
})

/** Credentials the portal submits to the router's login page once the plan is active. */
const LoginSchema = z.object({ username: z.string(), password: z.string() })

export const PurchaseStatusSchema = z.object({
  transactionId: z.uuid(),
  status: z.enum(['PENDING', 'COMPLETED', 'FAILED']),
  /** Stable reason (CANCELLED, WRONG_PIN, …) when FAILED. */
  failureReason: z.string().nullable(),
  message: z.string(),
  canRetry: z.boolean(),
  expiresAt: z.string().nullable(),
  login: LoginSchema.nullable(),
})

export const RecoveryBodySchema = z.object({
  receipt: z.string().trim().min(10).max(12).optional().describe('the M-Pesa code from the SMS, e.g. UKQ7RT61SV'),
  phone: z.string().min(9).max(20).optional(),
  planId: z.uuid().optional(),
  hotspotId: z.uuid().optional(),
  mac: z.string().max(32).optional(),
}).refine((b) => b.receipt || b.phone, { message: 'give the M-Pesa code or the phone number' })

export const RecoveryAnswerSchema = z.object({
  status: z.enum(['ACTIVATED', 'VERIFYING', 'UNDER_REVIEW', 'FAILED']),
  message: z.string(),
  checkId: z.uuid().nullable(),
  transactionId: z.uuid().nullable(),
  expiresAt: z.string().nullable(),
  login: LoginSchema.nullable(),
})
export type RecoveryAnswerDto = z.infer<typeof RecoveryAnswerSchema>
