import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AdminRole } from '../domain/enums.js'

export interface AdminUsersTable {
  id: Generated<string>
  /** NULL only for platform operators. */
  tenant_id: string | null
  email: string
  full_name: Generated<string>
  /** argon2id PHC string. */
  password_hash: string
  role: AdminRole
  is_active: Generated<boolean>
  last_login_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type AdminUserRow = Selectable<AdminUsersTable>
export type NewAdminUser = Insertable<AdminUsersTable>
export type AdminUserUpdate = Updateable<AdminUsersTable>
