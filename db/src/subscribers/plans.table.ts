import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AccountType } from '../domain/enums.js'

/** Rates in bits per second, times in seconds, data_quota in bytes, price in minor units. */
export interface PlansTable {
  id: Generated<string>
  tenant_id: string
  name: string
  description: Generated<string>
  price: number
  currency: Generated<string>
  duration_seconds: number
  upload_limit: number
  download_limit: number
  burst_rate_up: number | null
  burst_rate_down: number | null
  burst_threshold_up: number | null
  burst_threshold_down: number | null
  burst_time: number | null
  priority: number | null
  data_quota: number | null
  account_types: AccountType[]
  simultaneous_use: Generated<number>
  acct_interim_interval: number | null
  idle_timeout: number | null
  is_active: Generated<boolean>
  archived_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type PlanRow = Selectable<PlansTable>
export type NewPlan = Insertable<PlansTable>
export type PlanUpdate = Updateable<PlansTable>
