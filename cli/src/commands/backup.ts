/**
 * `mnetifi backup` / `mnetifi restore`: the whole database in PostgreSQL's custom format (pg_dump -Fc), so one
 * file holds every tenant, the FreeRADIUS tables and the job-free state of payments. Secrets stay as they are
 * stored — sealed with MNETIFI_SECRET_KEY, which is never in the database: keep the key apart from the dumps (a
 * stolen dump alone opens no M-Pesa or router credentials), and restore with the same key.
 *
 * Schedule (README): a nightly `mnetifi backup --out /var/backups/mnetifi/$(date +%F).dump` from cron, kept 14
 * days, copied off the machine; `mnetifi restore` into a scratch database monthly to prove the dumps work.
 */
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { parse, UsageError } from '../args.js'
import type { Command, CommandContext } from '../context.js'

const BACKUP_USAGE = 'mnetifi backup [--out FILE]   (default mnetifi-<UTC time>.dump in this directory)'
const RESTORE_USAGE = 'mnetifi restore FILE --yes [--database-url URL]   replaces every MnetiFi table in the target database'

/** Runs a PostgreSQL client tool; its stderr is passed on, the exit code returned. */
function run(ctx: CommandContext, tool: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', (err) => {
      ctx.err(`${tool}: ${err.message} (install the PostgreSQL client tools)`)
      resolve(127)
    })
    child.on('close', (code) => {
      // The URL (with its password) is an argument: never echo the command line, only the tool's own message.
      for (const line of stderr.trim().split('\n').filter(Boolean)) ctx.err(line)
      resolve(code ?? 1)
    })
  })
}

export const backup: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { out: { type: 'string' } }, BACKUP_USAGE)
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, BACKUP_USAGE)
  const file = values.out ?? `mnetifi-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`
  // Custom format: compressed, and pg_restore can reorder, filter and restore it in one transaction.
  const code = await run(ctx, 'pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${ctx.config.DATABASE_URL}`])
  if (code !== 0) {
    ctx.err('backup failed')
    return 1
  }
  ctx.out(`backup written: ${file} (${Math.ceil(statSync(file).size / 1024)} KB); secrets inside stay sealed with MNETIFI_SECRET_KEY`)
  return 0
}

export const restore: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { yes: { type: 'boolean' }, 'database-url': { type: 'string' } }, RESTORE_USAGE)
  const [file, extra] = positionals
  if (!file || extra) throw new UsageError('restore takes one dump file', RESTORE_USAGE)
  if (!values.yes) throw new UsageError('restore replaces the database\'s tables: add --yes to confirm', RESTORE_USAGE)
  const target = values['database-url'] ?? ctx.config.DATABASE_URL
  // --clean --if-exists: drop what the dump will recreate; one transaction: a failed restore leaves the old data.
  const code = await run(ctx, 'pg_restore', [
    '--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${target}`, file,
  ])
  if (code !== 0) {
    ctx.err('restore failed; the target database is unchanged')
    return 1
  }
  ctx.out(`restored ${file}`)
  return 0
}
