/**
 * /api/portal/:subdomain — the public captive-portal API: the ISP's name and branding, its plans, buying one by
 * STK push, polling the payment's status (with the login the portal submits to the router once it is paid), and
 * "I paid but I'm not online" by receipt or phone. No session: purchases and recoveries are rate limited per
 * client address. An unknown subdomain is 404 'Unknown ISP' on every route.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { findMpesaStatusQueryById, findTenantBySubdomain, findTransactionById, findWifiUserById, listPlans, type TenantRow } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { deviceLoginOf } from '../../lib/hotspot-accounts.js'
import type { PaymentsContext } from '../../payments/context.js'
import { describeResultCode, messageForFailureReason } from '../../payments/daraja/result-codes.js'
import { startPurchase } from '../../payments/purchase.service.js'
import { activated, recoverPayment, type RecoveryAnswer } from '../../payments/recovery/recovery.service.js'
import { ErrorBodySchema } from '../common.schemas.js'
import {
  PortalIdParamsSchema, PortalInfoSchema, PortalParamsSchema, PortalPlanSchema, PurchaseBodySchema, PurchaseStatusSchema,
  RecoveryAnswerSchema, RecoveryBodySchema, type PortalInfo, type RecoveryAnswerDto,
} from './portal.schemas.js'

/** Options of the portal routes. */
export interface PortalRoutesOptions {
  readonly ctx: PaymentsContext
  /** Purchases and recoveries per client address per minute. @defaultValue 10 */
  readonly rateLimitPerMinute?: number
}

const ERRORS = { 400: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 429: ErrorBodySchema, 502: ErrorBodySchema, 503: ErrorBodySchema }

function toDto(a: RecoveryAnswer): RecoveryAnswerDto {
  const base = { checkId: null, transactionId: null, expiresAt: null, login: null }
  switch (a.status) {
    case 'ACTIVATED': return { ...base, status: a.status, message: 'Your plan is active.', transactionId: a.transactionId, expiresAt: a.expiresAt, login: a.username ? { username: a.username, password: a.password! } : null }
    case 'VERIFYING': return { ...base, status: a.status, message: 'Checking your payment with M-Pesa…', checkId: a.checkId }
    default: return { ...base, status: a.status, message: a.message }
  }
}

/** A tenant as the portal shows it (branding over the tenant's own name). */
export function toPortalInfo(tenant: TenantRow): PortalInfo {
  const b = tenant.branding_config ?? {}
  return {
    subdomain: tenant.subdomain, name: b.name || tenant.name, logoUrl: b.logoUrl ?? null, primaryColor: b.primaryColor ?? null,
    accentColor: b.accentColor ?? null, timezone: tenant.timezone, currency: tenant.currency, supportPhone: b.supportPhone ?? null,
    supportEmail: b.supportEmail ?? null,
  }
}

