import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { ReconciliationStatus, SettledBy, TransactionKind, TransactionStatus } from '../domain/enums.js'

/** One entry of a transaction's provider log: a request, response, callback or query, secrets redacted. */
export interface ProviderLogEntry {
  at: string
  kind: string
  data: unknown
}

export interface TransactionsTable {
  id: Generated<string>
  tenant_id: string
  kind: Generated<TransactionKind>
  user_id: string | null
  plan_id: string | null
  hotspot_id: string | null
  user_phone: string
  mac_address: string | null
  /** Minor units. */
  amount: number
  currency: Generated<string>
  account_reference: string | null
  mpesa_receipt: string | null
  checkout_request_id: string | null
  merchant_request_id: string | null
  status: Generated<TransactionStatus>
  result_code: string | null
  result_desc: string | null
  failure_reason: string | null
  reconciliation_status: ReconciliationStatus | null
  reconciliation_note: string | null
  settled_by: SettledBy | null
  credited_at: Date | null
  completed_at: Date | null
  provider_log: ColumnType<ProviderLogEntry[], string | undefined, string>
  /** How an admin closed a MANUAL_REVIEW/UNMATCHED item. */
  resolution: 'CREDITED' | 'REFUNDED' | null
  resolved_at: Date | null
  resolved_by: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type TransactionRow = Selectable<TransactionsTable>
export type NewTransaction = Insertable<TransactionsTable>
export type TransactionUpdate = Updateable<TransactionsTable>
