/**
 * Daraja's public hooks, one URL set per tenant: `/hooks/daraja/<kind>/<callback token>`. Callbacks are not
 * signed; the unguessable token (≥ 128 bits) names the tenant, zod validates the body, and nothing is credited
 * without an STK query agreeing (see callbacks.service.ts). Answers are fast and always 200 for a known
 * token, since Safaricom may blacklist a URL that keeps failing.
 *
 * STK callbacks come to `/stk/<token>/<transaction id>` (one URL per push, so an early callback names its
 * transaction); `/stk/<token>` still works for pushes sent before that. With PAYMENTS_CALLBACK_IP_ALLOWLIST
 * set, a callback from another `request.ip` (Fastify's, so X-Forwarded-For only counts when the app's
 * trustProxy says so) is accepted and recorded as untrusted: it never settles anything without an STK query.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findTenantByCallbackToken } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import type { PaymentsContext } from '../../payments/context.js'
import { receiveStkCallback } from '../../payments/callbacks.service.js'
import { confirmC2bPayment, validateC2bPayment } from '../../payments/c2b.service.js'
import { receiveTransactionStatusResult } from '../../payments/recovery/status-result.service.js'

const TokenParams = z.object({ token: z.string().min(16).max(128) })
const StkParams = TokenParams.extend({ ref: z.string().max(64).optional() })
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const Ack = z.object({ ResultCode: z.union([z.number(), z.string()]), ResultDesc: z.string() })

/** Options: the payments context the handlers use. */
export interface DarajaHooksOptions { readonly ctx: PaymentsContext }

/** Registers the hooks (mount at prefix `/hooks/daraja`). */
export async function darajaHooksRoutes(app: FastifyInstance, opts: DarajaHooksOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { ctx } = opts
  const tenantFor = async (token: string) => {
    const tenant = await findTenantByCallbackToken(ctx.db, token)
    if (!tenant) throw new AppError('NOT_FOUND', 'Not found')
    return tenant
  }
  const schema = { params: TokenParams, body: z.unknown(), response: { 200: Ack } }
  const allowed = new Set(ctx.config.PAYMENTS_CALLBACK_IP_ALLOWLIST)
  const isTrusted = (ip: string) => allowed.size === 0 || allowed.has(ip)
  if (allowed.size > 0) {
    app.addHook('onRequest', async (req) => {
      if (!allowed.has(req.ip)) ctx.log.warn({ ip: req.ip, url: req.routeOptions.url ?? 'unknown' }, 'Daraja hook called from an address outside the allow-list')
    })
  }

  r.post('/stk/:token/:ref?', { schema: { ...schema, params: StkParams } }, async (req) => {
    const ref = req.params.ref
    const outcome = await receiveStkCallback(ctx, await tenantFor(req.params.token), req.body, {
      trusted: isTrusted(req.ip), ip: req.ip, ...(ref && UUID.test(ref) ? { transactionHint: ref.toLowerCase() } : {}),
    })
    return outcome.kind === 'invalid' ? { ResultCode: 1, ResultDesc: 'Rejected: payload did not validate' } : { ResultCode: 0, ResultDesc: 'Accepted' }
  })

  r.post('/c2b/validate/:token', { schema }, async (req) => validateC2bPayment(ctx, await tenantFor(req.params.token), req.body))

  r.post('/c2b/confirm/:token', { schema }, async (req) => {
    await confirmC2bPayment(ctx, await tenantFor(req.params.token), req.body)
    return { ResultCode: 0, ResultDesc: 'Success' }
  })

  r.post('/status/:token', { schema }, async (req) => {
    await receiveTransactionStatusResult(ctx, await tenantFor(req.params.token), req.body)
    return { ResultCode: 0, ResultDesc: 'Accepted' }
  })

  r.post('/status-timeout/:token', { schema }, async (req) => {
    await receiveTransactionStatusResult(ctx, await tenantFor(req.params.token), req.body, { timedOut: true })
    return { ResultCode: 0, ResultDesc: 'Accepted' }
  })
}
