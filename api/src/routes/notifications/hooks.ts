/**
 * Provider webhooks for notifications, public: `/hooks/notifications/sms/<token>` takes Africa's Talking
 * delivery reports (form-encoded, unsigned: the unguessable per-tenant token names the tenant, digest §2.2).
 * Answers 200 for a known token whatever the report says, so AT does not keep retrying a report we cannot use.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findNotificationSettingsBySmsReportTokenAcrossTenants } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { applyDeliveryReport, DeliveryReportSchema } from '../../notifications/sms/delivery-reports.service.js'
import { withTenantScope } from '../../lib/tenant-scope.js'

const TokenParams = z.object({ token: z.string().min(16).max(128) })

/** Registers the hooks (mount at `/hooks/notifications`). */
export async function notificationHooksRoutes(app: FastifyInstance): Promise<void> {
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
