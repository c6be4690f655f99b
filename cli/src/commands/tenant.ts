import { createTenant, findTenantById, findTenantBySubdomain, listTenantsAcrossPlatform, type TenantRow } from '@mnetifi/db'
import { parse, printTable, required, UsageError } from '../args.js'
import type { Command, CommandContext } from '../context.js'

const USAGE = `mnetifi tenant create --name NAME --subdomain SUB [--timezone Africa/Nairobi]
mnetifi tenant list
mnetifi tenant show <id|subdomain>`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Finds a tenant by id or subdomain, or throws a UsageError (used by every command that takes --tenant). */
export async function resolveTenant(ctx: CommandContext, ref: string): Promise<TenantRow> {
  const tenant = UUID.test(ref) ? await findTenantById(ctx.db(), ref) : await findTenantBySubdomain(ctx.db(), ref)
  if (!tenant) throw new UsageError(`no tenant "${ref}"`)
  return tenant
}

function summary(t: TenantRow) {
  return { id: t.id, name: t.name, subdomain: t.subdomain, billing: t.saas_billing_status, mpesa: t.mpesa_environment, created: t.created_at }
}

export const tenant: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { name: { type: 'string' }, subdomain: { type: 'string' }, timezone: { type: 'string' } }, USAGE)
  const [action, ref] = positionals
  switch (action) {
    case 'create': {
      const row = await createTenant(ctx.db(), {
        name: required(values, 'name', USAGE), subdomain: required(values, 'subdomain', USAGE).toLowerCase(),
        ...(values.timezone ? { timezone: values.timezone } : {}),
      })
      printTable([summary(row)], ctx.out)
      return 0
    }
    case 'list':
      printTable((await listTenantsAcrossPlatform(ctx.db())).map(summary), ctx.out)
      return 0
    case 'show': {
      if (!ref) throw new UsageError('tenant show needs an id or subdomain', USAGE)
      const t = await resolveTenant(ctx, ref)
      const { mpesa_credentials, callback_token, ...visible } = t
      ctx.out(JSON.stringify({ ...visible, mpesa_credentials: mpesa_credentials ? '(encrypted, set)' : null, callback_token: '(hidden)' }, null, 2))
      return 0
    }
    default:
      throw new UsageError(action ? `unknown tenant action "${action}"` : 'tenant needs an action', USAGE)
  }
}
