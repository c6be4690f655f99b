/**
 * Notification settings. The API's ConfigSchema extends these (like the payments settings), so the worker,
 * which parses the same schema in the CLI, gets them too; tests build a literal from NOTIFICATIONS_DEFAULTS.
 */
import { z } from 'zod'

/** Every notifications variable, with its default. */
export const NotificationsConfigSchema = z.object({
  /**
   * How SMS leave: 'outbox' (development: the message is written to the outbox and marked SENT by provider
   * 'outbox', nothing leaves the machine) or 'africastalking' (the tenant's Africa's Talking account).
   * @defaultValue 'outbox'
   */
  NOTIFY_SMS_TRANSPORT: z.enum(['outbox', 'africastalking']).default('outbox'),
  /** 'outbox' or 'cloud-api' (Meta's WhatsApp Business Cloud API). @defaultValue 'outbox' */
  NOTIFY_WHATSAPP_TRANSPORT: z.enum(['outbox', 'cloud-api']).default('outbox'),
  /** 'outbox' or 'smtp' (nodemailer over SMTP_*). @defaultValue 'outbox' */
  NOTIFY_EMAIL_TRANSPORT: z.enum(['outbox', 'smtp']).default('outbox'),
  /** Africa's Talking live API (digest §2.1); tests point it at the emulator. @defaultValue https://api.africastalking.com */
  AFRICASTALKING_BASE_URL: z.string().url().default('https://api.africastalking.com'),
  /** Used for tenants whose AT username is 'sandbox'. @defaultValue https://api.sandbox.africastalking.com */
  AFRICASTALKING_SANDBOX_URL: z.string().url().default('https://api.sandbox.africastalking.com'),
  /** Graph API host (digest §3.1). @defaultValue https://graph.facebook.com */
  WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  /** Pinned Graph API version. @defaultValue 'v26.0' */
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v26.0'),
  /** SMTP server for receipts and invoices (NOTIFY_EMAIL_TRANSPORT=smtp). */
  SMTP_HOST: z.string().default('127.0.0.1'),
  /** 587 = STARTTLS required, 465 = TLS; any other port sends as the server allows. @defaultValue 587 */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** Sender of receipts for tenants without their own `email_from`, and of MnetiFi's invoices. @defaultValue billing@mnetifi.local */
  SMTP_FROM: z.string().default('billing@mnetifi.local'),
  /** Per-call timeout of a provider HTTP request, in ms. @defaultValue 10000 */
  NOTIFY_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often the worker hands due outbox rows to BullMQ, in ms; 0 disables the timer. @defaultValue 2000 */
  NOTIFY_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(0).default(2000),
  /** Delivery attempts of one BullMQ job (exponential backoff from NOTIFY_RETRY_BASE_MS). @defaultValue 8 */
  NOTIFY_JOB_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** First retry delay, in ms (doubling). @defaultValue 5000 */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5000),
  /**
   * A QUEUED row whose job shows no attempt for this long is enqueued again (its job was lost or exhausted its
   * attempts while the provider was down), in ms. @defaultValue 600000
   */
  NOTIFY_REQUEUE_AFTER_MS: z.coerce.number().int().min(1).default(600_000),
  /** A message still undelivered this long after it was due fails for good, in ms. @defaultValue 86400000 (24 h) */
  NOTIFY_GIVE_UP_AFTER_MS: z.coerce.number().int().min(1).default(86_400_000),
  /** How often the worker looks for expiry reminders that are due, in ms; 0 disables. @defaultValue 60000 */
  NOTIFY_REMINDER_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * A reminder that became due this long ago and was never written (worker down) is still sent, in ms.
   * @defaultValue 21600000 (6 h)
   */
  NOTIFY_REMINDER_LOOKBACK_MS: z.coerce.number().int().min(1).default(6 * 3600_000),
  /** One-time code lifetime, in seconds. @defaultValue 300 */
  OTP_TTL_SECONDS: z.coerce.number().int().min(30).default(300),
  /** Wrong guesses allowed per code. @defaultValue 5 */
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Codes one phone may request per OTP_RATE_WINDOW_SECONDS. @defaultValue 3 */
  OTP_PHONE_MAX_PER_WINDOW: z.coerce.number().int().min(1).default(3),
  /** Codes one client address may request per OTP_RATE_WINDOW_SECONDS. @defaultValue 10 */
  OTP_IP_MAX_PER_WINDOW: z.coerce.number().int().min(1).default(10),
  /** @defaultValue 900 (15 min) */
  OTP_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
})

/** Parsed notification settings. */
export type NotificationsConfig = Readonly<z.infer<typeof NotificationsConfigSchema>>

/** Every setting at its default (for processes and tests that set only a few). */
export const NOTIFICATIONS_DEFAULTS: NotificationsConfig = Object.freeze(NotificationsConfigSchema.parse({}))
