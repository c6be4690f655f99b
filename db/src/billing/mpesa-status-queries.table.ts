import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Where a Transaction Status look-up stands; PENDING until Daraja posts the result. */
export type MpesaStatusQueryStatus = 'PENDING' | 'VERIFIED' | 'REJECTED' | 'FAILED'

/** One Daraja Transaction Status request and its asynchronous answer (migration 2026_11_26_300000). */
export interface MpesaStatusQueriesTable {
  id: Generated<string>
  tenant_id: string
  /** RECOVERY: a customer typed a receipt on the portal; RECONCILE: fetching a receipt for our records. */
  purpose: 'RECOVERY' | 'RECONCILE'
  receipt: string
  originator_conversation_id: string | null
  conversation_id: string | null
  status: Generated<MpesaStatusQueryStatus>
  phone: string | null
  plan_id: string | null
  hotspot_id: string | null
  mac_address: string | null
  transaction_id: string | null
  outcome_code: string | null
  outcome_message: string | null
  result: ColumnType<unknown, string | undefined, string>
  created_at: Generated<Date>
  completed_at: Date | null
}
export type MpesaStatusQueryRow = Selectable<MpesaStatusQueriesTable>
export type NewMpesaStatusQuery = Insertable<MpesaStatusQueriesTable>
export type MpesaStatusQueryUpdate = Updateable<MpesaStatusQueriesTable>
