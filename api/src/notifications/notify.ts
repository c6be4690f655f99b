/**
 * `notify(executor, event)`: the one entry for every customer message. It runs inside the caller's database
 * transaction (a credited payment and its confirmation commit together or not at all), decides the channels
 * (customer's choice, else the tenant's), the language (remembered per customer, else the tenant's), renders the
 * tenant's template (or the built-in one), holds it past quiet hours when it can wait, and writes one outbox row
 * per channel. The event's `key` makes it idempotent: the same key writes nothing the second time. The worker
 * sends the rows later (dispatcher.ts → deliver.service.ts).
 */
import {
  enqueueNotification, findNotificationSettings, findNotificationTemplate, findTenantById, findWifiUserNotificationPrefs,
  type Executor, type NotificationLanguage, type NotificationOutboxRow, type NotificationSettingsRow,
} from '@mnetifi/db'
import type { NotificationChannel } from '@mnetifi/db/domain'
import { channelsFor, NOTIFICATION_EVENTS, type NotificationEventType } from './events.js'
import { nextSendTime } from './quiet-hours.js'
import { DEFAULT_TEMPLATES, renderText, type TemplateText } from './templates.js'

/** Template variables; a function when some depend on the language (durations, reasons). */
export type EventVariables = Readonly<Record<string, string>> | ((language: NotificationLanguage) => Readonly<Record<string, string>>)

/** Something the customer (or the ISP) should hear about. */
export interface NotificationEvent {
  readonly tenantId: string
  readonly type: NotificationEventType
  /** Idempotency key, e.g. `payment-confirmed:<transaction id>`: one message per channel, ever. */
  readonly key: string
  readonly userId?: string | null
  /** Where to reach the recipient: a 2547… phone for SMS/WhatsApp, an address for e-mail. */
  readonly to: { readonly phone?: string | null; readonly email?: string | null }
  /** Values of the event's variables (`isp` is filled in from the tenant when absent). */
  readonly vars: EventVariables
  /** Kept in the payload beside the variables (ids the sender needs, e.g. the transaction for a receipt PDF). */
  readonly data?: Readonly<Record<string, unknown>>
  /** Not before this instant (reminders); quiet hours may move it later still. @defaultValue now */
  readonly sendAfter?: Date
  /** Overrides the remembered language (a portal screen in Swahili). */
  readonly language?: NotificationLanguage
  /** Overrides the channel choice. */
  readonly channels?: readonly NotificationChannel[]
}

/** Settings of a tenant that never saved any. */
export const DEFAULT_NOTIFICATION_SETTINGS = Object.freeze({
  channels: ['SMS'] as NotificationChannel[], default_language: 'en' as NotificationLanguage,
  quiet_hours_start: null, quiet_hours_end: null, reminder_offsets_seconds: [259_200, 86_400, 3600],
  whatsapp_phone_number_id: null,
} satisfies Partial<NotificationSettingsRow>)

type EffectiveSettings = Pick<NotificationSettingsRow, keyof typeof DEFAULT_NOTIFICATION_SETTINGS>

/** The tenant's effective settings (its row, or the defaults). */
export async function effectiveSettings(db: Executor, tenantId: string): Promise<EffectiveSettings> {
  return (await findNotificationSettings(db, tenantId)) ?? DEFAULT_NOTIFICATION_SETTINGS
}

/** The template a tenant uses for `type` in `language`: its own override, else the built-in text. */
export async function templateFor(db: Executor, tenantId: string, type: NotificationEventType, language: NotificationLanguage): Promise<TemplateText> {
  const own = await findNotificationTemplate(db, tenantId, type, language)
  return own ? { subject: own.subject, body: own.body } : DEFAULT_TEMPLATES[type][language]
}

/**
 * Writes the event's messages to the outbox in `db`'s transaction. Returns the rows written (none when the key
 * was already used, or the recipient cannot be reached on any chosen channel).
 */
export async function notify(db: Executor, event: NotificationEvent, opts: { now?: Date } = {}): Promise<NotificationOutboxRow[]> {
  const now = opts.now ?? new Date()
  const spec = NOTIFICATION_EVENTS[event.type]
  const [tenant, settings, prefs] = await Promise.all([
    findTenantById(db, event.tenantId),
    effectiveSettings(db, event.tenantId),
    event.userId ? findWifiUserNotificationPrefs(db, event.tenantId, event.userId) : Promise.resolve(undefined),
  ])
  if (!tenant) throw new Error(`tenant ${event.tenantId} does not exist`)
  const language = event.language ?? prefs?.language ?? settings.default_language
  const channels = chooseChannels(event, spec, settings, prefs?.channels ?? null)
  if (channels.length === 0) return []
  const vars = { isp: tenant.branding_config.name ?? tenant.name, ...(typeof event.vars === 'function' ? event.vars(language) : event.vars) }
  const template = await templateFor(db, event.tenantId, event.type, language)
  const earliest = event.sendAfter && event.sendAfter > now ? event.sendAfter : now
  const sendAfter = spec.quiet ? nextSendTime(earliest, tenant.timezone, { start: settings.quiet_hours_start, end: settings.quiet_hours_end }) : earliest
  const written: NotificationOutboxRow[] = []
  for (const channel of channels) {
    const row = await enqueueNotification(db, {
      tenant_id: event.tenantId, channel, recipient: channel === 'EMAIL' ? event.to.email! : event.to.phone!,
      event: event.type, template: event.type, user_id: event.userId ?? null, language, dedupe_key: event.key,
      subject: template.subject === null ? null : renderText(template.subject, vars), body: renderText(template.body, vars),
      payload: JSON.stringify({ ...vars, ...event.data }), send_after: sendAfter,
    })
    if (row) written.push(row)
  }
  return written
}

/**
 * The channels an event goes out on: the customer's choice, else the tenant's, limited to those the event can
 * use and the recipient can be reached on. WhatsApp needs the tenant's WhatsApp number. E-mail events go to any
 * address given unless the customer turned e-mail off. Single-channel events (a login code) take the first.
 */
function chooseChannels(
  event: NotificationEvent, spec: (typeof NOTIFICATION_EVENTS)[NotificationEventType], settings: EffectiveSettings,
  customer: readonly NotificationChannel[] | null,
): NotificationChannel[] {
  const possible = channelsFor(spec)
  const wanted = event.channels ?? (spec.kind === 'email' ? (customer ?? ['EMAIL']) : (customer ?? settings.channels))
  const reachable = wanted.filter((c) => possible.includes(c) && (c === 'EMAIL'
    ? !!event.to.email
    : !!event.to.phone && (c === 'SMS' || settings.whatsapp_phone_number_id !== null)))
  return spec.single ? reachable.slice(0, 1) : [...new Set(reachable)]
}
