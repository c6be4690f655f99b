import { ensureDatabase, redactUrl } from '@mnetifi/db'
import { migrateDown, migrateToLatest, migrationStatus } from '@mnetifi/migrations'
import { convert, parse, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = `mnetifi migrate up                 apply pending migrations (creates the database if missing)
mnetifi migrate down [--steps N|--all]  roll back the last N migrations (default 1)
mnetifi migrate status             list migrations and when each was applied`

export const migrate: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { steps: { type: 'string' }, all: { type: 'boolean' } }, USAGE)
  const [action, ...rest] = positionals
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`, USAGE)
  switch (action) {
    case 'up': {
      if (await ensureDatabase(ctx.config.DATABASE_URL)) ctx.out(`created database ${redactUrl(ctx.config.DATABASE_URL)}`)
      const applied = await migrateToLatest(ctx.db())
      ctx.out(applied.length ? applied.map((n) => `applied ${n}`).join('\n') : 'database is up to date')
      return 0
    }
    case 'down': {
      const steps = values.all ? Infinity : convert(values, 'steps', (s) => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined), 'a positive whole number', USAGE) ?? 1
      const undone = await migrateDown(ctx.db(), steps)
      ctx.out(undone.length ? undone.map((n) => `rolled back ${n}`).join('\n') : 'nothing to roll back')
      return 0
    }
    case 'status': {
      for (const m of await migrationStatus(ctx.db())) ctx.out(`${m.executedAt ? m.executedAt.toISOString() : 'pending                 '}  ${m.name}`)
      return 0
    }
    default:
      throw new UsageError(action ? `unknown migrate action "${action}"` : 'migrate needs an action', USAGE)
  }
}
