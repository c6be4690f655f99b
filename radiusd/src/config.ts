/**
 * radiusd configuration: one zod schema over the environment, parsed once by the CLI entry point
 * (`loadConfig()`), frozen and passed down (style §6). Tests build a {@link Config} literal.
 */
import { z } from 'zod'
import { BaseConfigSchema, parseConfig } from '@mnetifi/db'

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback)
const positive = (fallback: number) => z.coerce.number().int().min(0).default(fallback)

export const ConfigSchema = BaseConfigSchema.extend({
  /** UDP port for Access-Request (RFC 2865). */
  RADIUS_AUTH_PORT: port(1812),
  /** UDP port for Accounting-Request (RFC 2866). */
  RADIUS_ACCT_PORT: port(1813),
  /** Address both RADIUS sockets bind to. */
  RADIUS_BIND_ADDRESS: z.string().default('0.0.0.0'),
  /** Prometheus `/metrics` port and address. */
  RADIUS_METRICS_PORT: port(9812),
  RADIUS_METRICS_ADDRESS: z.string().default('127.0.0.1'),
  /**
   * Postgres connections: two for the off-path work, the rest are hot-path batch lanes. Few lanes = big batches
   * (one round trip and one commit for many packets). 4 was picked on 2 cores from a radclient-driven run
   * (commit 120de35) that bench/results.md no longer keeps, since radclient itself was the bottleneck there; every
   * run in results.md uses 4, none compares sizes. Measure again before changing it.
   */
  RADIUS_DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(4),
  /** Duplicate-detection window, seconds (RFC 5080: 5–30). */
  RADIUS_DEDUPE_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  /** Delay before sending Access-Reject, ms (FreeRADIUS reject_delay = 1 s). */
  RADIUS_REJECT_DELAY_MS: positive(1000),
  /** Interim interval assumed for stale-session detection when neither plan nor hotspot sets one, seconds. */
  RADIUS_DEFAULT_INTERIM_SECONDS: z.coerce.number().int().min(60).default(300),
  /** Grace on top of 2 × interim interval before an open session counts as stale, seconds. */
  RADIUS_STALE_GRACE_SECONDS: positive(60),
  /** How long a login's session claim waits for its Accounting-Start, seconds. */
  RADIUS_CLAIM_TTL_SECONDS: z.coerce.number().int().min(1).default(30),
  /** `auto`: a NAS that sent a valid Message-Authenticator once must always send it; `flag`: only hotspots.require_message_authenticator. */
  RADIUS_MESSAGE_AUTHENTICATOR: z.enum(['auto', 'flag']).default('auto'),
  /** Expiry enforcement period, ms (sessions end within this + CoA latency of expiry). */
  RADIUS_ENFORCE_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
})
export type Config = z.infer<typeof ConfigSchema>

/** Parses `env` (the CLI passes process.env); throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  return parseConfig(ConfigSchema, env)
}
