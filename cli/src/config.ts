/**
 * The CLI's configuration: the only place that reads process.env. Services get their own parsed, frozen config.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { BaseConfigSchema, generateSecretKey, parseConfig } from '@mnetifi/db'

export const CliConfigSchema = BaseConfigSchema.extend({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Where a development secret key is kept when MNETIFI_SECRET_KEY is not set (never in production). */
  MNETIFI_DEV_KEY_FILE: z.string().default('.mnetifi/dev-secret-key'),
  /**
   * After SIGTERM/SIGINT, how long a service (radiusd, api, worker) may take to finish the work in flight (RADIUS
   * requests, HTTP requests, running jobs) and close its connections before it exits 1 anyway. Under Docker's
   * 10 s stop grace period and `mnetifi start`'s; a job cut off is retried once its lock expires. @defaultValue 8000
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
})
export type CliConfig = z.infer<typeof CliConfigSchema>

/**
 * Parses the environment. Outside production a missing MNETIFI_SECRET_KEY is generated once into a local,
 * git-ignored file so that `npm install && npm start` works on a fresh machine; production must set it.
 */
export function loadCliConfig(env: Record<string, string | undefined> = process.env, log: (line: string) => void = console.error): Readonly<CliConfig> {
  const effective = { ...env }
  if (!effective.MNETIFI_SECRET_KEY && effective.NODE_ENV !== 'production') {
    const file = resolve(effective.MNETIFI_DEV_KEY_FILE ?? '.mnetifi/dev-secret-key')
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, `${generateSecretKey('dev1')}\n`, { mode: 0o600 })
      log(`MNETIFI_SECRET_KEY is not set: generated a development key in ${file} (set MNETIFI_SECRET_KEY in production)`)
    }
    effective.MNETIFI_SECRET_KEY = readFileSync(file, 'utf8').trim()
  }
  return parseConfig(CliConfigSchema, effective)
}
