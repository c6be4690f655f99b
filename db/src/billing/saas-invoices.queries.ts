/**
 * MnetiFi's invoices to its tenants. Issuing is idempotent (one per tenant and period start); blocking reads the
 * invoices past due beyond the tenant's grace days. Period dates travel as 'YYYY-MM-DD' text.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { NewSaasInvoice, SaasInvoiceRow } from './saas-invoices.table.js'

const COLUMNS = [
  'id', 'tenant_id', sql<string>`period_start::text`.as('period_start'), sql<string>`period_end::text`.as('period_end'), 'basis', 'subscriber_count',
  'amount', 'currency', 'status', 'due_at', 'paid_at', 'payment_reference', 'created_at',
] as const

/** Inserts the invoice unless the tenant already has one for that period; returns it only when new. */
export async function insertSaasInvoiceOnce(db: Executor, invoice: NewSaasInvoice): Promise<SaasInvoiceRow | undefined> {
  return db.insertInto('saas_invoices').values(invoice).onConflict((oc) => oc.columns(['tenant_id', 'period_start']).doNothing())
    .returning([...COLUMNS]).executeTakeFirst()
}

/** A tenant's invoices, newest period first. */
export async function listSaasInvoices(db: Executor, tenantId: string): Promise<SaasInvoiceRow[]> {
  return db.selectFrom('saas_invoices').select([...COLUMNS]).where('tenant_id', '=', tenantId).orderBy('period_start', 'desc').execute()
}

/** Marks an OPEN invoice PAID (once); undefined when it is not the tenant's or not open. */
export async function markSaasInvoicePaid(db: Executor, tenantId: string, invoiceId: string, reference: string, paidAt: Date): Promise<SaasInvoiceRow | undefined> {
  return db.updateTable('saas_invoices').set({ status: 'PAID', paid_at: paidAt, payment_reference: reference })
    .where('tenant_id', '=', tenantId).where('id', '=', invoiceId).where('status', '=', 'OPEN').returning([...COLUMNS]).executeTakeFirst()
}

/** A tenant's OPEN invoices whose due date plus the tenant's grace days has passed at `now`. */
export async function listOverdueSaasInvoices(db: Executor, tenantId: string, now: Date): Promise<SaasInvoiceRow[]> {
  return db.selectFrom('saas_invoices').innerJoin('tenants', 'tenants.id', 'saas_invoices.tenant_id')
    .select(COLUMNS.map((c) => (typeof c === 'string' ? `saas_invoices.${c}` as const : c)) as never)
    .where('saas_invoices.tenant_id', '=', tenantId).where('saas_invoices.status', '=', 'OPEN')
    .where(sql<boolean>`saas_invoices.due_at + make_interval(days => tenants.saas_grace_days) < ${now}`)
    .orderBy('saas_invoices.due_at').execute() as Promise<SaasInvoiceRow[]>
}

/** Tenants (any) with at least one OPEN invoice overdue beyond their grace days at `now`. */
export async function listTenantsWithOverdueInvoicesAcrossTenants(db: Executor, now: Date): Promise<{ tenant_id: string; saas_billing_status: 'ACTIVE' | 'BLOCKED' }[]> {
  return db.selectFrom('saas_invoices').innerJoin('tenants', 'tenants.id', 'saas_invoices.tenant_id')
    .select(['saas_invoices.tenant_id', 'tenants.saas_billing_status']).distinct()
    .where('saas_invoices.status', '=', 'OPEN')
    .where(sql<boolean>`saas_invoices.due_at + make_interval(days => tenants.saas_grace_days) < ${now}`).execute()
}

/** How many of a tenant's subscribers were active during [from, to): a plan running at some point in it. */
export async function countActiveSubscribers(db: Executor, tenantId: string, from: Date, to: Date): Promise<number> {
  const row = await db.selectFrom('wifi_users').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId)
    .where('current_plan_id', 'is not', null).where('expiry_time', '>=', from).where('created_at', '<', to).executeTakeFirstOrThrow()
  return Number(row.n)
}
