/**
 * Daily usage roll-ups (migration 2026_11_26_200100), folded from radacct deltas by mnetifi_fold_usage().
 */
import type { Selectable } from 'kysely'

/** One tenant/day/NAS/service bucket. Octets and seconds; `day` is a date in the tenant's zone. */
export interface UsageDailyTable {
  tenant_id: string
  day: string
  nas_ip: string
  service: 'HOTSPOT' | 'PPPOE'
  sessions: number
  unique_users: number
  input_octets: number
  output_octets: number
  session_time: number
}
export type UsageDailyRow = Selectable<UsageDailyTable>

/** Who was online on a day (for unique users over a period). */
export interface UsageUserDaysTable {
  tenant_id: string
  day: string
  nas_ip: string
  service: string
  username: string
}

/** Pending changes not yet folded. */
export interface UsageDeltasTable {
  id: number
  tenant_id: string
  day: string
  nas_ip: string
  service: string
  username: string
  sessions: number
  input_octets: number
  output_octets: number
  session_time: number
}

/** Who was online per tenant-day on any NAS or service (migration 2026_11_26_400100). */
export interface UsageTenantDayUsersTable {
  tenant_id: string
  day: string
  username: string
}

/** Exact unique users per tenant-day. */
export interface UsageDayTotalsTable {
  tenant_id: string
  day: string
  unique_users: number
}
