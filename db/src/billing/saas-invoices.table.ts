import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** MnetiFi's monthly invoice to a tenant (the ISP). Amounts in minor units; periods are calendar dates. */
export interface SaasInvoicesTable {
  id: Generated<string>
  tenant_id: string
  /** `date` columns: 'YYYY-MM-DD' text both ways (no time-zone shift). */
  period_start: ColumnType<string, string, string>
  period_end: ColumnType<string, string, string>
  basis: 'FLAT' | 'PER_SUBSCRIBER'
  subscriber_count: number | null
  amount: number
  currency: string
  status: Generated<'OPEN' | 'PAID' | 'VOID'>
  due_at: Date
  paid_at: Date | null
  payment_reference: string | null
  created_at: Generated<Date>
}
export type SaasInvoiceRow = Selectable<SaasInvoicesTable>
export type NewSaasInvoice = Insertable<SaasInvoicesTable>
export type SaasInvoiceUpdate = Updateable<SaasInvoicesTable>
