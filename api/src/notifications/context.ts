/**
 * Everything the notification services need, passed in explicitly: the database, secrets, settings, the senders
 * per channel, the delivery queue, the logger and the clock.
 */
import type { Kysely } from 'kysely'
import type { Database, Logger, SecretBox } from '@mnetifi/db'
import type { NotificationChannel } from '@mnetifi/db/domain'
import type { NotificationsConfig } from './config.js'
import type { ChannelTransport } from './transports/transport.js'

/** Hands delivery jobs to BullMQ (delivery-queue.ts). */
export interface DeliveryQueue {
  /** Enqueues one delivery job per row; `attempts` (the row's so far) makes a re-enqueue after a lost job a new job. */
  enqueue(rows: readonly { id: string; attempts: number }[]): Promise<void>
}

/** Dependencies of the notification services. */
export interface NotificationsContext {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly config: NotificationsConfig & { readonly PUBLIC_BASE_URL: string }
  readonly log: Logger
  readonly transports: Readonly<Record<NotificationChannel, ChannelTransport>>
  readonly queue: DeliveryQueue
  /** @defaultValue () => new Date() */
  readonly now?: () => Date
}

/** The context's clock. */
export const nowOf = (ctx: Pick<NotificationsContext, 'now'>): Date => (ctx.now ? ctx.now() : new Date())
