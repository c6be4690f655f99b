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

/** Options of {@link findActiveAdminSessionAcrossTenants}. */
export interface FindActiveAdminSessionOptions {
  /** Sessions last seen at or before this instant count as idle and are not returned (sliding expiry). */
  readonly idleBefore?: Date
}

/** The unexpired (and, with `idleBefore`, not idle) session with this id and its active admin, or undefined. */
export async function findActiveAdminSessionAcrossTenants(
  db: Executor, sessionId: string, now: Date, options: FindActiveAdminSessionOptions = {},
): Promise<{ session: AdminSessionRow; admin: AdminUserRow } | undefined> {
  let q = db.selectFrom('admin_sessions as s').innerJoin('admin_users as a', 'a.id', 's.admin_id')
    .selectAll('a').select(['s.id as session_id', 's.expires_at as session_expires_at', 's.created_at as session_created_at',
      's.last_seen_at as session_last_seen_at', 's.ip as session_ip', 's.user_agent as session_user_agent'])
    .where('s.id', '=', sessionId).where('s.expires_at', '>', now).where('a.is_active', '=', true)
  if (options.idleBefore) q = q.where('s.last_seen_at', '>', options.idleBefore)
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  const { session_id, session_expires_at, session_created_at, session_last_seen_at, session_ip, session_user_agent, ...admin } = row
  return {
    admin,
    session: { id: session_id, admin_id: admin.id, expires_at: session_expires_at, created_at: session_created_at,
      last_seen_at: session_last_seen_at, ip: session_ip, user_agent: session_user_agent },
  }
}

/**
 * Marks a session as seen at `now`, unless it was already seen after `notBefore`: a conditional UPDATE, so a
 * burst of requests (or several replicas) writes the row at most once per interval. Returns whether it wrote.
 */
export async function touchAdminSessionAcrossTenants(db: Executor, sessionId: string, now: Date, notBefore: Date): Promise<boolean> {
  const result = await db.updateTable('admin_sessions').set({ last_seen_at: now })
    .where('id', '=', sessionId).where('last_seen_at', '<=', notBefore).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
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

/** Deletes sessions past their expiry and, with `idleBefore`, those last seen at or before it; returns how many. */
export async function deleteExpiredAdminSessionsAcrossPlatform(db: Executor, now: Date, idleBefore?: Date): Promise<number> {
  const result = await db.deleteFrom('admin_sessions')
    .where((eb) => idleBefore ? eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]) : eb('expires_at', '<=', now))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
