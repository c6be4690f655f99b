import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { NotificationChannel } from '../domain/enums.js'
import type { NotificationLanguage } from '../billing/notification-outbox.table.js'

/** A tenant's notification settings and provider accounts (one row per tenant). */
export interface NotificationSettingsTable {
  id: Generated<string>
  tenant_id: string
  /** Channels the tenant uses, in the order they are tried for a customer without a preference. */
  channels: ColumnType<NotificationChannel[], NotificationChannel[] | undefined, NotificationChannel[]>
  default_language: Generated<NotificationLanguage>
  /** Minutes after local midnight (tenant time zone); both null = no quiet hours. */
  quiet_hours_start: number | null
  quiet_hours_end: number | null
  reminder_offsets_seconds: ColumnType<number[], number[] | undefined, number[]>
  sms_username: string | null
  sms_sender_id: string | null
  /** AES-256-GCM envelope (db/src/crypto), context notification_settings.sms_api_key:<id>. */
  sms_api_key: string | null
  sms_report_token: Generated<string>
  whatsapp_phone_number_id: string | null
  /** Envelopes like sms_api_key. */
  whatsapp_access_token: string | null
  whatsapp_app_secret: string | null
  whatsapp_verify_token: string | null
  /** The secret path segment of the tenant's WhatsApp webhook URL. */
  whatsapp_webhook_token: Generated<string>
  email_from: string | null
  billing_email: string | null
  updated_at: Generated<Date>
}
export type NotificationSettingsRow = Selectable<NotificationSettingsTable>
export type NewNotificationSettings = Insertable<NotificationSettingsTable>
export type NotificationSettingsUpdate = Updateable<NotificationSettingsTable>

/** A tenant's override of a built-in template. */
export interface NotificationTemplatesTable {
  id: Generated<string>
  tenant_id: string
  event: string
  language: NotificationLanguage
  subject: string | null
  body: string
  updated_by: string | null
  updated_at: Generated<Date>
}
export type NotificationTemplateRow = Selectable<NotificationTemplatesTable>

/** A customer's remembered language and channels (null: the tenant's). */
export interface WifiUserNotificationPrefsTable {
  tenant_id: string
  user_id: string
  language: NotificationLanguage | null
  channels: ColumnType<NotificationChannel[] | null, NotificationChannel[] | null | undefined, NotificationChannel[] | null>
  updated_at: Generated<Date>
}
export type WifiUserNotificationPrefsRow = Selectable<WifiUserNotificationPrefsTable>
