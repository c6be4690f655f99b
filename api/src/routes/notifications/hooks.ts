/**
 * Provider webhooks for notifications, public:
 * - `/hooks/notifications/sms/<token>` takes Africa's Talking delivery reports (form-encoded, unsigned: the
 *   unguessable per-tenant token names the tenant, digest §2.2). Answers 200 for a known token whatever the
 *   report says, so AT does not keep retrying a report we cannot use.
 * - `/hooks/notifications/whatsapp/<token>` is the tenant's WhatsApp Cloud API webhook: GET answers Meta's
 *   verification handshake (hub.verify_token must equal the tenant's verify token; the challenge comes back as
 *   plain text); POST is only read after its X-Hub-Signature-256 matched the raw bytes under the tenant's app
 *   secret (digest §3.4), then the bot answers and status updates are applied.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '@mnetifi/db/domain'
import { applyDeliveryReport, DeliveryReportSchema } from '../../notifications/sms/delivery-reports.service.js'
import { withTenantScope } from '../../lib/tenant-scope.js'
import {
  findNotificationSettingsBySmsReportTokenAcrossTenants, findNotificationSettingsByWhatsappWebhookTokenAcrossTenants, findTenantById,
} from '@mnetifi/db'
import { openSettingsSecret } from '../../notifications/transports/transport.js'
import { portalUrl } from '../../notifications/reminders.service.js'
import { safeEqual, verifyMetaSignature } from '../../notifications/whatsapp/signature.js'
import { handleWhatsappWebhook, WebhookSchema } from '../../notifications/whatsapp/webhook.service.js'

const TokenParams = z.object({ token: z.string().min(16).max(128) })

const VerifyQuerySchema = z.object({
  'hub.mode': z.string().max(32).optional(), 'hub.verify_token': z.string().max(256).optional(), 'hub.challenge': z.string().max(256).optional(),
})

/** Options: where the portal is (the bot's "buy" link). */
export interface NotificationHooksOptions { readonly publicBaseUrl: string }

/** Registers the hooks (mount at `/hooks/notifications`). */
export async function notificationHooksRoutes(app: FastifyInstance, opts: NotificationHooksOptions): Promise<void> {
  await app.register(whatsappHookRoutes, { prefix: '/whatsapp', publicBaseUrl: opts.publicBaseUrl })
  const r = app.withTypeProvider<ZodTypeProvider>()
  // Scoped to this plugin: AT posts application/x-www-form-urlencoded, which the rest of the API does not take.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  r.post('/sms/:token', {
    schema: { hide: true, params: TokenParams, body: z.unknown(), response: { 200: z.object({ ok: z.boolean(), outcome: z.string() }) } },
  }, async (req) => {
    const settings = await findNotificationSettingsBySmsReportTokenAcrossTenants(app.db, req.params.token)
    if (!settings) throw new AppError('NOT_FOUND', 'Not found')
    const report = DeliveryReportSchema.safeParse(req.body)
    if (!report.success) {
      req.log.warn({ tenantId: settings.tenant_id, issues: report.error.message }, 'SMS delivery report failed validation')
      return { ok: false, outcome: 'invalid' }
    }
    const outcome = await withTenantScope(app.db, settings.tenant_id, (trx) => applyDeliveryReport(trx, settings.tenant_id, report.data, new Date()))
    return { ok: true, outcome }
  })
}

/** The WhatsApp webhook, in its own scope: JSON stays raw bytes here until the signature is checked. */
async function whatsappHookRoutes(app: FastifyInstance, opts: NotificationHooksOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  const settingsFor = async (token: string) => {
    const settings = await findNotificationSettingsByWhatsappWebhookTokenAcrossTenants(app.db, token)
    if (!settings) throw new AppError('NOT_FOUND', 'Not found')
    return settings
  }

  r.get('/:token', { schema: { hide: true, params: TokenParams, querystring: VerifyQuerySchema, response: { 200: z.string() } } }, async (req, reply) => {
    const settings = await settingsFor(req.params.token)
    const q = req.query
    if (q['hub.mode'] !== 'subscribe' || !settings.whatsapp_verify_token || !q['hub.verify_token'] || !safeEqual(q['hub.verify_token'], settings.whatsapp_verify_token)) {
      throw new AppError('FORBIDDEN', 'Verification failed')
    }
    reply.header('content-type', 'text/plain; charset=utf-8')
    return q['hub.challenge'] ?? ''
  })

  r.post('/:token', { schema: { hide: true, params: TokenParams, response: { 200: z.object({ ok: z.literal(true), answered: z.number(), statuses: z.number(), ignored: z.number() }) } } }, async (req) => {
    const settings = await settingsFor(req.params.token)
    const secret = openSettingsSecret(app.secretBox, settings, 'whatsapp_app_secret')
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    // Nothing of the body is looked at before this line.
    if (!secret || !verifyMetaSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, secret)) {
      req.log.warn({ tenantId: settings.tenant_id }, 'WhatsApp webhook with a missing or wrong signature')
      throw new AppError('UNAUTHENTICATED', 'Bad signature')
    }
    let json: unknown
    try {
      json = JSON.parse(raw.toString('utf8'))
    } catch {
      throw new AppError('VALIDATION_FAILED', 'Body is not JSON')
    }
    const payload = WebhookSchema.safeParse(json)
    if (!payload.success) throw new AppError('VALIDATION_FAILED', 'Not a WhatsApp webhook payload', { details: payload.error.issues.slice(0, 5) })
    const tenant = await findTenantById(app.db, settings.tenant_id)
    if (!tenant) throw new AppError('NOT_FOUND', 'Not found')
    const outcome = await withTenantScope(app.db, tenant.id, (trx) => handleWhatsappWebhook(trx, tenant, settings, payload.data, {
      now: new Date(), portalUrl: portalUrl(opts.publicBaseUrl, tenant.subdomain),
    }))
    return { ok: true as const, ...outcome }
  })
}
