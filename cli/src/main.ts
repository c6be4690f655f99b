/**
 * `mnetifi <command>`: dispatch, help, and the one place errors become exit codes
 * (2 = usage error, 1 = failure, 0 = success).
 */
import { ConfigError, DatabaseUnreachableError, SecretBoxError } from '@mnetifi/db'
import { isAppError } from '@mnetifi/db/domain'
import { HelpRequested, UsageError } from './args.js'
import { loadCliConfig } from './config.js'
import { createContext, type Command } from './context.js'
import { migrate } from './commands/migrate.js'
import { tenant } from './commands/tenant.js'
import { hotspot } from './commands/hotspot.js'
import { plan } from './commands/plan.js'
import { user } from './commands/user.js'
import { admin } from './commands/admin.js'
import { backup, restore } from './commands/backup.js'
import { accounting } from './commands/accounting.js'
import { seedDemo } from './commands/seed-demo.js'
import { secrets } from './commands/secrets.js'
import { vpn } from './commands/vpn.js'
import { SERVICE_COMMANDS } from './commands/services.js'
import { ServiceUnreachableError, start } from './commands/start.js'

const COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = Object.freeze({
  migrate: { run: migrate, help: 'migrate up | down [--steps N|--all] | status' },
  'seed-demo': { run: seedDemo, help: 'create the demo ISP (hotspot for 127.0.0.1, plans, users, admin login)' },
  tenant: { run: tenant, help: 'tenant create | list | show' },
  hotspot: { run: hotspot, help: 'hotspot create | list | show (--tenant)' },
  plan: { run: plan, help: 'plan create | list | show (--tenant)' },
  user: { run: user, help: 'user create | list | show (--tenant)' },
  backup: { run: backup, help: 'backup [--out FILE]: the whole database (pg_dump custom format); secrets stay sealed' },
  restore: { run: restore, help: 'restore FILE --yes [--database-url URL]: put a backup back (one transaction)' },
  accounting: { run: accounting, help: 'accounting status | archive: the hot radacct, its month-partitioned archive, retention' },
  admin: { run: admin, help: 'admin reset-password <email> | create-operator --email E: dashboard logins' },
  secrets: { run: secrets, help: 'secrets rotate | generate-key: re-encrypt secrets under the current key' },
  vpn: { run: vpn, help: 'vpn server-config [--out FILE]: the WireGuard server config with every router as a peer' },
  ...SERVICE_COMMANDS,
  start: { run: start, help: 'create + migrate the database, then run every process, restarting any that dies' },
})

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length))
  return ['usage: mnetifi <command> [options]', '', ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.help}`)].join('\n')
}

/** Runs the CLI; returns the process exit code. `out`/`err` default to the console (tests capture them). */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: (line: string) => void = (l) => console.log(l),
  err: (line: string) => void = (l) => console.error(l),
): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    ;(name ? out : err)(usage())
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    err(`mnetifi: unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  let ctx
  try {
    ctx = createContext(loadCliConfig(env, err), env, out, err)
    return await command.run(rest, ctx)
  } catch (error) {
    if (error instanceof HelpRequested) {
      out(`usage:\n${error.usage}`)
      return 0
    }
    if (error instanceof UsageError) {
      err(`mnetifi ${name}: ${error.message}${error.usage ? `\n\nusage:\n${error.usage}` : ''}`)
      return 2
    }
    if (error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof SecretBoxError || error instanceof ServiceUnreachableError || isAppError(error)) {
      err(`mnetifi ${name}: ${error.message}`)
      return 1
    }
    const pgError = error as { code?: string; detail?: string; message?: string }
    if (typeof pgError.code === 'string' && /^[0-9A-Z]{5}$/.test(pgError.code)) {
      err(`mnetifi ${name}: database refused: ${pgError.message}${pgError.detail ? ` (${pgError.detail})` : ''}`)
      return 1
    }
    if ((error as { code?: string }).code === 'ECONNREFUSED') {
      err(`mnetifi ${name}: ${(error as Error).message} — is Postgres running? pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`)
      return 1
    }
    err(`mnetifi ${name}: ${(error as Error).stack ?? String(error)}`)
    return 1
  } finally {
    await ctx?.close()
  }
}
