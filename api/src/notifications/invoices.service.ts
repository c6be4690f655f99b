/**
 * MnetiFi's monthly invoice to each ISP, by e-mail: every invoice the SaaS billing issues (saas_invoices, one per
 * tenant and period, api/src/saas-billing) is written to the outbox once (the key is the invoice id), with its PDF
 * drawn when it is sent, to the ISP's billing address or else its owner. Run by the worker on the reminders beat;
 * invoices issued more than NOTIFY_INVOICE_LOOKBACK_DAYS ago are not picked up any more.
 */
import { sql } from 'kysely'
import { formatMoney } from '@mnetifi/db/domain'
import { nowOf, type NotificationsContext } from './context.js'
import { formatDate } from './format.js'
import { notify } from './notify.js'

/** How far back a newly seen invoice is still e-mailed (a worker down for longer skips older ones). */
const LOOKBACK_DAYS = 35

interface InvoiceToMail {
  id: string
  tenant_id: string
  period_start: string
  period_end: string
  basis: 'FLAT' | 'PER_SUBSCRIBER'
  subscriber_count: number | null
  amount: number
  currency: string
  due_at: Date
  created_at: Date
  name: string
  timezone: string
  saas_plan: string
  saas_grace_days: number
  email: string | null
}

/** The invoice number printed on an invoice: MF-<period start>-<first 6 of the invoice id>. */
export function invoiceNumberOf(invoice: { id: string; period_start: string }): string {
  return `MF-${invoice.period_start.replace(/-/g, '')}-${invoice.id.replace(/-/g, '').slice(0, 6).toUpperCase()}`
}

const day = (ymd: string) => new Date(`${ymd}T12:00:00Z`)

/** Writes the e-mail of every recent open invoice not written yet; returns how many were written. */
export async function writeInvoiceEmails(ctx: NotificationsContext): Promise<number> {
  const now = nowOf(ctx)
  // Across tenants on purpose: MnetiFi bills them all.
  const invoices = await sql<InvoiceToMail>`
    SELECT i.id, i.tenant_id, i.period_start::text AS period_start, i.period_end::text AS period_end, i.basis, i.subscriber_count,
      i.amount, i.currency, i.due_at, i.created_at, t.name, t.timezone, t.saas_plan, t.saas_grace_days,
      coalesce(s.billing_email, (SELECT a.email FROM admin_users a WHERE a.tenant_id = t.id AND a.role = 'TENANT_OWNER' AND a.is_active
        ORDER BY a.created_at LIMIT 1)) AS email
    FROM saas_invoices i JOIN tenants t ON t.id = i.tenant_id LEFT JOIN notification_settings s ON s.tenant_id = i.tenant_id
    WHERE i.status = 'OPEN' AND i.amount > 0 AND i.created_at > ${new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000)}
      AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.tenant_id = i.tenant_id AND o.dedupe_key = 'isp-invoice:' || i.id::text)
    ORDER BY i.created_at LIMIT 1000`.execute(ctx.db)
  let written = 0
  for (const inv of invoices.rows) {
    if (!inv.email) continue
    const lastDay = new Date(day(inv.period_end).getTime() - 86_400_000)
    const period = `${formatDate(day(inv.period_start), 'UTC')} - ${formatDate(lastDay, 'UTC')}`
    const due = new Date(inv.due_at.getTime() + inv.saas_grace_days * 86_400_000)
    const description = inv.basis === 'PER_SUBSCRIBER'
      ? `MnetiFi ${inv.saas_plan} plan, ${inv.subscriber_count ?? 0} active subscribers`
      : `MnetiFi ${inv.saas_plan} plan, monthly fee`
    const rows = await notify(ctx.db, {
      tenantId: inv.tenant_id, type: 'isp.invoice', key: `isp-invoice:${inv.id}`, to: { email: inv.email },
      vars: { invoiceNumber: invoiceNumberOf(inv), period, amount: formatMoney(inv.amount, inv.currency), dueDate: formatDate(due, inv.timezone), isp: inv.name },
      data: { invoiceId: inv.id, issuedAt: formatDate(inv.created_at, inv.timezone), description },
    }, { now })
    written += rows.length
  }
  return written
}
