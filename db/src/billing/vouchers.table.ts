import type { Generated, Insertable, Selectable } from 'kysely'
import type { VoucherStatus } from '../domain/enums.js'

export interface VouchersTable {
  id: Generated<string>
  tenant_id: string
  batch_id: string
  code: string
  plan_id: string
  status: Generated<VoucherStatus>
  redeemed_by_user_id: string | null
  redeemed_at: Date | null
  valid_until: Date | null
  created_by: string | null
  created_at: Generated<Date>
}
export type VoucherRow = Selectable<VouchersTable>
export type NewVoucher = Insertable<VouchersTable>