/** Registers the portal routes (mount at `/api/portal`). */
export const portalRoutes: FastifyPluginAsyncZod<PortalRoutesOptions> = async (app, opts) => {
  const { ctx } = opts
  const tags = ['portal']
  const limited = { rateLimit: { max: opts.rateLimitPerMinute ?? 10, timeWindow: 60_000 } }
  const tenantOf = async (subdomain: string): Promise<TenantRow> => {
    const tenant = await findTenantBySubdomain(ctx.db, subdomain)
    if (!tenant) throw new AppError('NOT_FOUND', 'Unknown ISP')
    return tenant
  }

  app.get('/:subdomain', {
    schema: { tags, summary: 'The ISP\'s name, branding, time zone and currency for the portal', params: PortalParamsSchema, response: { 200: PortalInfoSchema, ...ERRORS } },
  }, async (request, reply) => {
    const tenant = await tenantOf(request.params.subdomain)
    // Every page load asks: let browsers and proxies keep it a minute instead of rate-limiting shared hotspot addresses.
    reply.header('cache-control', 'public, max-age=60')
    return toPortalInfo(tenant)
  })

  app.get('/:subdomain/plans', {
    schema: { tags, summary: 'Plans on sale', params: PortalParamsSchema, response: { 200: PortalPlanSchema.array(), ...ERRORS } },
  }, async (request) => {
    const tenant = await tenantOf(request.params.subdomain)
    const plans = (await listPlans(ctx.db, tenant.id)).filter((p) => p.is_active && p.account_types.includes('HOTSPOT'))
    return plans.map((p) => ({
      id: p.id, name: p.name, description: p.description, price: p.price, currency: p.currency, durationSeconds: p.duration_seconds,
      uploadLimit: p.upload_limit, downloadLimit: p.download_limit, dataQuota: p.data_quota,
    }))
  })

  app.post('/:subdomain/purchases', {
    schema: { tags, summary: 'Buy a plan: sends the M-Pesa prompt', params: PortalParamsSchema, body: PurchaseBodySchema, response: { 202: PurchaseStatusSchema, ...ERRORS } },
    config: limited,
  }, async (request, reply) => {
    const tenant = await tenantOf(request.params.subdomain)
    const { transaction, customerMessage } = await startPurchase(ctx, tenant, {
      planId: request.body.planId, phone: request.body.phone,
      ...(request.body.hotspotId ? { hotspotId: request.body.hotspotId } : {}), ...(request.body.mac ? { macAddress: request.body.mac } : {}),
    })
    reply.code(202)
    return { transactionId: transaction.id, status: 'PENDING' as const, failureReason: null, message: customerMessage, canRetry: false, expiresAt: null, login: null }
  })

  app.get('/:subdomain/purchases/:id', {
    schema: { tags, summary: 'Payment status (poll every 2–3 s)', params: PortalIdParamsSchema, response: { 200: PurchaseStatusSchema, ...ERRORS } },
  }, async (request) => {
    const tenant = await tenantOf(request.params.subdomain)
    const tx = await findTransactionById(ctx.db, tenant.id, request.params.id)
    if (!tx) throw new AppError('NOT_FOUND', 'Unknown payment')
    const base = { transactionId: tx.id, failureReason: tx.failure_reason, expiresAt: null, login: null, canRetry: false }
    if (tx.credited_at && tx.user_id) {
      // The transaction id is an unguessable UUID the portal got from its own purchase call. Only a HOTSPOT
      // account's login and expiry are answered (settlement/credit.ts, "the rule"), whatever credited the row.
      const found = await findWifiUserById(ctx.db, tenant.id, tx.user_id)
      const user = found?.account_type === 'HOTSPOT' ? found : undefined
      return { ...base, status: 'COMPLETED' as const, message: 'Paid. You are being connected…', expiresAt: user?.expiry_time?.toISOString() ?? null, login: deviceLoginOf(user) }
    }
    if (tx.status === 'FAILED') {
      const meaning = tx.result_code ? describeResultCode(tx.result_code) : undefined
      return { ...base, status: 'FAILED' as const, message: meaning?.message ?? messageForFailureReason(tx.failure_reason), canRetry: meaning?.canRetry ?? true }
    }
    if (tx.status === 'COMPLETED') return { ...base, status: 'PENDING' as const, message: 'We received your payment; the provider is confirming it.' }
    if (tx.failure_reason === 'POLL_EXHAUSTED' || tx.failure_reason === 'PUSH_OUTCOME_UNKNOWN') {
      return { ...base, status: 'PENDING' as const, message: 'M-Pesa has not confirmed yet. If you paid, enter the M-Pesa code under "I paid but I\'m not online". Do not pay twice.' }
    }
    return { ...base, status: 'PENDING' as const, message: 'Waiting for you to enter your M-Pesa PIN…' }
  })

  app.post('/:subdomain/recovery', {
    schema: { tags, summary: '"I paid but I\'m not online": by M-Pesa code or phone', params: PortalParamsSchema, body: RecoveryBodySchema, response: { 200: RecoveryAnswerSchema, ...ERRORS } },
    config: limited,
  }, async (request) => {
    const tenant = await tenantOf(request.params.subdomain)
    const b = request.body
    return toDto(await recoverPayment(ctx, tenant, {
      ...(b.receipt ? { receipt: b.receipt } : {}), ...(b.phone ? { phone: b.phone } : {}), ...(b.planId ? { planId: b.planId } : {}),
      ...(b.hotspotId ? { hotspotId: b.hotspotId } : {}), ...(b.mac ? { macAddress: b.mac } : {}),
    }))
  })

  app.get('/:subdomain/recovery/:id', {
    schema: { tags, summary: 'Where a receipt check stands', params: PortalIdParamsSchema, response: { 200: RecoveryAnswerSchema, ...ERRORS } },
  }, async (request) => {
    const tenant = await tenantOf(request.params.subdomain)
    const check = await findMpesaStatusQueryById(ctx.db, tenant.id, request.params.id)
    if (!check) throw new AppError('NOT_FOUND', 'Unknown check')
    if (check.status === 'PENDING') return toDto({ status: 'VERIFYING', checkId: check.id })
    if (check.status === 'VERIFIED' && check.transaction_id) {
      const tx = await findTransactionById(ctx.db, tenant.id, check.transaction_id)
      return { ...toDto(await activated(ctx, tenant.id, check.transaction_id, tx?.user_id ?? null, true)), checkId: check.id }
    }
    return { ...toDto({ status: 'FAILED', message: check.outcome_message ?? 'M-Pesa could not confirm this code.' }), checkId: check.id }
  })
}
