/**
 * The WhatsApp channel. A notification goes out as the ISP's approved template named after the event
 * ('payment.confirmed' → 'payment_confirmed') in the message's language ('en' / 'sw'), its body parameters the
 * event's WhatsApp variables in order (events.ts); a bot answer ('whatsapp.reply') as text in the open
 * 24-hour window, threaded to the customer's message.
 */
import type { NotificationsConfig } from '../config.js'
import { isNotificationEventType, NOTIFICATION_EVENTS } from '../events.js'
import { openSettingsSecret, type ChannelTransport, type SendOutcome } from '../transports/transport.js'
import { sendGraphMessage, TRANSIENT_GRAPH_CODES, type GraphMessage } from './graph-client.js'

export const WHATSAPP = 'whatsapp'
/** The outbox event of the bot's free-text answers. */
export const WHATSAPP_REPLY_EVENT = 'whatsapp.reply'

/** The WhatsApp Cloud API transport. */
export function createWhatsappTransport(config: Pick<NotificationsConfig, 'WHATSAPP_GRAPH_URL' | 'WHATSAPP_API_VERSION' | 'NOTIFY_PROVIDER_TIMEOUT_MS'>): ChannelTransport {
  return {
    async send(row, { settings, secretBox }): Promise<SendOutcome> {
      const token = settings ? openSettingsSecret(secretBox, settings, 'whatsapp_access_token') : undefined
      if (!settings?.whatsapp_phone_number_id || !token) return { kind: 'failed', provider: WHATSAPP, reason: 'no WhatsApp number is configured for this ISP' }
      const message = graphMessageFor(row)
      if (!message) return { kind: 'failed', provider: WHATSAPP, reason: `no WhatsApp template for ${row.event}` }
      const result = await sendGraphMessage({ url: config.WHATSAPP_GRAPH_URL, version: config.WHATSAPP_API_VERSION },
        { phoneNumberId: settings.whatsapp_phone_number_id, accessToken: token }, message, { timeoutMs: config.NOTIFY_PROVIDER_TIMEOUT_MS })
      if (result.kind === 'sent') return { kind: 'sent', provider: WHATSAPP, providerMessageId: result.messageId, status: 'accepted' }
      if (result.kind === 'network-error') return { kind: 'retry', provider: WHATSAPP, reason: result.message }
      const reason = `${result.code ?? `HTTP ${result.status}`}: ${result.message}`
      const transient = result.status >= 500 || (result.code !== undefined && TRANSIENT_GRAPH_CODES.has(result.code))
      return { kind: transient ? 'retry' : 'failed', provider: WHATSAPP, reason, ...(result.code !== undefined ? { statusCode: result.code } : {}) }
    },
  }
}

/** The Graph body for an outbox row, or undefined for an event WhatsApp has no template for. */
export function graphMessageFor(row: { event: string; recipient: string; language: string; body: string; payload: unknown }): GraphMessage | undefined {
  const payload = (row.payload ?? {}) as Record<string, unknown>
  if (row.event === WHATSAPP_REPLY_EVENT) {
    const replyTo = typeof payload.replyTo === 'string' ? payload.replyTo : undefined
    return {
      messaging_product: 'whatsapp', recipient_type: 'individual', to: row.recipient, type: 'text',
      text: { preview_url: false, body: row.body }, ...(replyTo ? { context: { message_id: replyTo } } : {}),
    }
  }
  if (!isNotificationEventType(row.event)) return undefined
  const params = NOTIFICATION_EVENTS[row.event].whatsappParams
  return {
    messaging_product: 'whatsapp', recipient_type: 'individual', to: row.recipient, type: 'template',
    template: {
      name: row.event.replace(/\./g, '_'), language: { code: row.language },
      components: [{ type: 'body', parameters: params.map((p) => ({ type: 'text' as const, text: String(payload[p] ?? '') })) }],
    },
  }
}
