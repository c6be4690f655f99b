/** Schemas of the notification routes: messages, costs, settings, templates, customer preferences. */
import { z } from 'zod'
import { NOTIFICATION_CHANNELS } from '@mnetifi/db/domain'
import type { NotificationOutboxRow, NotificationSettingsRow, NotificationTemplateRow } from '@mnetifi/db'
import { NOTIFICATION_EVENT_TYPES } from '../../notifications/events.js'
import { iso, IsoDateTime, PaginationQuerySchema } from '../common.schemas.js'

export const NOTIFICATION_STATUSES = ['QUEUED', 'SENT', 'DELIVERED', 'FAILED', 'CANCELLED'] as const
export const LanguageSchema = z.enum(['en', 'sw'])
export const EventTypeSchema = z.enum(NOTIFICATION_EVENT_TYPES as [string, ...string[]])
export const ChannelSchema = z.enum(NOTIFICATION_CHANNELS)

export const ListMessagesQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  channel: ChannelSchema.optional(),
  event: z.string().max(64).optional().describe('an event type, or whatsapp.reply for the bot\'s answers'),
  recipient: z.string().max(254).optional().describe('2547XXXXXXXX or an e-mail address'),
  userId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
})

export const MessageSchema = z.object({
  id: z.uuid(), channel: ChannelSchema, event: z.string(), recipient: z.string(), userId: z.uuid().nullable(), language: LanguageSchema,
  subject: z.string().nullable(), body: z.string(), status: z.enum(NOTIFICATION_STATUSES), attempts: z.number().int(),
  failureReason: z.string().nullable().describe('the provider\'s reason (or ours) for the last failure'),
  provider: z.string().nullable(), providerMessageId: z.string().nullable(), providerStatusCode: z.number().int().nullable(),
  providerStatus: z.string().nullable(),
  cost: z.object({ amountE4: z.number().int().describe('1/10 000 of the currency unit'), currency: z.string() }).nullable(),
  sendAfter: IsoDateTime, createdAt: IsoDateTime, sentAt: IsoDateTime.nullable(), deliveredAt: IsoDateTime.nullable(), failedAt: IsoDateTime.nullable(),
})

/** A login code must not be readable by staff browsing messages. */
function redact(row: NotificationOutboxRow): string {
  const code = (row.payload as { code?: string }).code
  return row.event === 'otp.code' && code ? row.body.split(code).join('******') : row.body
}

/** Outbox row → API shape. */
export function toMessage(row: NotificationOutboxRow): z.infer<typeof MessageSchema> {
  return {
    id: row.id, channel: row.channel, event: row.event, recipient: row.recipient, userId: row.user_id, language: row.language,
    subject: row.subject, body: redact(row), status: row.status, attempts: row.attempts, failureReason: row.last_error,
    provider: row.provider, providerMessageId: row.provider_message_id, providerStatusCode: row.provider_status_code,
    providerStatus: row.provider_status,
    cost: row.cost_e4 === null ? null : { amountE4: Number(row.cost_e4), currency: row.cost_currency ?? '' },
    sendAfter: row.send_after.toISOString(), createdAt: row.created_at.toISOString(), sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at), failedAt: iso(row.failed_at),
  }
}

export const CostsQuerySchema = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
export const CostsSchema = z.object({
  items: z.array(z.object({ channel: ChannelSchema, currency: z.string(), messages: z.number().int(), amountE4: z.number().int() })),
})

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)')
export const QuietHoursSchema = z.object({ start: HHMM, end: HHMM }).refine((q) => q.start !== q.end, 'start and end must differ')

export const SettingsSchema = z.object({
  channels: z.array(ChannelSchema), defaultLanguage: LanguageSchema, quietHours: z.object({ start: HHMM, end: HHMM }).nullable(),
  reminderOffsetsSeconds: z.array(z.number().int()),
  sms: z.object({ username: z.string().nullable(), senderId: z.string().nullable(), hasApiKey: z.boolean(), deliveryReportUrl: z.string() }),
  whatsapp: z.object({ phoneNumberId: z.string().nullable(), hasAccessToken: z.boolean(), hasAppSecret: z.boolean(), verifyToken: z.string().nullable(), webhookUrl: z.string() }),
  email: z.object({ from: z.string().nullable(), billingEmail: z.string().nullable() }),
})

