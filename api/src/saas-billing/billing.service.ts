/**
 * MnetiFi billing its ISPs: a monthly invoice per tenant (flat fee, or a price per subscriber active in the month
 * before — billed in arrears, since a subscriber count is only known afterwards), blocking a tenant whose invoice
 * stays unpaid beyond its grace days, and unblocking it when it pays (or a platform operator says so).
 * Every step is idempotent: invoices are unique per period, status changes are conditional updates. Callers queue
 * the router side (tenant-enforcement.ts) for the tenants whose status changed.
 */
import type { Kysely } from 'kysely'
import {
  countActiveSubscribers, findTenantById, insertSaasInvoiceOnce, listOverdueSaasInvoices, listTenantsAcrossPlatform,
  listTenantsWithOverdueInvoicesAcrossTenants, markSaasInvoicePaid, updateTenant, type Database, type Executor, type SaasInvoiceRow, type TenantRow,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'

const ymd = (d: Date) => d.toISOString().slice(0, 10)

/**
 * The billing period containing `now`: from the latest `billingDay` (1–28, so it exists in every month) on or
 * before `now`, for one calendar month. UTC calendar dates.
 */
export function billingPeriodAt(now: Date, billingDay: number): { start: string; end: string; previousStart: string } {
  let y = now.getUTCFullYear()
  let m = now.getUTCMonth()
  if (now.getUTCDate() < billingDay) m -= 1
  const start = new Date(Date.UTC(y, m, billingDay))
  y = start.getUTCFullYear()
  m = start.getUTCMonth()
  return { start: ymd(start), end: ymd(new Date(Date.UTC(y, m + 1, billingDay))), previousStart: ymd(new Date(Date.UTC(y, m - 1, billingDay))) }
}

/** Issues the current period's invoice for one tenant (once); a zero amount is issued already paid. */
export async function issueInvoice(db: Executor, tenant: TenantRow, now: Date): Promise<SaasInvoiceRow | undefined> {
  const period = billingPeriodAt(now, tenant.saas_billing_day)
  const perSubscriber = tenant.saas_billing_basis === 'PER_SUBSCRIBER'
  const subscribers = perSubscriber ? await countActiveSubscribers(db, tenant.id, new Date(`${period.previousStart}T00:00:00Z`), new Date(`${period.start}T00:00:00Z`)) : null
  const amount = perSubscriber ? subscribers! * tenant.saas_price_per_subscriber : tenant.saas_monthly_fee
  // Billed on the period's first day; a tenant that joined mid-period owes from the day it joined.
  const dueAt = new Date(Math.max(new Date(`${period.start}T00:00:00Z`).getTime(), tenant.created_at.getTime()))
  return insertSaasInvoiceOnce(db, {
    tenant_id: tenant.id, period_start: period.start, period_end: period.end, basis: tenant.saas_billing_basis, subscriber_count: subscribers,
    amount, currency: tenant.saas_currency, due_at: dueAt,
    ...(amount === 0 ? { status: 'PAID' as const, paid_at: now, payment_reference: 'no charge' } : {}),
  })
}

/** Issues every tenant's invoice for the period containing `now`; returns the new ones. */
export async function issueInvoicesAcrossTenants(db: Kysely<Database>, now: Date): Promise<SaasInvoiceRow[]> {
  const out: SaasInvoiceRow[] = []
  for (const t of await listTenantsAcrossPlatform(db)) {
    const issued = await issueInvoice(db, t, now)
    if (issued) out.push(issued)
  }
  return out
}

/** Sets a tenant's status when it differs; returns whether it changed. */
export async function setTenantBillingStatus(db: Executor, tenantId: string, status: 'ACTIVE' | 'BLOCKED', reason: string | null, now: Date): Promise<boolean> {
  const changed = await db.updateTable('tenants')
    .set(status === 'BLOCKED' ? { saas_billing_status: 'BLOCKED', saas_blocked_at: now, saas_blocked_reason: reason } : { saas_billing_status: 'ACTIVE', saas_blocked_at: null, saas_blocked_reason: null })
    .where('id', '=', tenantId).where('saas_billing_status', '!=', status).executeTakeFirst()
  return Number(changed.numUpdatedRows) > 0
}

/** Blocks every ACTIVE tenant with an invoice unpaid beyond its grace days; returns the tenants blocked now. */
export async function blockOverdueTenantsAcrossTenants(db: Kysely<Database>, now: Date): Promise<string[]> {
  const blocked: string[] = []
  for (const t of await listTenantsWithOverdueInvoicesAcrossTenants(db, now)) {
    if (t.saas_billing_status === 'BLOCKED') continue
    const [oldest] = await listOverdueSaasInvoices(db, t.tenant_id, now)
    if (await setTenantBillingStatus(db, t.tenant_id, 'BLOCKED', `MnetiFi invoice for ${oldest?.period_start ?? 'an earlier period'} is unpaid`, now)) blocked.push(t.tenant_id)
  }
  return blocked
}

/**
 * Records a payment; the tenant becomes ACTIVE when no other invoice is still overdue.
 * @throws AppError NOT_FOUND (no such open invoice of that tenant)
 */
export async function payInvoice(db: Kysely<Database>, tenantId: string, invoiceId: string, reference: string, now: Date): Promise<{ invoice: SaasInvoiceRow; activated: boolean }> {
  return db.transaction().execute(async (trx) => {
    if (!(await findTenantById(trx, tenantId))) throw new AppError('NOT_FOUND', 'Tenant not found')
    const invoice = await markSaasInvoicePaid(trx, tenantId, invoiceId, reference, now)
    if (!invoice) throw new AppError('NOT_FOUND', 'No such open invoice')
    const stillOverdue = await listOverdueSaasInvoices(trx, tenantId, now)
    const activated = stillOverdue.length === 0 && await setTenantBillingStatus(trx, tenantId, 'ACTIVE', null, now)
    const tenant = (await findTenantById(trx, tenantId))!
    const paidUntil = new Date(`${invoice.period_end}T00:00:00Z`)
    if (!tenant.saas_paid_until || tenant.saas_paid_until < paidUntil) await updateTenant(trx, tenantId, { saas_paid_until: paidUntil })
    return { invoice, activated }
  })
}
