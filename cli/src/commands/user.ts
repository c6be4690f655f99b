import { randomBytes } from 'node:crypto'
import { ACCOUNT_TYPES, extendExpiry, tryNormalizePhoneKE, type AccountType } from '@mnetifi/db/domain'
import { createWifiUser, findPlanById, findWifiUserById, findWifiUserByUsername, listWifiUsers, type WifiUserRow } from '@mnetifi/db'
import { convert, parse, printTable, required, UsageError } from '../args.js'
import type { Command } from '../context.js'
import { resolveTenant } from './tenant.js'

const USAGE = `mnetifi user create --tenant T --type HOTSPOT|PPPOE|STATIC [--username U] [--password P] [--phone 07…]
    [--name "Full Name"] [--plan PLAN_ID] [--framed-pool POOL]
mnetifi user list --tenant T [--search TEXT]
mnetifi user show --tenant T <id|username>`

/** A password people can read out over the phone: 8 characters without look-alikes. */
export function generateUserPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')
}

function summary(u: WifiUserRow) {
  return { id: u.id, username: u.username, type: u.account_type, phone: u.phone_number, status: u.status, expiry: u.expiry_time }
}

export const user: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, {
    tenant: { type: 'string' }, type: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' },
    phone: { type: 'string' }, name: { type: 'string' }, plan: { type: 'string' }, 'framed-pool': { type: 'string' },
    search: { type: 'string' },
  }, USAGE)
  const [action, ref] = positionals
  if (!['create', 'list', 'show'].includes(action ?? '')) {
    throw new UsageError(action ? `unknown user action "${action}"` : 'user needs an action', USAGE)
  }
  const tenant = await resolveTenant(ctx, required(values, 'tenant', USAGE))
  if (action === 'create') {
    const type = required(values, 'type', USAGE).toUpperCase()
    if (!(ACCOUNT_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${ACCOUNT_TYPES.join(', ')}`, USAGE)
    const phone = convert(values, 'phone', tryNormalizePhoneKE, 'a Kenyan mobile number', USAGE) ?? null
    const username = values.username ?? (phone ? `0${phone.slice(3)}` : undefined)
    if (!username) throw new UsageError('--username or --phone is required', USAGE)
    let planFields = {}
    if (values.plan) {
      const plan = await findPlanById(ctx.db(), tenant.id, values.plan)
      if (!plan) throw new UsageError(`no plan ${values.plan} in tenant ${tenant.subdomain}`, USAGE)
      planFields = { current_plan_id: plan.id, expiry_time: extendExpiry(null, new Date(), plan.duration_seconds) }
    }
    const password = values.password ?? generateUserPassword()
    const row = await createWifiUser(ctx.db(), {
      tenant_id: tenant.id, account_type: type as AccountType, username, password, phone_number: phone,
      full_name: values.name ?? '', framed_pool: values['framed-pool'] ?? null, ...planFields,
    })
    printTable([summary(row)], ctx.out)
    if (!values.password) ctx.out(`password: ${password}`)
    return 0
  }
  if (action === 'list') {
    printTable((await listWifiUsers(ctx.db(), tenant.id, values.search ? { search: values.search } : {})).map(summary), ctx.out)
    return 0
  }
  if (!ref) throw new UsageError('user show needs an id or username', USAGE)
  const row = /^[0-9a-f-]{36}$/i.test(ref) ? await findWifiUserById(ctx.db(), tenant.id, ref) : await findWifiUserByUsername(ctx.db(), tenant.id, ref)
  if (!row) throw new UsageError(`no user ${ref} in tenant ${tenant.subdomain}`)
  const { password, ...visible } = row
  ctx.out(JSON.stringify({ ...visible, password: '(hidden)' }, null, 2))
  return 0
}
