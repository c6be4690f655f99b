/**
 * What a command runs with: parsed config, a database handle opened on first use, and output functions
 * (tests capture them).
 */
import type { Kysely } from 'kysely'
import { createDb, createSecretBox, type Database, type SecretBox } from '@mnetifi/db'
import type { CliConfig } from './config.js'

export interface CommandContext {
  readonly config: Readonly<CliConfig>
  /** The environment the config was parsed from (services parse their own settings from it). */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly out: (line: string) => void
  readonly err: (line: string) => void
  db(): Kysely<Database>
  secretBox(): SecretBox
  close(): Promise<void>
}

export function createContext(
  config: Readonly<CliConfig>, env: Readonly<Record<string, string | undefined>>, out: (line: string) => void, err: (line: string) => void,
): CommandContext {
  let db: Kysely<Database> | undefined
  let box: SecretBox | undefined
  return {
    config,
    env,
    out,
    err,
    db: () => (db ??= createDb({ connectionString: config.DATABASE_URL, max: 4, applicationName: 'mnetifi-cli' })),
    secretBox: () => (box ??= createSecretBox(config.MNETIFI_SECRET_KEY)),
    async close() {
      await db?.destroy()
    },
  }
}

/** A command: gets the arguments after its name. Returns the exit code. */
export type Command = (argv: string[], ctx: CommandContext) => Promise<number>
