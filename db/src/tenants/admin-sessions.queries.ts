/**
 * Admin sessions. Sessions are looked up before the tenant is known (the session tells us the tenant), so
 * these queries run on the privileged connection and are named `…AcrossTenants` where they read.
 */
import type { Executor } from '../executor.js'
import type { AdminUserRow } from './admin-users.table.js'
import type { AdminSessionRow, NewAdminSession } from './admin-sessions.table.js'

/** Stores a new session (the caller hashes the token). */
export async function createAdminSession(db: Executor, session: NewAdminSession): Promise<AdminSessionRow> {
  return db.insertInto('admin_sessions').values(session).returningAll().executeTakeFirstOrThrow()
}

/** The unexpired session with this id and its active admin, or undefined. */
export async function findActiveAdminSessionAcrossTenants(
  db: Executor, sessionId: string, now: Date,
): Promise<{ session: AdminSessionRow; admin: AdminUserRow } | undefined> {
  const row = await db.selectFrom('admin_sessions as s').innerJoin('admin_users as a', 'a.id', 's.admin_id')
    .selectAll('a').select(['s.id as session_id', 's.expires_at as session_expires_at', 's.created_at as session_created_at',
      's.last_seen_at as session_last_seen_at', 's.ip as session_ip', 's.user_agent as session_user_agent'])
    .where('s.id', '=', sessionId).where('s.expires_at', '>', now).where('a.is_active', '=', true).executeTakeFirst()
  if (!row) return undefined
  const { session_id, session_expires_at, session_created_at, session_last_seen_at, session_ip, session_user_agent, ...admin } = row
  return {
    admin,
    session: { id: session_id, admin_id: admin.id, expires_at: session_expires_at, created_at: session_created_at,
      last_seen_at: session_last_seen_at, ip: session_ip, user_agent: session_user_agent },
  }
}

/** Deletes one session (logout). */
export async function deleteAdminSessionAcrossTenants(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id', '=', sessionId).execute()
}

/** Deletes every session of an admin except `keepSessionId` (password change signs out other devices). */
export async function deleteOtherAdminSessionsAcrossTenants(db: Executor, adminId: string, keepSessionId: string | null): Promise<number> {
  let q = db.deleteFrom('admin_sessions').where('admin_id', '=', adminId)
  if (keepSessionId) q = q.where('id', '<>', keepSessionId)
  const result = await q.executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Deletes sessions past their expiry; returns how many. */
export async function deleteExpiredAdminSessionsAcrossPlatform(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
