import type { Generated, Selectable } from 'kysely'

/** CoA/Disconnect outcomes per NAS address (router health). */
export interface NasCoaStatsTable {
  nas_ip: string
  tenant_id: string
  requests: Generated<number>
  acks: Generated<number>
  naks: Generated<number>
  timeouts: Generated<number>
  last_at: Generated<Date>
}
export type NasCoaStatsRow = Selectable<NasCoaStatsTable>