export const UpdateSettingsBodySchema = z.object({
  channels: z.array(ChannelSchema).min(1).max(3).refine((c) => new Set(c).size === c.length, 'channels must not repeat').optional(),
  defaultLanguage: LanguageSchema.optional(),
  quietHours: QuietHoursSchema.nullable().optional(),
  reminderOffsetsSeconds: z.array(z.number().int().min(60).max(30 * 86_400)).max(6)
    .refine((o) => new Set(o).size === o.length, 'offsets must not repeat').optional().describe('e.g. [259200, 86400, 3600] for 3 days, 1 day, 1 hour'),
  sms: z.object({
    username: z.string().min(1).max(100).optional(),
    // AT sender IDs: an alphanumeric name of up to 11 characters or a numeric short code.
    senderId: z.string().regex(/^(?:[A-Za-z0-9 ]{1,11}|\d{3,15})$/, 'up to 11 letters/digits, or a short code').nullable().optional(),
    apiKey: z.string().min(8).max(200).optional().describe('write-only'),
  }).strict().optional(),
  whatsapp: z.object({
    phoneNumberId: z.string().regex(/^\d{5,30}$/).nullable().optional(),
    accessToken: z.string().min(8).max(1000).optional().describe('write-only'),
    appSecret: z.string().min(8).max(200).optional().describe('write-only'),
    verifyToken: z.string().min(8).max(200).nullable().optional(),
  }).strict().optional(),
  email: z.object({ from: z.email().nullable().optional(), billingEmail: z.email().nullable().optional() }).strict().optional(),
}).strict()
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBodySchema>

const minutesToHHMM = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
/** "22:30" → 1350. */
export const hhmmToMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5))

/** Settings row → API shape (secrets only as "is set"). */
export function toSettings(row: NotificationSettingsRow, baseUrl: string): z.infer<typeof SettingsSchema> {
  const base = baseUrl.replace(/\/+$/, '')
  return {
    channels: row.channels, defaultLanguage: row.default_language,
    quietHours: row.quiet_hours_start === null || row.quiet_hours_end === null ? null : { start: minutesToHHMM(row.quiet_hours_start), end: minutesToHHMM(row.quiet_hours_end) },
    reminderOffsetsSeconds: row.reminder_offsets_seconds,
    sms: { username: row.sms_username, senderId: row.sms_sender_id, hasApiKey: row.sms_api_key !== null, deliveryReportUrl: `${base}/hooks/notifications/sms/${row.sms_report_token}` },
    whatsapp: {
      phoneNumberId: row.whatsapp_phone_number_id, hasAccessToken: row.whatsapp_access_token !== null, hasAppSecret: row.whatsapp_app_secret !== null,
      verifyToken: row.whatsapp_verify_token, webhookUrl: `${base}/hooks/notifications/whatsapp/${row.whatsapp_webhook_token}`,
    },
    email: { from: row.email_from, billingEmail: row.billing_email },
  }
}

export const TemplateParamsSchema = z.object({ event: EventTypeSchema, language: LanguageSchema })
export const TemplateBodySchema = z.object({ subject: z.string().max(200).nullable().optional(), body: z.string().max(1600) }).strict()
export const TemplateSchema = z.object({
  event: z.string(), language: LanguageSchema, subject: z.string().nullable(), body: z.string(), isDefault: z.boolean(),
  variables: z.array(z.string()), updatedAt: IsoDateTime.nullable(),
})
export const TemplateListSchema = z.object({ items: z.array(TemplateSchema) })

/** An override row → API shape. */
export function toTemplate(row: NotificationTemplateRow, variables: readonly string[]): z.infer<typeof TemplateSchema> {
  return { event: row.event, language: row.language, subject: row.subject, body: row.body, isDefault: false, variables: [...variables], updatedAt: row.updated_at.toISOString() }
}

export const PreferencesParamsSchema = z.object({ userId: z.uuid() })
export const PreferencesSchema = z.object({ language: LanguageSchema.nullable(), channels: z.array(ChannelSchema).nullable() })
export const UpdatePreferencesBodySchema = z.object({
  language: LanguageSchema.nullable().optional(),
  channels: z.array(ChannelSchema).max(3).refine((c) => new Set(c).size === c.length, 'channels must not repeat').nullable().optional().describe('null: the ISP\'s'),
}).strict()
