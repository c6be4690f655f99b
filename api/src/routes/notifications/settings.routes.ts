/**
 * /api/notifications/settings, /templates and /customers/:userId/preferences — the tenant's channels, language,
 * quiet hours, reminder offsets and provider accounts (secrets write-only, sealed at rest), its templates (checked
 * when saved) and a customer's remembered language and channels.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  deleteNotificationTemplate, findWifiUserById, findWifiUserNotificationPrefs, getOrCreateNotificationSettings, listNotificationTemplates,
  updateNotificationSettings, upsertNotificationTemplate, upsertWifiUserNotificationPrefs, type NotificationSettingsUpdate,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { audit } from '../../lib/audit.js'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { NOTIFICATION_EVENTS, NOTIFICATION_EVENT_TYPES, type NotificationEventType } from '../../notifications/events.js'
import { DEFAULT_TEMPLATES, NOTIFICATION_LANGUAGES, validateTemplate } from '../../notifications/templates.js'
import { sealSettingsSecret } from '../../notifications/transports/transport.js'
import { ERROR_RESPONSES, OkSchema } from '../common.schemas.js'
import {
  hhmmToMinutes, PreferencesParamsSchema, PreferencesSchema, SettingsSchema, TemplateBodySchema, TemplateListSchema, TemplateParamsSchema,
  TemplateSchema, toSettings, toTemplate, UpdatePreferencesBodySchema, UpdateSettingsBodySchema,
} from './notifications.schemas.js'

/** Options: where the hooks are reachable (for the URLs the settings show). */
export interface SettingsRoutesOptions { readonly publicBaseUrl: string }

