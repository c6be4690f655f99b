import type { Generated, Insertable, Selectable } from 'kysely'

export interface IpPoolsTable {
  id: Generated<string>
  tenant_id: string
  hotspot_id: string | null
  name: string
  /** cidr as text, e.g. '10.10.0.0/24'. */
  cidr: string
  gateway: string | null
  created_at: Generated<Date>
}
export type IpPoolRow = Selectable<IpPoolsTable>
export type NewIpPool = Insertable<IpPoolsTable>

export interface IpAssignmentsTable {
  id: Generated<string>
  tenant_id: string
  pool_id: string
  user_id: string
  ip_address: string
  created_at: Generated<Date>
}
export type IpAssignmentRow = Selectable<IpAssignmentsTable>
