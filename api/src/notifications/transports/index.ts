/**
 * The sender per channel, chosen by config: the development adapter (outbox only) or the real provider.
 */
import type { NotificationChannel } from '@mnetifi/db/domain'
import type { NotificationsConfig } from '../config.js'
import { createAfricasTalkingTransport } from '../sms/sms-transport.js'
import { createSmtpTransport } from '../email/smtp-transport.js'
import { createWhatsappTransport } from '../whatsapp/whatsapp-transport.js'
import { outboxOnlyTransport, type ChannelTransport } from './transport.js'

/** One transport per channel for `config`. */
export function createTransports(config: NotificationsConfig): Readonly<Record<NotificationChannel, ChannelTransport>> {
  return Object.freeze({
    SMS: config.NOTIFY_SMS_TRANSPORT === 'africastalking' ? createAfricasTalkingTransport(config) : outboxOnlyTransport,
    WHATSAPP: config.NOTIFY_WHATSAPP_TRANSPORT === 'cloud-api' ? createWhatsappTransport(config) : outboxOnlyTransport,
    EMAIL: config.NOTIFY_EMAIL_TRANSPORT === 'smtp' ? createSmtpTransport(config) : outboxOnlyTransport,
  })
}
