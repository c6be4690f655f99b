import type { ColumnType, Generated } from 'kysely'

/** radiusd's learned flags for `nas` rows without a hotspot (migration 2026_11_26_600000). */
export interface RadiusdNasFlagsTable {
  nas_id: number
  tenant_id: string | null
  require_message_authenticator: Generated<boolean>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
