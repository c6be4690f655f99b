/**
 * `mnetifi secrets rotate`: after putting a new key first in MNETIFI_SECRET_KEY (old keys after it), re-seal
 * every encrypted column under the new key so the old one can be retired.
 */
import { ENCRYPTED_COLUMNS, generateSecretKey, secretContext } from '@mnetifi/db'
import { parse, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = `mnetifi secrets generate-key [--kid k2]   print a new key entry for MNETIFI_SECRET_KEY
mnetifi secrets rotate                    re-encrypt all secrets with the first (current) key`

export const secrets: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { kid: { type: 'string' } }, USAGE)
  const [action] = positionals
  if (action === 'generate-key') {
    ctx.out(generateSecretKey(values.kid ?? `k${Date.now().toString(36)}`))
    return 0
  }
  if (action !== 'rotate') throw new UsageError(action ? `unknown secrets action "${action}"` : 'secrets needs an action', USAGE)
  const box = ctx.secretBox()
  let rotated = 0
  await ctx.db().transaction().execute(async (trx) => {
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      const rows = await (trx as any).selectFrom(table).select(['id', column]).where(column, 'is not', null).forUpdate().execute() as { id: string; [k: string]: string }[]
      for (const row of rows) {
        const sealed = row[column]!
        const next = box.rotate(sealed, secretContext(table, column as never, row.id))
        if (next !== sealed) {
          await (trx as any).updateTable(table).set({ [column]: next }).where('id', '=', row.id).execute()
          rotated++
        }
      }
    }
  })
  ctx.out(`re-encrypted ${rotated} secret(s) under key "${box.currentKeyId}"`)
  return 0
}
