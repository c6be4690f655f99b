import type { Generated, Insertable, Selectable } from 'kysely'

/** A signed-in admin: the cookie holds a random token, `id` is its SHA-256 (hex). */
export interface AdminSessionsTable {
  id: string
  admin_id: string
  ip: string | null
  user_agent: string | null
  created_at: Generated<Date>
  last_seen_at: Generated<Date>
  expires_at: Date
}
export type AdminSessionRow = Selectable<AdminSessionsTable>
export type NewAdminSession = Insertable<AdminSessionsTable>
