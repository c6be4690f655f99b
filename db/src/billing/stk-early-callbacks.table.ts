import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** One delivery of an early STK callback, as received (raw) and as validated (parsed). */
export interface EarlyCallbackDelivery {
  at: string
  raw: unknown
  /** The validated callback (api's ParsedStkCallback). */
  parsed: unknown
  /** False when it came from outside the configured Safaricom allow-list. */
  trusted: boolean
  ip: string | null
}

/**
 * An STK callback that arrived before any transaction held its CheckoutRequestID (migration
 * 2026_11_26_500000): kept until the push reply, the poll or the sweep settles it exactly once.
 */
export interface StkEarlyCallbacksTable {
  id: Generated<string>
  tenant_id: string
  checkout_request_id: string
  merchant_request_id: string
  hinted_transaction_id: string | null
  callbacks: ColumnType<EarlyCallbackDelivery[], string, string>
  received_at: Generated<Date>
  resolution: 'SETTLED' | 'UNKNOWN' | null
  resolved_at: Date | null
  transaction_id: string | null
}
export type StkEarlyCallbackRow = Selectable<StkEarlyCallbacksTable>
export type NewStkEarlyCallback = Insertable<StkEarlyCallbacksTable>
export type StkEarlyCallbackUpdate = Updateable<StkEarlyCallbacksTable>
