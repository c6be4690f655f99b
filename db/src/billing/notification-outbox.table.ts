import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { NotificationChannel } from '../domain/enums.js'

/** Where a message is in its life (migration 2026_12_03_300000). */
export type NotificationStatus = 'QUEUED' | 'SENT' | 'DELIVERED' | 'FAILED' | 'CANCELLED'
/** The languages templates exist in. */
export type NotificationLanguage = 'en' | 'sw'

/** One message on one channel, written in the transaction of the event that causes it. */
export interface NotificationOutboxTable {
  id: Generated<string>
  tenant_id: string
  channel: NotificationChannel
  /** 2547… for SMS/WhatsApp, an address for e-mail. */
  recipient: string
  /** The event type (e.g. 'payment.confirmed'); kept beside `event` for rows older than issue 12. */
  template: string
  event: string
  user_id: string | null
  language: Generated<NotificationLanguage>
  /** The event's variables as sent to the template (and the WhatsApp template parameters). */
  payload: ColumnType<unknown, string | undefined, string>
  /** The event's idempotency key: one message per (tenant, key, channel). */
  dedupe_key: string
  subject: string | null
  /** The rendered text. */
  body: Generated<string>
  status: Generated<NotificationStatus>
  attempts: Generated<number>
  /** The last error or the provider's failure reason. */
  last_error: string | null
  send_after: Generated<Date>
  enqueued_at: Date | null
  provider: string | null
  provider_message_id: string | null
  provider_status_code: number | null
  provider_status: string | null
  /** Provider cost in 1/10 000 of cost_currency. */
  cost_e4: ColumnType<number | null, number | null | undefined, number | null>
  cost_currency: string | null
  created_at: Generated<Date>
  sent_at: Date | null
  delivered_at: Date | null
  failed_at: Date | null
  updated_at: Generated<Date>
}
export type NotificationOutboxRow = Selectable<NotificationOutboxTable>
export type NewNotification = Insertable<NotificationOutboxTable>
export type NotificationUpdate = Updateable<NotificationOutboxTable>
