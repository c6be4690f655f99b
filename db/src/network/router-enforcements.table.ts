import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** The router's own values that blocking replaced (restored exactly on ACTIVE). */
export interface SavedRouterConfig {
  /** Hotspot server profiles by `.id`: their name and `html-directory` before the block. */
  readonly hotspotProfiles: readonly { readonly id: string; readonly name: string; readonly htmlDirectory: string }[]
}

/** Per hotspot: what its router should show for the tenant's SaaS billing status, and how far applying got. */
export interface RouterEnforcementsTable {
  hotspot_id: string
  tenant_id: string
  target: 'BLOCKED' | 'ACTIVE'
  status: Generated<'PENDING' | 'APPLIED' | 'FAILED'>
  attempts: Generated<number>
  last_error: string | null
  saved_config: ColumnType<SavedRouterConfig | null, SavedRouterConfig | null | undefined, SavedRouterConfig | null>
  updated_at: Generated<Date>
}
export type RouterEnforcementRow = Selectable<RouterEnforcementsTable>
export type NewRouterEnforcement = Insertable<RouterEnforcementsTable>
export type RouterEnforcementUpdate = Updateable<RouterEnforcementsTable>
