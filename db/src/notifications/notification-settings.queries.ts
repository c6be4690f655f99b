/**
 * A tenant's notification settings, template overrides and its customers' remembered language and channels.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { NotificationLanguage } from '../billing/notification-outbox.table.js'
import type { NotificationChannel } from '../domain/enums.js'
import type {
  NotificationSettingsRow, NotificationSettingsUpdate, NotificationTemplateRow, WifiUserNotificationPrefsRow,
} from './notification-settings.table.js'

/** The tenant's settings row, or undefined when it never saved any (callers use the defaults). */
export async function findNotificationSettings(db: Executor, tenantId: string): Promise<NotificationSettingsRow | undefined> {
  return db.selectFrom('notification_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()
}

/** The tenant's settings row, created with the defaults when missing. */
export async function getOrCreateNotificationSettings(db: Executor, tenantId: string): Promise<NotificationSettingsRow> {
  const found = await findNotificationSettings(db, tenantId)
  if (found) return found
  await db.insertInto('notification_settings').values({ tenant_id: tenantId }).onConflict((oc) => oc.column('tenant_id').doNothing()).execute()
  return (await findNotificationSettings(db, tenantId))!
}

/** Changes the tenant's settings (creating the row first if needed). */
export async function updateNotificationSettings(db: Executor, tenantId: string, update: NotificationSettingsUpdate): Promise<NotificationSettingsRow> {
  await getOrCreateNotificationSettings(db, tenantId)
  return db.updateTable('notification_settings').set({ ...update, updated_at: sql`now()` }).where('tenant_id', '=', tenantId)
    .returningAll().executeTakeFirstOrThrow()
}

/** The settings holding a delivery-report token (the token names the tenant). */
export async function findNotificationSettingsBySmsReportTokenAcrossTenants(db: Executor, token: string): Promise<NotificationSettingsRow | undefined> {
  return db.selectFrom('notification_settings').selectAll().where('sms_report_token', '=', token).executeTakeFirst()
}

/** The settings of the tenant whose WhatsApp number has Graph id `phoneNumberId`. */
export async function findNotificationSettingsByWhatsappNumberAcrossTenants(db: Executor, phoneNumberId: string): Promise<NotificationSettingsRow | undefined> {
  return db.selectFrom('notification_settings').selectAll().where('whatsapp_phone_number_id', '=', phoneNumberId).executeTakeFirst()
}

/** The settings whose WhatsApp webhook URL carries `token` (the token names the tenant). */
export async function findNotificationSettingsByWhatsappWebhookTokenAcrossTenants(db: Executor, token: string): Promise<NotificationSettingsRow | undefined> {
  return db.selectFrom('notification_settings').selectAll().where('whatsapp_webhook_token', '=', token).executeTakeFirst()
}

/** Every template override of a tenant. */
export async function listNotificationTemplates(db: Executor, tenantId: string): Promise<NotificationTemplateRow[]> {
  return db.selectFrom('notification_templates').selectAll().where('tenant_id', '=', tenantId).orderBy('event').orderBy('language').execute()
}

/** One override, or undefined (the built-in template applies). */
export async function findNotificationTemplate(db: Executor, tenantId: string, event: string, language: NotificationLanguage): Promise<NotificationTemplateRow | undefined> {
  return db.selectFrom('notification_templates').selectAll().where('tenant_id', '=', tenantId).where('event', '=', event)
    .where('language', '=', language).executeTakeFirst()
}

/** Saves an override (already validated by the caller). */
export async function upsertNotificationTemplate(
  db: Executor, tenantId: string, t: { event: string; language: NotificationLanguage; subject: string | null; body: string; updatedBy: string | null },
): Promise<NotificationTemplateRow> {
  return db.insertInto('notification_templates')
    .values({ tenant_id: tenantId, event: t.event, language: t.language, subject: t.subject, body: t.body, updated_by: t.updatedBy })
    .onConflict((oc) => oc.columns(['tenant_id', 'event', 'language']).doUpdateSet({
      subject: t.subject, body: t.body, updated_by: t.updatedBy, updated_at: sql`now()`,
    }))
    .returningAll().executeTakeFirstOrThrow()
}

/** Removes an override; returns whether one existed. */
export async function deleteNotificationTemplate(db: Executor, tenantId: string, event: string, language: NotificationLanguage): Promise<boolean> {
  const r = await db.deleteFrom('notification_templates').where('tenant_id', '=', tenantId).where('event', '=', event)
    .where('language', '=', language).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** A customer's remembered language and channels, or undefined. */
export async function findWifiUserNotificationPrefs(db: Executor, tenantId: string, userId: string): Promise<WifiUserNotificationPrefsRow | undefined> {
  return db.selectFrom('wifi_user_notification_prefs').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst()
}

/** Remembers a customer's language and/or channels (a field left undefined keeps its value). */
export async function upsertWifiUserNotificationPrefs(
  db: Executor, tenantId: string, userId: string, prefs: { language?: NotificationLanguage | null; channels?: NotificationChannel[] | null },
): Promise<WifiUserNotificationPrefsRow> {
  const set = { ...(prefs.language !== undefined ? { language: prefs.language } : {}), ...(prefs.channels !== undefined ? { channels: prefs.channels } : {}) }
  return db.insertInto('wifi_user_notification_prefs')
    .values({ tenant_id: tenantId, user_id: userId, language: prefs.language ?? null, channels: prefs.channels ?? null })
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ ...set, updated_at: sql`now()` }))
    .returningAll().executeTakeFirstOrThrow()
}
