/**
 * The portal's calls to the public portal API, typed by the generated client (`@mnetifi/ui/api`).
 */
import { createApiClient, unwrap } from '@mnetifi/ui/api'
import type { PurchaseStatus } from '../lib/purchase-flow.js'

const api = createApiClient()

/** The ISP as the portal shows it. */
export async function fetchIsp(subdomain: string) {
  return unwrap(api.GET('/api/portal/{subdomain}', { params: { path: { subdomain } } }))
}
export type Isp = Awaited<ReturnType<typeof fetchIsp>>

/** Plans on sale. */
export async function fetchPlans(subdomain: string) {
  return unwrap(api.GET('/api/portal/{subdomain}/plans', { params: { path: { subdomain } } }))
}
export type Plan = Awaited<ReturnType<typeof fetchPlans>>[number]

/** Starts a purchase (sends the M-Pesa prompt). */
export async function startPurchase(
  subdomain: string,
  body: { planId: string; phone: string; hotspotId?: string; mac?: string },
): Promise<PurchaseStatus> {
  return unwrap(api.POST('/api/portal/{subdomain}/purchases', { params: { path: { subdomain } }, body }))
}

/** Where a purchase stands. */
export async function fetchPurchase(subdomain: string, id: string): Promise<PurchaseStatus> {
  return unwrap(api.GET('/api/portal/{subdomain}/purchases/{id}', { params: { path: { subdomain, id } } }))
}

/** "Paid but not online?" by M-Pesa code or phone. */
export async function recover(subdomain: string, body: { receipt?: string; phone?: string; hotspotId?: string; mac?: string }) {
  return unwrap(api.POST('/api/portal/{subdomain}/recovery', { params: { path: { subdomain } }, body }))
}
export type RecoveryAnswer = Awaited<ReturnType<typeof recover>>

/** Where a receipt check stands. */
export async function fetchRecovery(subdomain: string, id: string) {
  return unwrap(api.GET('/api/portal/{subdomain}/recovery/{id}', { params: { path: { subdomain, id } } }))
}

/** Redeems a voucher code. */
export async function redeemVoucher(subdomain: string, body: { code: string; phone?: string; mac?: string }) {
  return unwrap(api.POST('/api/portal/{subdomain}/vouchers/redeem', { params: { path: { subdomain } }, body }))
}

/** Sends a one-time login code by SMS to a returning customer's phone (same answer for unknown numbers). */
export async function requestLoginCode(subdomain: string, body: { phone: string; language?: 'en' | 'sw' }) {
  return unwrap(api.POST('/api/portal/{subdomain}/login-codes', { params: { path: { subdomain } }, body }))
}

/** Checks a one-time code: the device's hotspot login while a plan runs. */
export async function verifyLoginCode(subdomain: string, body: { phone: string; code: string; mac?: string }) {
  return unwrap(api.POST('/api/portal/{subdomain}/login-codes/verify', { params: { path: { subdomain } }, body }))
}
