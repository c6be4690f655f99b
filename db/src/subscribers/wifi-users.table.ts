import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AccountType, UserStatus } from '../domain/enums.js'

export interface WifiUsersTable {
  id: Generated<string>
  tenant_id: string
  /** 2547XXXXXXXX (db/src/domain/phone.ts). */
  phone_number: string | null
  email: string | null
  full_name: Generated<string>
  account_type: AccountType
  /** RADIUS User-Name; unique per tenant. */
  username: string
  /** RADIUS password in clear: CHAP and MS-CHAPv2 need it. */
  password: string
  current_plan_id: string | null
  expiry_time: Date | null
  status: Generated<UserStatus>
  home_hotspot_id: string | null
  framed_pool: string | null
  notes: Generated<string>
  archived_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type WifiUserRow = Selectable<WifiUsersTable>
export type NewWifiUser = Insertable<WifiUsersTable>
export type WifiUserUpdate = Updateable<WifiUsersTable>

export interface WifiUserDevicesTable {
  id: Generated<string>
  tenant_id: string
  user_id: string
  /** macaddr as text, lower-case 'aa:bb:cc:dd:ee:ff'. */
  mac_address: string
  last_seen_at: Date | null
  created_at: Generated<Date>
}
export type WifiUserDeviceRow = Selectable<WifiUserDevicesTable>
