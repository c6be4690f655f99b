/**
 * Static IP pools (IPv4 CIDR ranges per tenant, optionally per hotspot) and the addresses assigned from them.
 * One address, one user: ip_assignments is unique on (pool, address) and on user. Allocation locks the pool
 * row (lockIpPoolById) so concurrent allocations in a pool take turns instead of colliding.
 */
import { sql, type Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Executor } from '../executor.js'
import type { IpAssignmentRow, IpPoolRow, NewIpPool } from './ip-pools.table.js'

/** A pool with its usable size (hosts minus network, broadcast and gateway) and addresses in use. */
export type IpPoolUsageRow = IpPoolRow & { size: number; used: number }

const usage = sql<number>`(2 ^ (32 - masklen(p.cidr)))::bigint - 2 - CASE WHEN p.gateway IS NOT NULL AND p.gateway << p.cidr THEN 1 ELSE 0 END`

/** Creates a pool. */
export async function createIpPool(db: Executor, pool: NewIpPool): Promise<IpPoolRow> {
  return db.insertInto('ip_pools').values(pool).returningAll().executeTakeFirstOrThrow()
}

/** The tenant's pool whose range overlaps `cidr`, if any (overlapping pools could hand out one address twice). */
export async function findOverlappingIpPool(db: Executor, tenantId: string, cidr: string): Promise<IpPoolRow | undefined> {
  return db.selectFrom('ip_pools').selectAll().where('tenant_id', '=', tenantId).where(sql<boolean>`cidr && ${cidr}::cidr`).executeTakeFirst()
}

/** A tenant's pools with size and use, by name. */
export async function listIpPoolsWithUsage(db: Executor, tenantId: string, options: { hotspotId?: string } = {}): Promise<IpPoolUsageRow[]> {
  let q = db.selectFrom('ip_pools as p').selectAll('p')
    .select([usage.as('size'), (eb) => eb.selectFrom('ip_assignments as a').whereRef('a.pool_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('used')])
    .where('p.tenant_id', '=', tenantId)
  if (options.hotspotId) q = q.where('p.hotspot_id', '=', options.hotspotId)
  return (await q.orderBy('p.name').execute()) as IpPoolUsageRow[]
}

/** A tenant's pool with size and use, or undefined. */
export async function findIpPoolWithUsage(db: Executor, tenantId: string, poolId: string): Promise<IpPoolUsageRow | undefined> {
  return (await listIpPoolsWithUsage(db, tenantId)).find((p) => p.id === poolId)
}

/** Locks a tenant's pool row for the rest of the transaction (allocation). */
export async function lockIpPoolById(trx: Transaction<Database>, tenantId: string, poolId: string): Promise<IpPoolRow | undefined> {
  return trx.selectFrom('ip_pools').selectAll().where('tenant_id', '=', tenantId).where('id', '=', poolId).forUpdate().executeTakeFirst()
}

/** Deletes a tenant's pool; its assignments go with it (ON DELETE CASCADE) — callers refuse that first. */
export async function deleteIpPool(db: Executor, tenantId: string, poolId: string): Promise<boolean> {
  const r = await db.deleteFrom('ip_pools').where('tenant_id', '=', tenantId).where('id', '=', poolId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** The lowest free host address of a pool (skipping network, broadcast and gateway), or undefined when full. */
export async function findNextFreeIp(db: Executor, tenantId: string, poolId: string): Promise<string | undefined> {
  // host(...)::inet drops the pool's mask: inet equality compares masks too, and assignments are /32.
  const r = await sql<{ ip: string }>`
    SELECT host(h.ip) AS ip
    FROM ip_pools p, generate_series(1::bigint, (2 ^ (32 - masklen(p.cidr)))::bigint - 2) AS g,
      LATERAL (SELECT host(network(p.cidr) + g)::inet AS ip) AS h
    WHERE p.tenant_id = ${tenantId} AND p.id = ${poolId}
      AND (p.gateway IS NULL OR h.ip <> host(p.gateway)::inet)
      AND NOT EXISTS (SELECT 1 FROM ip_assignments a WHERE a.pool_id = p.id AND a.ip_address = h.ip)
    ORDER BY g LIMIT 1`.execute(db)
  return r.rows[0]?.ip
}

/** Whether `ip` is a usable host of the pool: inside the range, not its network or broadcast address, not the gateway. */
export async function isUsableIpInPool(db: Executor, tenantId: string, poolId: string, ip: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    SELECT (${ip}::inet << p.cidr AND ${ip} <> host(network(p.cidr)) AND ${ip} <> host(broadcast(p.cidr))
      AND (p.gateway IS NULL OR ${ip} <> host(p.gateway))) AS ok
    FROM ip_pools p WHERE p.tenant_id = ${tenantId} AND p.id = ${poolId}`.execute(db)
  return r.rows[0]?.ok === true
}

/** Assigns `ip` from a pool to a user (the mirror trigger adds Framed-IP-Address). */
export async function createIpAssignment(db: Executor, assignment: { tenant_id: string; pool_id: string; user_id: string; ip_address: string }): Promise<IpAssignmentRow> {
  return db.insertInto('ip_assignments').values(assignment).returningAll().executeTakeFirstOrThrow()
}

/** The user's assignment in any of the tenant's pools, or undefined. */
export async function findIpAssignmentByUser(db: Executor, tenantId: string, userId: string): Promise<IpAssignmentRow | undefined> {
  return db.selectFrom('ip_assignments').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst()
}

/** The assignment holding `ip` in a pool, or undefined. */
export async function findIpAssignmentByIp(db: Executor, tenantId: string, poolId: string, ip: string): Promise<IpAssignmentRow | undefined> {
  return db.selectFrom('ip_assignments').selectAll().where('tenant_id', '=', tenantId).where('pool_id', '=', poolId).where('ip_address', '=', ip).executeTakeFirst()
}

/** A pool's assignments in address order, with the user's username. */
export async function listIpAssignments(db: Executor, tenantId: string, poolId: string): Promise<(IpAssignmentRow & { username: string })[]> {
  return db.selectFrom('ip_assignments as a').innerJoin('wifi_users as u', 'u.id', 'a.user_id').selectAll('a').select('u.username')
    .where('a.tenant_id', '=', tenantId).where('a.pool_id', '=', poolId).orderBy('a.ip_address').execute()
}

/** Releases the user's address in a pool; the deleted assignment, or undefined when there was none. */
export async function deleteIpAssignment(db: Executor, tenantId: string, poolId: string, userId: string): Promise<IpAssignmentRow | undefined> {
  return db.deleteFrom('ip_assignments').where('tenant_id', '=', tenantId).where('pool_id', '=', poolId).where('user_id', '=', userId).returningAll().executeTakeFirst()
}
