/**
 * FreeRADIUS 3.2 `radacct`, lower-case column names exactly as Postgres folds them.
 */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface RadacctTable {
  radacctid: Generated<number>
  acctsessionid: string
  acctuniqueid: string
  username: string | null
  realm: string | null
  nasipaddress: string
  nasportid: string | null
  nasporttype: string | null
  acctstarttime: Date | null
  acctupdatetime: Date | null
  acctstoptime: Date | null
  acctinterval: number | null
  acctsessiontime: number | null
  acctauthentic: string | null
  connectinfo_start: string | null
  connectinfo_stop: string | null
  /** Bytes from the user (upload), gigawords folded in. */
  acctinputoctets: number | null
  /** Bytes to the user (download), gigawords folded in. */
  acctoutputoctets: number | null
  calledstationid: string | null
  callingstationid: string | null
  acctterminatecause: string | null
  servicetype: string | null
  framedprotocol: string | null
  framedipaddress: string | null
  framedipv6address: string | null
  framedipv6prefix: string | null
  framedinterfaceid: string | null
  delegatedipv6prefix: string | null
  class: string | null
  tenant_id: string | null
}
export type RadacctRow = Selectable<RadacctTable>
export type NewRadacct = Insertable<RadacctTable>
