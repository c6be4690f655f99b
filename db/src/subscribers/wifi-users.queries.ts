import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Executor } from '../executor.js'
import type { NewWifiUser, WifiUserRow, WifiUserUpdate } from './wifi-users.table.js'

/** Creates a Wi-Fi user; the mirror trigger writes radcheck/radreply/radusergroup. */
export async function createWifiUser(db: Executor, user: NewWifiUser): Promise<WifiUserRow> {
  return db.insertInto('wifi_users').values(user).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's user by id, or undefined. */
export async function findWifiUserById(db: Executor, tenantId: string, userId: string): Promise<WifiUserRow | undefined> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst()
}

/** A tenant's user by RADIUS username, or undefined. */
export async function findWifiUserByUsername(db: Executor, tenantId: string, username: string): Promise<WifiUserRow | undefined> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username).executeTakeFirst()
}

/** A tenant's user by normalised phone (2547…), or undefined. */
export async function findWifiUserByPhone(db: Executor, tenantId: string, phone: string): Promise<WifiUserRow | undefined> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone).executeTakeFirst()
}

/** A tenant's users, newest first, optionally filtered by a search over phone, name and username. */
export async function listWifiUsers(
  db: Executor, tenantId: string, options: { search?: string; limit?: number; offset?: number } = {},
): Promise<WifiUserRow[]> {
  let q = db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId)
  if (options.search) {
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('phone_number', 'ilike', like), eb('full_name', 'ilike', like), eb('username', 'ilike', like)]))
  }
  return q.orderBy('created_at', 'desc').orderBy('id').limit(options.limit ?? 100).offset(options.offset ?? 0).execute()
}

/** Updates a tenant's user; undefined when it is not the tenant's. */
export async function updateWifiUser(db: Executor, tenantId: string, userId: string, changes: WifiUserUpdate): Promise<WifiUserRow | undefined> {
  return db.updateTable('wifi_users').set(changes).where('tenant_id', '=', tenantId).where('id', '=', userId).returningAll().executeTakeFirst()
}

/** Locks a tenant's user row for the rest of the transaction (crediting, plan changes). */
export async function lockWifiUserById(trx: Transaction<Database>, tenantId: string, userId: string): Promise<WifiUserRow | undefined> {
  return trx.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).forUpdate().executeTakeFirst()
}
