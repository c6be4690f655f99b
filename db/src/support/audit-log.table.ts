import type { Generated, Insertable, Selectable } from 'kysely'

export interface AuditLogTable {
  id: Generated<number>
  tenant_id: string | null
  actor_id: string | null
  actor_type: Generated<'ADMIN' | 'SYSTEM' | 'CUSTOMER'>
  action: string
  entity_type: string
  entity_id: string | null
  before: unknown
  after: unknown
  request_id: string | null
  ip: string | null
  created_at: Generated<Date>
}
export type AuditLogRow = Selectable<AuditLogTable>
export type NewAuditLog = Insertable<AuditLogTable>
