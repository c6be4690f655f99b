/**
 * `mnetifi admin`: dashboard logins from the command line — a new password for someone locked out (the demo
 * owner's is shown only once, when the demo is created), and the first platform operator of an install.
 */
import { randomBytes } from 'node:crypto'
import { createAdminUser, deleteOtherAdminSessionsAcrossTenants, findAdminUserByEmailAcrossTenants, hashPassword } from '@mnetifi/db'
import { parse, required, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = `mnetifi admin reset-password <email>          a new random password, printed once; signs them out everywhere
mnetifi admin create-operator --email E [--name N]  a platform operator (sees every ISP), password printed once`

export const admin: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { email: { type: 'string' }, name: { type: 'string' } }, USAGE)
  const [action, ref] = positionals
  const password = randomBytes(12).toString('base64url')
  switch (action) {
    case 'reset-password': {
      if (!ref) throw new UsageError('reset-password needs an e-mail', USAGE)
      const row = await findAdminUserByEmailAcrossTenants(ctx.db(), ref)
      if (!row) throw new UsageError(`no admin with e-mail ${ref}`)
      await ctx.db().updateTable('admin_users').set({ password_hash: await hashPassword(password) }).where('id', '=', row.id).execute()
      await deleteOtherAdminSessionsAcrossTenants(ctx.db(), row.id, null)
      ctx.out(`new password for ${row.email} (shown once): ${password}`)
      return 0
    }
    case 'create-operator': {
      const email = required(values, 'email', USAGE).toLowerCase()
      if (await findAdminUserByEmailAcrossTenants(ctx.db(), email)) throw new UsageError(`${email} already has a login`)
      await createAdminUser(ctx.db(), { tenant_id: null, email, full_name: values.name ?? '', password_hash: await hashPassword(password), role: 'PLATFORM_OPERATOR' })
      ctx.out(`platform operator ${email} (password shown once): ${password}`)
      return 0
    }
    default:
      throw new UsageError(action ? `unknown action "${action}"` : 'missing action', USAGE)
  }
}
