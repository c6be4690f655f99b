/**
 * Shared configuration pieces. Each process composes its own schema from these (radiusd/src/config.ts,
 * api/src/config.ts); only the CLI entry point calls a loadConfig with process.env.
 */
import { z } from 'zod'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/mnetifi'
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

/** The variables every process needs. */
export const BaseConfigSchema = z.object({
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default(DEFAULT_REDIS_URL),
  /**
   * Keys that encrypt secrets at rest: `kid:base64key[,kid:base64key…]`, the first one encrypts, all decrypt.
   * Each key is 32 random bytes (`openssl rand -base64 32`).
   */
  MNETIFI_SECRET_KEY: z.string().min(1, 'is required (e.g. "k1:" + 32 random bytes in base64)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

/** How long accounting stays in the hot radacct and how long the archive keeps it (API and `mnetifi accounting`). */
export const AccountingRetentionConfigSchema = z.object({
  /**
   * Closed sessions stay in radacct this many days after they stopped, then move to the month-partitioned
   * radacct_archive. At least 35: the daily/weekly/monthly session counters read the last 33 days from radacct.
   */
  RADACCT_HOT_DAYS: z.coerce.number().int().min(35).default(35),
  /** Archive months kept before the current one; older months are dropped whole. 0 keeps everything. @defaultValue 0 */
  RADACCT_RETENTION_MONTHS: z.coerce.number().int().min(0).default(0),
  /** How often the API archives and applies retention, in seconds; 0 disables. @defaultValue 3600 */
  RADACCT_ARCHIVE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(3600),
})
export type AccountingRetentionConfig = z.infer<typeof AccountingRetentionConfigSchema>

/** Thrown by parseConfig; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/** Parses `env` with `schema` once and freezes the result, or throws a {@link ConfigError}. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): Readonly<z.infer<S>> {
  const result = schema.safeParse(env)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`))
  }
  return Object.freeze(result.data)
}
