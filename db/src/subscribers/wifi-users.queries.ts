import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { AccountType } from '../domain/enums.js'
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

/**
 * A tenant's account of `accountType` for a normalised phone (2547…), or undefined. A phone holds at most one
 * account of each type (unique key wifi_users_tenant_phone_type_key), so a PPPoE customer who also buys hotspot
 * time has two accounts; callers say which one they mean.
 */
export async function findWifiUserByPhone(db: Executor, tenantId: string, phone: string, accountType: AccountType): Promise<WifiUserRow | undefined> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone)
    .where('account_type', '=', accountType).executeTakeFirst()
}

/** Every account of a tenant for a normalised phone (at most one per account type), oldest first. */
export async function listWifiUsersByPhone(db: Executor, tenantId: string, phone: string): Promise<WifiUserRow[]> {
  return db.selectFrom('wifi_users').selectAll().where('tenant_id', '=', tenantId).where('phone_number', '=', phone)
    .orderBy('created_at').orderBy('id').execute()
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

/** Filters for {@link searchWifiUsers}. */
export interface WifiUserSearch {
  /** Matches phone, full name or username (case-insensitive substring). */
  readonly search?: string
  readonly status?: 'ACTIVE' | 'SUSPENDED'
  readonly accountType?: 'HOTSPOT' | 'PPPOE' | 'STATIC'
  readonly planId?: string
  readonly hotspotId?: string
  readonly includeArchived?: boolean
  /** Column to order by (default newest first). */
  readonly sort?: WifiUserSort
  readonly order?: 'asc' | 'desc'
  readonly limit: number
  readonly offset: number
}

/** The columns a user list can be sorted by. */
export const WIFI_USER_SORTS = ['createdAt', 'expiryTime', 'fullName', 'phoneNumber', 'username'] as const
export type WifiUserSort = (typeof WIFI_USER_SORTS)[number]
const SORT_COLUMNS = {
  createdAt: 'created_at', expiryTime: 'expiry_time', fullName: 'full_name', phoneNumber: 'phone_number', username: 'username',
} as const satisfies Record<WifiUserSort, string>

/** A page of a tenant's users with the total matching the filters, newest first unless `sort` says otherwise. */
export async function searchWifiUsers(db: Executor, tenantId: string, options: WifiUserSearch): Promise<{ rows: WifiUserRow[]; total: number }> {
  let q = db.selectFrom('wifi_users').where('tenant_id', '=', tenantId)
  if (!options.includeArchived) q = q.where('archived_at', 'is', null)
  if (options.status) q = q.where('status', '=', options.status)
  if (options.accountType) q = q.where('account_type', '=', options.accountType)
  if (options.planId) q = q.where('current_plan_id', '=', options.planId)
  if (options.hotspotId) q = q.where('home_hotspot_id', '=', options.hotspotId)
  if (options.search && /^254\d{9}$/.test(options.search)) {
    // A whole phone number (the API normalises 07… to 2547…): an index lookup, not a scan. Usernames are the
    // phone itself or the phone with a suffix (`<phone>-wifi`).
    const phone = options.search
    q = q.where((eb) => eb.or([eb('phone_number', '=', phone), eb('username', '=', phone), eb('username', 'like', `${phone}-%`)]))
  } else if (options.search) {
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('phone_number', 'ilike', like), eb('full_name', 'ilike', like), eb('username', 'ilike', like)]))
  }
  const [rows, count] = await Promise.all([
    q.selectAll()
      .orderBy(SORT_COLUMNS[options.sort ?? 'createdAt'], (options.order ?? (options.sort ? 'asc' : 'desc')) === 'asc' ? (ob) => ob.asc().nullsLast() : (ob) => ob.desc().nullsLast())
      .orderBy('id').limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/**
 * A tenant's active users whose plan ends in [from, to), soonest first, with their plan name — the
 * dashboard's "expiring soon" widget and outreach list. Served by wifi_users_expiry_idx (tenant_id, expiry_time).
 */
export async function listWifiUsersExpiringBetween(
  db: Executor, tenantId: string, from: Date, to: Date, options: { limit: number; offset: number },
): Promise<{ rows: (WifiUserRow & { plan_name: string | null; plan_price: number | null })[]; total: number }> {
  const q = db.selectFrom('wifi_users as u').leftJoin('plans as p', (j) => j.onRef('p.id', '=', 'u.current_plan_id').onRef('p.tenant_id', '=', 'u.tenant_id'))
    .where('u.tenant_id', '=', tenantId).where('u.expiry_time', '>=', from).where('u.expiry_time', '<', to)
    .where('u.status', '=', 'ACTIVE').where('u.archived_at', 'is', null)
  const [rows, count] = await Promise.all([
    q.selectAll('u').select(['p.name as plan_name', 'p.price as plan_price']).orderBy('u.expiry_time').orderBy('u.id')
      .limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}
