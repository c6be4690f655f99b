/**
 * The API process configuration: parsed once from the environment by the CLI, frozen, and passed down.
 * Nothing else in api/ reads process.env.
 */
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { AccountingRetentionConfigSchema, BaseConfigSchema, parseConfig } from '@mnetifi/db'
import { PaymentsConfigSchema } from './payments/config.js'
import { RouterConfigSchema } from './routeros/config.js'
import { NotificationsConfigSchema } from './notifications/config.js'
import { WorkerConfigSchema } from './jobs/config.js'

const booleanFromEnv = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

/** Every variable the API reads, with its default. */
export const ConfigSchema = BaseConfigSchema.extend({
  /** Interface to listen on. @defaultValue '0.0.0.0' */
  API_HOST: z.string().min(1).default('0.0.0.0'),
  /** TCP port; 0 picks a free one (tests). @defaultValue 3000 */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where admins and the portal reach us; decides whether cookies are `Secure` (https). */
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Signs the session cookie (at least 32 characters, e.g. `openssl rand -base64 48`). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 48)'),
  /** Absolute session lifetime in seconds, however active the admin is. @defaultValue 28800 (8 h) */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(8 * 3600),
  /**
   * A session unused for this many seconds ends (sliding expiry: each request pushes it on, at most one
   * write a minute). @defaultValue 1800 (30 min)
   */
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(120).default(30 * 60),
  /** Force the cookie's Secure flag on or off; by default it follows PUBLIC_BASE_URL's scheme. */
  SESSION_COOKIE_SECURE: booleanFromEnv.optional(),
  /** Login attempts allowed per client IP and e-mail within LOGIN_RATE_LIMIT_WINDOW_SECONDS. @defaultValue 5 */
  LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(5),
  /** @defaultValue 900 (15 min) */
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * Login attempts allowed per client IP, whatever the e-mail, within LOGIN_RATE_LIMIT_WINDOW_SECONDS: stops one
   * address spraying many accounts. An office behind one NAT shares it, hence the headroom. @defaultValue 30
   */
  LOGIN_IP_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(30),
  /**
   * Portal voucher redemptions per client IP per minute. Customers behind one hotspot often share a public
   * address, so this is generous; codes are 54-bit random, the limit only makes guessing slower still. @defaultValue 20
   */
  PORTAL_VOUCHER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Failed redemptions (unknown, used, expired or malformed code) per client IP before it is refused. @defaultValue 20 */
  PORTAL_VOUCHER_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  /** How long failed redemptions count against an address, in seconds. @defaultValue 900 (15 min) */
  PORTAL_VOUCHER_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Trust X-Forwarded-For from a reverse proxy (for client IPs in rate limits and audit). @defaultValue false */
  API_TRUST_PROXY: booleanFromEnv.default(false),
  /** Prefix of every Redis key the API writes (rate limits, failure counters). @defaultValue 'mnetifi:' */
  REDIS_KEY_PREFIX: z.string().default('mnetifi:'),
  /** CoA/Disconnect retransmission interval in milliseconds. @defaultValue 1000 */
  COA_RETRY_MS: z.coerce.number().int().min(10).default(1000),
  /** CoA/Disconnect attempts before giving up. @defaultValue 3 */
  COA_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  /** The captive portal's build output, served at /portal/<subdomain>/. @defaultValue this checkout's portal/dist */
  WEB_PORTAL_DIR: z.string().min(1).default(fileURLToPath(new URL('../../portal/dist', import.meta.url))),
  /** The admin dashboard's build output, served at /admin/. @defaultValue this checkout's admin/dist */
  WEB_ADMIN_DIR: z.string().min(1).default(fileURLToPath(new URL('../../admin/dist', import.meta.url))),
  /** How often the API folds accounting deltas into the report roll-ups, in seconds; 0 disables. @defaultValue 60 */
  USAGE_FOLD_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
})
  // The API queues payment jobs and talks to Daraja, so it reads the same payments settings as the worker.
  .extend(PaymentsConfigSchema.shape)
  // Tunnels, provisioning and router API sessions (api/src/routeros).
  .extend(RouterConfigSchema.shape)
  // The worker sends notifications and the API takes their webhooks and one-time codes: both read these.
  .extend(NotificationsConfigSchema.shape)
  // `mnetifi worker` parses this schema too: its health listener.
  .extend(WorkerConfigSchema.shape)
  // The API moves old closed accounting to the archive and applies retention (db/src/freeradius/radacct-archive).
  .extend(AccountingRetentionConfigSchema.shape)

/** The parsed, frozen API configuration. */
export type Config = Readonly<z.infer<typeof ConfigSchema>>

/** Parses `env` (the CLI passes process.env) or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  return parseConfig(ConfigSchema, env)
}

/** Whether the session cookie must be `Secure`. */
export function isCookieSecure(config: Config): boolean {
  return config.SESSION_COOKIE_SECURE ?? config.PUBLIC_BASE_URL.startsWith('https:')
}
