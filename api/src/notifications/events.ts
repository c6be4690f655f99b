/**
 * The catalogue of notification events: which variables each template may use (checked when a template is
 * saved), which are required, the order of the WhatsApp template parameters, whether quiet hours hold it back,
 * and which channels can carry it.
 */
import type { NotificationChannel } from '@mnetifi/db/domain'

/** One event type. */
export interface EventSpec {
  /** Variables a template may use, in WhatsApp body-parameter order ({{1}}, {{2}} … of the approved template). */
  readonly variables: readonly string[]
  /** Variables every template of this event must contain (an OTP template without the code is useless). */
  readonly required: readonly string[]
  /** 'message': SMS/WhatsApp text; 'email': an e-mail with a subject (and an attachment). */
  readonly kind: 'message' | 'email'
  /**
   * Held back until quiet hours end. Answers to something the customer just did (a payment, a code, a voucher)
   * are not: the customer is waiting for them.
   */
  readonly quiet: boolean
  /** Sent on one channel only (the first the customer can be reached on), not on every chosen channel. */
  readonly single: boolean
  /**
   * The body parameters of the ISP's approved WhatsApp template for this event, in order ({{1}}, {{2}} …). The
   * template is named after the event with '_' for '.', one translation per language (en, sw).
   */
  readonly whatsappParams: readonly string[]
}

export const NOTIFICATION_EVENTS = Object.freeze({
  'payment.confirmed': { variables: ['amount', 'receipt', 'plan', 'expires', 'isp', 'username', 'password'], required: [], kind: 'message', quiet: false, single: false, whatsappParams: ['amount', 'receipt', 'plan', 'expires'] },
  'payment.failed': { variables: ['amount', 'plan', 'reason', 'isp'], required: [], kind: 'message', quiet: false, single: false, whatsappParams: ['amount', 'plan', 'reason'] },
  'plan.expiring': { variables: ['plan', 'timeLeft', 'expires', 'isp', 'portalUrl'], required: [], kind: 'message', quiet: true, single: false, whatsappParams: ['plan', 'timeLeft', 'expires', 'portalUrl'] },
  'plan.expired': { variables: ['plan', 'isp', 'portalUrl'], required: [], kind: 'message', quiet: true, single: false, whatsappParams: ['plan', 'portalUrl'] },
  'voucher.redeemed': { variables: ['code', 'plan', 'expires', 'isp'], required: [], kind: 'message', quiet: false, single: false, whatsappParams: ['code', 'plan', 'expires'] },
  'otp.code': { variables: ['code', 'minutes', 'isp'], required: ['code'], kind: 'message', quiet: false, single: true, whatsappParams: ['code'] },
  'ticket.updated': { variables: ['ticket', 'status', 'isp'], required: [], kind: 'message', quiet: true, single: false, whatsappParams: ['ticket', 'status'] },
  'payment.receipt': { variables: ['receiptNumber', 'amount', 'receipt', 'plan', 'isp'], required: [], kind: 'email', quiet: false, single: true, whatsappParams: [] },
  'isp.invoice': { variables: ['invoiceNumber', 'period', 'amount', 'dueDate', 'isp'], required: [], kind: 'email', quiet: false, single: true, whatsappParams: [] },
  // To the ISP's owners when MnetiFi loses a router it could reach (customers behind it may be offline).
  'router.silent': { variables: ['router', 'since', 'reason', 'isp'], required: ['router'], kind: 'email', quiet: false, single: true, whatsappParams: [] },
} as const satisfies Record<string, EventSpec>)

/** An event type name. */
export type NotificationEventType = keyof typeof NOTIFICATION_EVENTS
export const NOTIFICATION_EVENT_TYPES = Object.freeze(Object.keys(NOTIFICATION_EVENTS) as NotificationEventType[])

/** Whether `name` is an event type. */
export function isNotificationEventType(name: string): name is NotificationEventType {
  return Object.hasOwn(NOTIFICATION_EVENTS, name)
}

/** The channels an event of `spec` can go out on. */
export function channelsFor(spec: EventSpec): readonly NotificationChannel[] {
  return spec.kind === 'email' ? ['EMAIL'] : ['SMS', 'WHATSAPP']
}
