/**
 * `mnetifi accounting status | archive`: what the hot radacct and the month-partitioned archive hold, and one
 * archiving pass on demand — the same pass the API runs every RADACCT_ARCHIVE_INTERVAL_SECONDS, so an operator can
 * convert a big existing radacct right after upgrading instead of waiting for the API's hourly passes.
 */
import { AccountingRetentionConfigSchema, accountingStorageAcrossPlatform, archiveAccountingAcrossPlatform, parseConfig } from '@mnetifi/db'
import { parse, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = `mnetifi accounting status    rows in radacct (hot) and radacct_archive, and the archive's months
mnetifi accounting archive   move sessions that stopped more than RADACCT_HOT_DAYS ago to the archive, until none
                             is left, then drop months older than RADACCT_RETENTION_MONTHS (0 keeps all)`

export const accounting: Command = async (argv, ctx) => {
  const { positionals } = parse(argv, {}, USAGE)
  const [action, ...rest] = positionals
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`, USAGE)
  const db = ctx.db()
  if (action === 'archive') {
    const settings = parseConfig(AccountingRetentionConfigSchema, ctx.env)
    let moved = 0
    let dropped: string[] = []
    // Each pass is bounded in time; a big conversion takes several.
    for (;;) {
      const pass = await archiveAccountingAcrossPlatform(db, { hotDays: settings.RADACCT_HOT_DAYS, retentionMonths: settings.RADACCT_RETENTION_MONTHS })
      moved += pass.moved
      dropped = [...dropped, ...pass.dropped]
      if (pass.done) break
      ctx.out(`moved ${moved} so far…`)
    }
    ctx.out(`moved ${moved} session(s) that stopped more than ${settings.RADACCT_HOT_DAYS} days ago to radacct_archive`)
    ctx.out(dropped.length ? `retention dropped ${dropped.join(', ')}` : 'retention dropped nothing')
  } else if (action !== 'status') {
    throw new UsageError(action ? `unknown accounting action "${action}"` : 'accounting needs an action', USAGE)
  }
  const storage = await accountingStorageAcrossPlatform(db)
  ctx.out(`radacct: ${storage.hot} row(s); radacct_archive: ${storage.archived} row(s) in ${storage.months.length} month(s)${storage.months.length ? ` (${storage.months[0]} … ${storage.months.at(-1)})` : ''}`)
  return 0
}
