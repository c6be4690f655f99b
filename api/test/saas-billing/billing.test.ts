/** Invoices and blocking against a real database: flat and per-subscriber amounts, idempotent issuing, grace days. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listSaasInvoices, updateTenant } from '@mnetifi/db'
import { createTestDatabase, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import { blockOverdueTenantsAcrossTenants, issueInvoice, payInvoice } from '../../src/saas-billing/billing.service.js'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('saas-billing') })
afterAll(async () => t.destroy())

const day = (iso: string) => new Date(`${iso}T00:00:00Z`)

describe('SaaS invoices', () => {
  it('bills a per-subscriber tenant for the subscribers active in the month before, once per period', async () => {
    const tenant = await insertTestTenant(t.db)
    await updateTenant(t.db, tenant.id, { saas_billing_basis: 'PER_SUBSCRIBER', saas_price_per_subscriber: 5000, saas_billing_day: 1 })
    await t.db.updateTable('tenants').set({ created_at: day('2026-01-01') }).where('id', '=', tenant.id).execute()
    const plan = await insertTestPlan(t.db, tenant.id)
    for (const [name, expiry] of [['a', '2026-11-20'], ['b', '2026-12-02'], ['c', '2027-01-01'], ['gone', '2026-10-31']] as const) {
      const u = await insertTestUser(t.db, tenant.id, { username: `${name}-${tenant.id.slice(0, 6)}`, current_plan_id: plan.id, expiry_time: day(expiry) })
      await t.db.updateTable('wifi_users').set({ created_at: day('2026-09-01') }).where('id', '=', u.id).execute()
    }
    const fresh = (await t.db.selectFrom('tenants').selectAll().where('id', '=', tenant.id).executeTakeFirstOrThrow())
    const invoice = await issueInvoice(t.db, fresh, new Date('2026-12-03T08:00:00Z'))
    expect(invoice).toMatchObject({ period_start: '2026-12-01', period_end: '2027-01-01', basis: 'PER_SUBSCRIBER', subscriber_count: 3, amount: 15_000, status: 'OPEN' })
    expect(invoice!.due_at.toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(await issueInvoice(t.db, fresh, new Date('2026-12-20T08:00:00Z'))).toBeUndefined()
    expect(await listSaasInvoices(t.db, tenant.id)).toHaveLength(1)
  })

  it('issues a zero invoice already paid, and never blocks for it', async () => {
    const tenant = await insertTestTenant(t.db)
    const invoice = await issueInvoice(t.db, tenant, new Date())
    expect(invoice).toMatchObject({ amount: 0, status: 'PAID', payment_reference: 'no charge' })
  })

  it('blocks only once the grace days are over, and a payment unblocks', async () => {
    const tenant = await insertTestTenant(t.db)
    await updateTenant(t.db, tenant.id, { saas_monthly_fee: 100_000, saas_grace_days: 7, saas_billing_day: 1 })
    await t.db.updateTable('tenants').set({ created_at: day('2026-01-01') }).where('id', '=', tenant.id).execute()
    const row = (await t.db.selectFrom('tenants').selectAll().where('id', '=', tenant.id).executeTakeFirstOrThrow())
    const invoice = (await issueInvoice(t.db, row, new Date('2026-12-03T08:00:00Z')))!
    expect(await blockOverdueTenantsAcrossTenants(t.db, new Date('2026-12-07T23:59:00Z'))).not.toContain(tenant.id)
    expect(await blockOverdueTenantsAcrossTenants(t.db, new Date('2026-12-08T00:01:00Z'))).toContain(tenant.id)
    expect(await blockOverdueTenantsAcrossTenants(t.db, new Date('2026-12-09T00:00:00Z'))).not.toContain(tenant.id)
    const blocked = await t.db.selectFrom('tenants').select(['saas_billing_status', 'saas_blocked_reason']).where('id', '=', tenant.id).executeTakeFirstOrThrow()
    expect(blocked).toEqual({ saas_billing_status: 'BLOCKED', saas_blocked_reason: 'MnetiFi invoice for 2026-12-01 is unpaid' })
    expect(await payInvoice(t.db, tenant.id, invoice.id, 'BANK-1', new Date('2026-12-09T10:00:00Z'))).toMatchObject({ activated: true, invoice: { status: 'PAID' } })
    const after = await t.db.selectFrom('tenants').select(['saas_billing_status', 'saas_paid_until']).where('id', '=', tenant.id).executeTakeFirstOrThrow()
    expect(after).toEqual({ saas_billing_status: 'ACTIVE', saas_paid_until: day('2027-01-01') })
  })
})
