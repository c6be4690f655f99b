/**
 * The SMS channel over the tenant's own Africa's Talking account (username, sender ID, API key encrypted at
 * rest in notification_settings). Each recipient's status code, status and cost are kept on the outbox row.
 */
import type { NotificationsConfig } from '../config.js'
import { openSettingsSecret, type ChannelTransport, type SendOutcome } from '../transports/transport.js'
import { ACCEPTED_STATUS_CODES, parseAfricasTalkingCost, sendAfricasTalkingSms, TRANSIENT_STATUS_CODES } from './africastalking-client.js'

export const AFRICASTALKING = 'africastalking'

/** The Africa's Talking transport. */
export function createAfricasTalkingTransport(config: Pick<NotificationsConfig, 'AFRICASTALKING_BASE_URL' | 'AFRICASTALKING_SANDBOX_URL' | 'NOTIFY_PROVIDER_TIMEOUT_MS'>): ChannelTransport {
  return {
    async send(row, { settings, secretBox }): Promise<SendOutcome> {
      const apiKey = settings ? openSettingsSecret(secretBox, settings, 'sms_api_key') : undefined
      if (!settings?.sms_username || !apiKey) return { kind: 'failed', provider: AFRICASTALKING, reason: 'no Africa\'s Talking account is configured for this ISP' }
      // AT's sandbox only takes the username 'sandbox' (digest §2.1).
      const base = settings.sms_username.toLowerCase() === 'sandbox' ? config.AFRICASTALKING_SANDBOX_URL : config.AFRICASTALKING_BASE_URL
      const result = await sendAfricasTalkingSms(base, { username: settings.sms_username, apiKey, senderId: settings.sms_sender_id },
        { phone: row.recipient, message: row.body }, { timeoutMs: config.NOTIFY_PROVIDER_TIMEOUT_MS })
      if (result.kind === 'network-error') return { kind: 'retry', provider: AFRICASTALKING, reason: result.message }
      if (result.kind === 'http-error') {
        const reason = `HTTP ${result.status}: ${result.body}`
        // 5xx and 429: AT is down or throttling. Any other status (401 bad key, 400 bad sender ID) is ours to fix.
        return result.status >= 500 || result.status === 429
          ? { kind: 'retry', provider: AFRICASTALKING, reason, statusCode: result.status }
          : { kind: 'failed', provider: AFRICASTALKING, reason, statusCode: result.status }
      }
      const r = result.recipients[0]
      if (!r) return { kind: 'retry', provider: AFRICASTALKING, reason: 'Africa\'s Talking answered without a recipient' }
      if (ACCEPTED_STATUS_CODES.has(r.statusCode)) {
        const cost = parseAfricasTalkingCost(r.cost)
        return {
          kind: 'sent', provider: AFRICASTALKING, providerMessageId: r.messageId, statusCode: r.statusCode, status: r.status,
          ...(cost ? { costE4: cost.e4, costCurrency: cost.currency } : {}),
        }
      }
      const kind = TRANSIENT_STATUS_CODES.has(r.statusCode) ? 'retry' : 'failed'
      return { kind, provider: AFRICASTALKING, reason: `${r.statusCode} ${r.status}`, statusCode: r.statusCode, status: r.status }
    },
  }
}
