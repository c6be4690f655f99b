/**
 * Performance reports from the daily roll-ups (migration 2026_11_26_200100): never from radacct directly,
 * so a 90-day report reads ~90 × hotspots roll-up rows plus one index range of usage_user_days.
 * Days are dates in the tenant's time zone; bounds are inclusive.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'

/** Filters shared by the usage reports. */
export interface UsageFilter {
  /** First day, 'YYYY-MM-DD', inclusive. */
  readonly from: string
  /** Last day, 'YYYY-MM-DD', inclusive. */
  readonly to: string
  /** Only this NAS (hotspots.nas_ip). */
  readonly nasIp?: string
  readonly service?: 'HOTSPOT' | 'PPPOE'
}

/** Sums of one bucket. Octets are bytes; input = from the user (upload). */
export interface UsageTotals {
  sessions: number
  unique_users: number
  input_octets: number
  output_octets: number
  session_time: number
}

/**
 * Folds pending accounting deltas into the roll-ups (all tenants: it is maintenance, not a tenant read);
 * returns how many deltas were folded. Concurrent callers do not wait for each other.
 */
export async function foldUsageDeltasAcrossPlatform(db: Executor): Promise<number> {
  const r = await sql<{ n: number }>`SELECT mnetifi_fold_usage() AS n`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

function sums() {
  return [
    sql<number>`coalesce(sum(sessions), 0)::bigint`.as('sessions'),
    sql<number>`coalesce(sum(input_octets), 0)::bigint`.as('input_octets'),
    sql<number>`coalesce(sum(output_octets), 0)::bigint`.as('output_octets'),
    sql<number>`coalesce(sum(session_time), 0)::bigint`.as('session_time'),
  ] as const
}

function daily(db: Executor, tenantId: string, f: UsageFilter) {
  let q = db.selectFrom('usage_daily').where('tenant_id', '=', tenantId).where('day', '>=', f.from).where('day', '<=', f.to)
  if (f.nasIp) q = q.where('nas_ip', '=', f.nasIp)
  if (f.service) q = q.where('service', '=', f.service)
  return q
}

function userDays(db: Executor, tenantId: string, f: UsageFilter) {
  let q = db.selectFrom('usage_user_days').where('tenant_id', '=', tenantId).where('day', '>=', f.from).where('day', '<=', f.to)
  if (f.nasIp) q = q.where('nas_ip', '=', f.nasIp)
  if (f.service) q = q.where('service', '=', f.service)
  return q
}

/** Per-day figures; unique users are exact per day across hotspots. Days without traffic are absent. */
export async function usageByDay(db: Executor, tenantId: string, f: UsageFilter): Promise<(UsageTotals & { day: string })[]> {
  const rows = await daily(db, tenantId, f).select([sql<string>`day::text`.as('day'), ...sums()]).groupBy('day').orderBy('day').execute()
  // Unfiltered: the fold keeps exact per-day counts. Filtered: a hash DISTINCT over the (smaller) slice.
  const users = f.nasIp || f.service
    ? (await sql<{ day: string; n: number }>`
        SELECT day::text AS day, count(*)::bigint AS n
        FROM (SELECT DISTINCT day, username FROM (${userDays(db, tenantId, f).select(['day', 'username'])}) AS s) AS d GROUP BY day`.execute(db)).rows
    : await db.selectFrom('usage_day_totals').select([sql<string>`day::text`.as('day'), 'unique_users as n'])
      .where('tenant_id', '=', tenantId).where('day', '>=', f.from).where('day', '<=', f.to).execute()
  const byDay = new Map(users.map((u) => [u.day, u.n]))
  return rows.map((r) => ({ ...r, unique_users: byDay.get(r.day) ?? 0 }))
}

/** Per-NAS and per-service figures with unique users over the whole period, plus the period total. */
export async function usageByHotspotAndService(db: Executor, tenantId: string, f: UsageFilter): Promise<{
  hotspots: (UsageTotals & { nas_ip: string })[]; services: (UsageTotals & { service: string })[]; total: UsageTotals
}> {
  const slice = userDays(db, tenantId, f).select(['nas_ip', 'service', 'username'])
  // Unique users per NAS, per service and overall from ONE scan of the period's user-days: the distinct
  // (NAS, service, user) triples are hashed once (SELECT DISTINCT lets Postgres hash; count(DISTINCT …) over the
  // raw ~600k rows would sort them), then each grouping counts users over that much smaller set.
  const uniques = (await sql<{ g: 'nas' | 'service' | 'total'; k: string; n: number }>`
    WITH s AS MATERIALIZED (SELECT DISTINCT nas_ip, service, username FROM (${slice}) AS x)
    SELECT 'nas' AS g, host(nas_ip) AS k, count(DISTINCT username)::bigint AS n FROM s GROUP BY nas_ip
    UNION ALL SELECT 'service', service, count(DISTINCT username)::bigint FROM s GROUP BY service
    UNION ALL SELECT 'total', '', count(DISTINCT username)::bigint FROM s`.execute(db)).rows
  const uniquesOf = (g: 'nas' | 'service') => new Map(uniques.filter((u) => u.g === g).map((u) => [u.k, u.n]))
  const perNas = await daily(db, tenantId, f).select(['nas_ip', ...sums()]).groupBy('nas_ip').orderBy('nas_ip').execute()
  const perService = await daily(db, tenantId, f).select(['service', ...sums()]).groupBy('service').orderBy('service').execute()
  const all = await daily(db, tenantId, f).select([...sums()]).executeTakeFirstOrThrow()
  const nasUsers = uniquesOf('nas')
  const serviceUsers = uniquesOf('service')
  const total = uniques.find((u) => u.g === 'total')?.n ?? 0
  return {
    hotspots: perNas.map((r) => ({ ...r, nas_ip: String(r.nas_ip), unique_users: nasUsers.get(String(r.nas_ip)) ?? 0 })),
    services: perService.map((r) => ({ ...r, unique_users: serviceUsers.get(r.service) ?? 0 })),
    total: { ...all, unique_users: total },
  }
}
