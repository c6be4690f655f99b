/**
 * Payment settings. The API's ConfigSchema extends these (`ConfigSchema.extend(PaymentsConfigSchema.shape)`),
 * and the worker takes the same values, so tests build a literal of {@link PaymentsConfig}.
 */
import { z } from 'zod'

/** The Sandbox and production Daraja hosts (digest §1.1). */
export const DARAJA_BASE_URLS = Object.freeze({
  sandbox: 'https://sandbox.safaricom.co.ke',
  production: 'https://api.safaricom.co.ke',
} as const)

/** Every payments variable, with its default. */
export const PaymentsConfigSchema = z.object({
  /** Where the Daraja simulator listens (tenants whose mpesa_environment is 'simulator'). @defaultValue http://127.0.0.1:3090 */
  DARAJA_SIM_URL: z.string().url().default('http://127.0.0.1:3090'),
  /**
   * Public base URL Daraja calls back (`<base>/hooks/daraja/stk/<tenant token>`); must not contain "mpesa",
   * "safaricom", "query"… Defaults to PUBLIC_BASE_URL when the API schema merges both.
   */
  PAYMENTS_CALLBACK_BASE_URL: z.string().url().optional(),
  /**
   * Comma-separated source addresses Safaricom calls back from (digest §1.10), compared with Fastify's
   * `request.ip` (so behind a proxy set API_TRUST_PROXY, which makes it the X-Forwarded-For client address).
   * STK callbacks from elsewhere are not refused (the list is third-party knowledge and proxies change
   * addresses) but are untrusted: recorded and logged, and settle only what an STK query confirms — never a
   * failure, a late receipt or a CheckoutRequestID adoption on their word alone. C2B and Transaction Status
   * hooks only log. @defaultValue '' (no check: every callback is trusted)
   */
  PAYMENTS_CALLBACK_IP_ALLOWLIST: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Delay before the first STK query after a push, in ms. @defaultValue 20000 */
  PAYMENTS_POLL_DELAY_MS: z.coerce.number().int().min(0).default(20_000),
  /** Delay between STK queries while Daraja says "being processed", in ms (jittered ±20 %). @defaultValue 12000 */
  PAYMENTS_POLL_INTERVAL_MS: z.coerce.number().int().min(1).default(12_000),
  /** Stop polling this long after the push, in ms (the recovery flow takes over). @defaultValue 300000 */
  PAYMENTS_POLL_BUDGET_MS: z.coerce.number().int().min(1).default(300_000),
  /**
   * How long a callback whose CheckoutRequestID no transaction holds is kept waiting for its push reply
   * before the sweep turns a success into a MANUAL_REVIEW unknown payment, in ms. Must exceed
   * DARAJA_TIMEOUT_MS. @defaultValue 600000
   */
  PAYMENTS_EARLY_CALLBACK_TTL_MS: z.coerce.number().int().min(1).default(600_000),
  /** Per-attempt timeout of a Daraja HTTP call, in ms. @defaultValue 10000 */
  DARAJA_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** BullMQ key prefix. @defaultValue 'mnetifi-jobs' */
  JOBS_PREFIX: z.string().min(1).default('mnetifi-jobs'),
  /**
   * How long a worker holds a job before others may take it over, in ms; a killed worker's job is retried by
   * another after about this long. @defaultValue 30000
   */
  JOBS_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  /** Jobs one worker process runs at once. @defaultValue 20 */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).default(20),
})

/** Parsed payments settings plus the shared ones they depend on. */
export type PaymentsConfig = Readonly<z.infer<typeof PaymentsConfigSchema>> & {
  readonly REDIS_URL: string
  readonly PUBLIC_BASE_URL: string
}

/** The base URL Daraja posts to. */
export function callbackBaseUrl(config: PaymentsConfig): string {
  return (config.PAYMENTS_CALLBACK_BASE_URL ?? config.PUBLIC_BASE_URL).replace(/\/+$/, '')
}
