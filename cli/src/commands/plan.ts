import {
  ACCOUNT_TYPES, formatDuration, formatMoney, fromMajor, parseDuration, parseRate, renderRateLimit, validateRateLimit,
  type AccountType,
} from '@mnetifi/db/domain'
import { createPlan, findPlanById, listPlans, type PlanRow } from '@mnetifi/db'
import { convert, parse, printTable, required, UsageError } from '../args.js'
import type { Command } from '../context.js'
import { resolveTenant } from './tenant.js'

const USAGE = `mnetifi plan create --tenant T --name NAME --price KES --duration 1h --up 2M --down 5M
    [--burst-up 4M --burst-down 10M --threshold-up 1500k --threshold-down 4M --burst-time 8]
    [--priority 1-8] [--quota-mb N] [--types HOTSPOT,PPPOE,STATIC] [--interim 5m] [--idle 10m]
mnetifi plan list --tenant T
mnetifi plan show --tenant T <id>`

function summary(p: PlanRow) {
  return {
    id: p.id, name: p.name, price: formatMoney(p.price, p.currency), duration: formatDuration(p.duration_seconds),
    rate_limit: renderRateLimit(p), types: p.account_types.join(','),
  }
}

const rate = (values: Record<string, unknown>, name: string) => convert(values, name, parseRate, 'a rate like 5M or 512k', USAGE) ?? null
const seconds = (values: Record<string, unknown>, name: string) => convert(values, name, parseDuration, 'a duration like 30m or 1h', USAGE) ?? null

export const plan: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, {
    tenant: { type: 'string' }, name: { type: 'string' }, price: { type: 'string' }, duration: { type: 'string' },
    up: { type: 'string' }, down: { type: 'string' }, 'burst-up': { type: 'string' }, 'burst-down': { type: 'string' },
    'threshold-up': { type: 'string' }, 'threshold-down': { type: 'string' }, 'burst-time': { type: 'string' },
    priority: { type: 'string' }, 'quota-mb': { type: 'string' }, types: { type: 'string' }, interim: { type: 'string' },
    idle: { type: 'string' },
  }, USAGE)
  const [action, id] = positionals
  if (!['create', 'list', 'show'].includes(action ?? '')) {
    throw new UsageError(action ? `unknown plan action "${action}"` : 'plan needs an action', USAGE)
  }
  const tenant = await resolveTenant(ctx, required(values, 'tenant', USAGE))
  if (action === 'create') {
    const price = convert(values, 'price', (s) => (/^\d+(\.\d{1,2})?$/.test(s) ? fromMajor(Number(s), tenant.currency) : undefined), 'an amount like 50 or 49.50', USAGE)
    const types = (values.types ?? 'HOTSPOT').split(',').map((s) => s.trim().toUpperCase())
    const bad = types.find((t) => !(ACCOUNT_TYPES as readonly string[]).includes(t))
    if (bad) throw new UsageError(`--types: "${bad}" is not one of ${ACCOUNT_TYPES.join(', ')}`, USAGE)
    const speeds = {
      upload_limit: rate(values, 'up') ?? 0, download_limit: rate(values, 'down') ?? 0,
      burst_rate_up: rate(values, 'burst-up'), burst_rate_down: rate(values, 'burst-down'),
      burst_threshold_up: rate(values, 'threshold-up'), burst_threshold_down: rate(values, 'threshold-down'),
      burst_time: seconds(values, 'burst-time'),
      priority: convert(values, 'priority', (s) => (/^[1-8]$/.test(s) ? Number(s) : undefined), 'a priority 1-8', USAGE) ?? null,
    }
    const problems = validateRateLimit(speeds)
    if (Object.keys(problems).length) {
      throw new UsageError(Object.entries(problems).map(([f, m]) => `${f}: ${m}`).join('; '), USAGE)
    }
    const quotaMb = convert(values, 'quota-mb', (s) => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined), 'a whole number of megabytes', USAGE)
    const row = await createPlan(ctx.db(), {
      tenant_id: tenant.id, name: required(values, 'name', USAGE), price: price ?? (() => { throw new UsageError('--price is required', USAGE) })(),
      currency: tenant.currency, duration_seconds: seconds(values, 'duration') ?? (() => { throw new UsageError('--duration is required', USAGE) })(),
      ...speeds, data_quota: quotaMb ? quotaMb * 1_000_000 : null, account_types: types as AccountType[],
      acct_interim_interval: seconds(values, 'interim'), idle_timeout: seconds(values, 'idle'),
    })
    printTable([summary(row)], ctx.out)
    return 0
  }
  if (action === 'list') {
    printTable((await listPlans(ctx.db(), tenant.id)).map(summary), ctx.out)
    return 0
  }
  if (!id) throw new UsageError('plan show needs an id', USAGE)
  const row = await findPlanById(ctx.db(), tenant.id, id)
  if (!row) throw new UsageError(`no plan ${id} in tenant ${tenant.subdomain}`)
  ctx.out(JSON.stringify({ ...row, rate_limit: renderRateLimit(row) }, null, 2))
  return 0
}
