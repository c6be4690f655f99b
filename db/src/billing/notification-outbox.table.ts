import type { Generated, Insertable, Selectable } from 'kysely'
import type { NotificationChannel } from '../domain/enums.js'

export interface NotificationOutboxTable {
  id: Generated<string>
  tenant_id: string
  channel: NotificationChannel
  recipient: string
  template: string
  payload: Generated<unknown>
  dedupe_key: string | null
  status: Generated<'PENDING' | 'SENT' | 'FAILED'>
  attempts: Generated<number>
  last_error: string | null
  created_at: Generated<Date>
  sent_at: Date | null
}
export type NotificationOutboxRow = Selectable<NotificationOutboxTable>
export type NewNotification = Insertable<NotificationOutboxTable>
