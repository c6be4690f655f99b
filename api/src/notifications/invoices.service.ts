/**
 * MnetiFi's monthly invoice to each ISP for its subscription fee: from the tenant's billing day on (in its own
 * time zone) the month's invoice is written to the outbox as an e-mail, once per month (the key holds the
 * month), to the ISP's billing address or else its owner. Run by the worker on the reminders beat.
 */
import { sql } from 'kysely'
import { formatMoney } from '@mnetifi/db/domain'
import { nowOf, type NotificationsContext } from './context.js'
import { formatDate } from './format.js'
import { notify } from './notify.js'

interface TenantToBill {
  id: string
  name: string
  timezone: string
  saas_plan: string
  saas_monthly_fee: number
  saas_currency: string
  saas_billing_day: number
  saas_grace_days: number
  email: string | null
}

/** The year, month (1-12), day and month name of `at` in `timeZone`. */
function localMonth(at: Date, timeZone: string): { year: number; month: number; day: number; name: string } {
  const parts: Record<string, string> = {}
  for (const { type, value } of new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).formatToParts(at)) parts[type] = value
  const month = Number(new Intl.DateTimeFormat('en-GB', { timeZone, month: 'numeric' }).format(at))
  return { year: Number(parts.year), month, day: Number(parts.day), name: `${parts.month} ${parts.year}` }
}

/** The invoice number of a tenant's month: MF-202612-<tenant>. */
export function invoiceNumberOf(tenantId: string, year: number, month: number): string {
  return `MF-${year}${String(month).padStart(2, '0')}-${tenantId.replace(/-/g, '').slice(0, 6).toUpperCase()}`
}

/** Writes the invoices due at the context's `now`; returns how many were written. */
export async function writeMonthlyInvoices(ctx: NotificationsContext): Promise<number> {
  const now = nowOf(ctx)
  // Across tenants on purpose: MnetiFi bills them all.
  const tenants = await sql<TenantToBill>`
    SELECT t.id, t.name, t.timezone, t.saas_plan, t.saas_monthly_fee, t.saas_currency, t.saas_billing_day, t.saas_grace_days,
      coalesce(s.billing_email, (SELECT a.email FROM admin_users a WHERE a.tenant_id = t.id AND a.role = 'TENANT_OWNER' AND a.is_active
        ORDER BY a.created_at LIMIT 1)) AS email
    FROM tenants t LEFT JOIN notification_settings s ON s.tenant_id = t.id
    WHERE t.saas_monthly_fee > 0`.execute(ctx.db)
  let written = 0
  for (const t of tenants.rows) {
    const local = localMonth(now, t.timezone)
    if (!t.email || local.day < t.saas_billing_day) continue
    const invoiceNumber = invoiceNumberOf(t.id, local.year, local.month)
    const due = new Date(now.getTime() + (t.saas_billing_day - local.day + t.saas_grace_days) * 86_400_000)
    const rows = await notify(ctx.db, {
      tenantId: t.id, type: 'isp.invoice', key: `isp-invoice:${local.year}-${String(local.month).padStart(2, '0')}`, to: { email: t.email },
      vars: { invoiceNumber, period: local.name, amount: formatMoney(t.saas_monthly_fee, t.saas_currency), dueDate: formatDate(due, t.timezone), isp: t.name },
      data: { issuedAt: formatDate(now, t.timezone), description: `MnetiFi ${t.saas_plan} plan, ${local.name}` },
    }, { now })
    written += rows.length
  }
  return written
}