/** Registers the settings, template and preference routes (mounted by notificationRoutes). */
export const settingsRoutes: FastifyPluginAsyncZod<SettingsRoutesOptions> = async (app, opts) => {
  const tags = ['notifications']
  const staff = requireRole(STAFF_ROLES)
  const owner = requireRole(OWNER_ROLES)

  app.get('/settings', {
    schema: { tags, summary: 'Channels, language, quiet hours, reminder offsets and provider accounts', response: { 200: SettingsSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => toSettings(await getOrCreateNotificationSettings(trx, tenantId), opts.publicBaseUrl)))

  app.put('/settings', {
    schema: { tags, summary: 'Change notification settings (secrets are write-only and stored encrypted)', body: UpdateSettingsBodySchema, response: { 200: SettingsSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const before = await getOrCreateNotificationSettings(trx, tenantId)
    const b = request.body
    const seal = (column: 'sms_api_key' | 'whatsapp_access_token' | 'whatsapp_app_secret', v: string) => sealSettingsSecret(request.server.secretBox, before.id, column, v)
    const u: NotificationSettingsUpdate = {
      ...(b.channels ? { channels: b.channels } : {}), ...(b.defaultLanguage ? { default_language: b.defaultLanguage } : {}),
      ...(b.quietHours !== undefined ? { quiet_hours_start: b.quietHours ? hhmmToMinutes(b.quietHours.start) : null, quiet_hours_end: b.quietHours ? hhmmToMinutes(b.quietHours.end) : null } : {}),
      ...(b.reminderOffsetsSeconds ? { reminder_offsets_seconds: [...b.reminderOffsetsSeconds].sort((x, y) => y - x) } : {}),
      ...(b.sms?.username !== undefined ? { sms_username: b.sms.username } : {}), ...(b.sms?.senderId !== undefined ? { sms_sender_id: b.sms.senderId } : {}),
      ...(b.sms?.apiKey !== undefined ? { sms_api_key: seal('sms_api_key', b.sms.apiKey) } : {}),
      ...(b.whatsapp?.phoneNumberId !== undefined ? { whatsapp_phone_number_id: b.whatsapp.phoneNumberId } : {}),
      ...(b.whatsapp?.accessToken !== undefined ? { whatsapp_access_token: seal('whatsapp_access_token', b.whatsapp.accessToken) } : {}),
      ...(b.whatsapp?.appSecret !== undefined ? { whatsapp_app_secret: seal('whatsapp_app_secret', b.whatsapp.appSecret) } : {}),
      ...(b.whatsapp?.verifyToken !== undefined ? { whatsapp_verify_token: b.whatsapp.verifyToken } : {}),
      ...(b.email?.from !== undefined ? { email_from: b.email.from } : {}), ...(b.email?.billingEmail !== undefined ? { billing_email: b.email.billingEmail } : {}),
    }
    const after = await updateNotificationSettings(trx, tenantId, u)
    // The audit log never holds a secret: only whether one was set.
    await audit(trx, request, {
      action: 'notifications.settings.updated', entityType: 'notification_settings', entityId: after.id,
      before: toSettings(before, opts.publicBaseUrl), after: toSettings(after, opts.publicBaseUrl),
    })
    return toSettings(after, opts.publicBaseUrl)
  }))

  app.get('/templates', {
    schema: { tags, summary: 'Every event\'s template in English and Swahili (the ISP\'s own or the built-in one)', response: { 200: TemplateListSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const own = new Map((await listNotificationTemplates(trx, tenantId)).map((t) => [`${t.event}/${t.language}`, t]))
    const items = NOTIFICATION_EVENT_TYPES.flatMap((event) => NOTIFICATION_LANGUAGES.map((language) => {
      const row = own.get(`${event}/${language}`)
      const variables = NOTIFICATION_EVENTS[event].variables
      if (row) return toTemplate(row, variables)
      const d = DEFAULT_TEMPLATES[event][language]
      return { event, language, subject: d.subject, body: d.body, isDefault: true, variables: [...variables], updatedAt: null }
    }))
    return { items }
  }))

  app.put('/templates/:event/:language', {
    schema: { tags, summary: 'Save the ISP\'s template for an event and language (variables are checked)', params: TemplateParamsSchema, body: TemplateBodySchema, response: { 200: TemplateSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => {
    const event = request.params.event as NotificationEventType
    const text = { subject: request.body.subject ?? null, body: request.body.body }
    const issues = validateTemplate(event, text)
    if (issues.length) throw new AppError('VALIDATION_FAILED', 'The template is invalid', { details: issues })
    return request.withTenant(async (trx, tenantId) => {
      const row = await upsertNotificationTemplate(trx, tenantId, { event, language: request.params.language, ...text, updatedBy: request.admin?.id ?? null })
      await audit(trx, request, { action: 'notifications.template.saved', entityType: 'notification_template', entityId: row.id, after: { event, language: row.language, subject: row.subject, body: row.body } })
      return toTemplate(row, NOTIFICATION_EVENTS[event].variables)
    })
  })

  app.delete('/templates/:event/:language', {
    schema: { tags, summary: 'Go back to the built-in template', params: TemplateParamsSchema, response: { 200: OkSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    if (!(await deleteNotificationTemplate(trx, tenantId, request.params.event, request.params.language))) throw new AppError('NOT_FOUND', 'The built-in template is already in use')
    return { ok: true as const }
  }))

  app.get('/customers/:userId/preferences', {
    schema: { tags, summary: 'A customer\'s remembered language and channels (null: the ISP\'s)', params: PreferencesParamsSchema, response: { 200: PreferencesSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    if (!(await findWifiUserById(trx, tenantId, request.params.userId))) throw new AppError('NOT_FOUND', 'User not found')
    const p = await findWifiUserNotificationPrefs(trx, tenantId, request.params.userId)
    return { language: p?.language ?? null, channels: p?.channels ?? null }
  }))

  app.put('/customers/:userId/preferences', {
    schema: { tags, summary: 'Set a customer\'s language and channels', params: PreferencesParamsSchema, body: UpdatePreferencesBodySchema, response: { 200: PreferencesSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    if (!(await findWifiUserById(trx, tenantId, request.params.userId))) throw new AppError('NOT_FOUND', 'User not found')
    const p = await upsertWifiUserNotificationPrefs(trx, tenantId, request.params.userId, request.body)
    return { language: p.language, channels: p.channels }
  }))
}
