/**
 * What a channel's sender looks like to the delivery service: it takes an outbox row and says what happened,
 * separating permanent failures (`failed`: the provider refused this message; retrying cannot help) from transient
 * ones (`retry`: the provider is down or busy; the row stays QUEUED and is tried again with backoff).
 */
import type { Executor, NotificationOutboxRow, NotificationSettingsRow, SecretBox, TenantRow } from '@mnetifi/db'

/** The provider's answer about one message. */
export type SendOutcome =
  | {
    readonly kind: 'sent'
    readonly provider: string
    readonly providerMessageId: string | null
    readonly statusCode?: number
    readonly status?: string
    /** Price in 1/10 000 of `costCurrency`. */
    readonly costE4?: number
    readonly costCurrency?: string
  }
  | { readonly kind: 'failed'; readonly provider: string; readonly reason: string; readonly statusCode?: number; readonly status?: string }
  | { readonly kind: 'retry'; readonly provider: string; readonly reason: string; readonly statusCode?: number; readonly status?: string }

/** What a sender may need besides the row. */
export interface SendContext {
  readonly db: Executor
  readonly tenant: TenantRow
  /** The tenant's settings row (undefined: never saved, so no provider account). */
  readonly settings: NotificationSettingsRow | undefined
  readonly secretBox: SecretBox
}

/** One channel's sender. */
export interface ChannelTransport {
  send(row: NotificationOutboxRow, ctx: SendContext): Promise<SendOutcome>
}

/**
 * The development adapter: the message stays in the outbox (body, recipient, payload all there to read) and is
 * marked SENT by provider 'outbox'; nothing leaves the machine.
 */
export const outboxOnlyTransport: ChannelTransport = {
  async send() {
    return { kind: 'sent', provider: 'outbox', providerMessageId: null }
  },
}

/** Opens one of the settings' encrypted columns (the context binds it to the row). */
export function openSettingsSecret(
  box: SecretBox, settings: NotificationSettingsRow, column: 'sms_api_key' | 'whatsapp_access_token' | 'whatsapp_app_secret',
): string | undefined {
  const sealed = settings[column]
  return sealed ? box.decrypt(sealed, `notification_settings.${column}:${settings.id}`) : undefined
}

/** Seals a value for one of the settings' encrypted columns. */
export function sealSettingsSecret(
  box: SecretBox, settingsId: string, column: 'sms_api_key' | 'whatsapp_access_token' | 'whatsapp_app_secret', value: string,
): string {
  return box.encrypt(value, `notification_settings.${column}:${settingsId}`)
}
