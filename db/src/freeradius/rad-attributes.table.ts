/**
 * FreeRADIUS attribute tables. `managed_by = 'mnetifi'` marks rows mirrored by triggers; NULL = operator rows.
 */
import type { Generated, Selectable } from 'kysely'

interface RadUserAttributeTable {
  id: Generated<number>
  username: string
  attribute: string
  op: string
  value: string
  tenant_id: string | null
  managed_by: string | null
}
interface RadGroupAttributeTable {
  id: Generated<number>
  groupname: string
  attribute: string
  op: string
  value: string
  tenant_id: string | null
  managed_by: string | null
}
export type RadcheckTable = RadUserAttributeTable
export type RadreplyTable = RadUserAttributeTable
export type RadgroupcheckTable = RadGroupAttributeTable
export type RadgroupreplyTable = RadGroupAttributeTable
export type RadUserAttributeRow = Selectable<RadUserAttributeTable>
export type RadGroupAttributeRow = Selectable<RadGroupAttributeTable>

export interface RadusergroupTable {
  id: Generated<number>
  username: string
  groupname: string
  priority: number
  tenant_id: string | null
  managed_by: string | null
}
export type RadusergroupRow = Selectable<RadusergroupTable>

export interface RadpostauthTable {
  id: Generated<number>
  username: string
  pass: string | null
  reply: string | null
  calledstationid: string | null
  callingstationid: string | null
  authdate: Generated<Date>
  class: string | null
  tenant_id: string | null
}
export type RadpostauthRow = Selectable<RadpostauthTable>

export interface NasTable {
  id: Generated<number>
  nasname: string
  shortname: string
  type: Generated<string>
  ports: number | null
  secret: string
  server: string | null
  community: string | null
  description: string | null
  tenant_id: string | null
  hotspot_id: string | null
}
export type NasRow = Selectable<NasTable>

export interface NasreloadTable {
  nasipaddress: string
  reloadtime: Date
}
