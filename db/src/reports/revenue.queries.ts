/**
 * Financial report aggregates over transactions (read-only; the payments code owns writing them).
 * Revenue counts COMPLETED payments by the day they completed, in the tenant's time zone.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'

/** How to group revenue. */
export type RevenueGrouping = 'day' | 'plan' | 'hotspot'

/** One revenue bucket: key is the day ('YYYY-MM-DD'), plan id or hotspot id (null = none recorded). */
export interface RevenueRow {
  key: string | null
  label: string | null
  payments: number
  /** Minor units. */
  amount: number
}

/** Completed revenue between two local days (inclusive) grouped by day, plan or hotspot. */
export async function revenueBy(
  db: Executor, tenantId: string, grouping: RevenueGrouping, range: { from: string; to: string; timezone: string },
): Promise<RevenueRow[]> {
  const localDay = sql`(t.completed_at AT TIME ZONE ${range.timezone})::date`
  const key = grouping === 'day' ? sql`${localDay}::text` : grouping === 'plan' ? sql`t.plan_id::text` : sql`t.hotspot_id::text`
  // For days the label is the key itself (filled in below): repeating the expression would bind a second parameter
  // that Postgres cannot match to the GROUP BY.
  const label = grouping === 'day' ? sql`NULL::text` : grouping === 'plan' ? sql`max(p.name)` : sql`max(h.location_name)`
  const r = await sql<RevenueRow>`
    SELECT ${key} AS key, ${label} AS label, count(*)::bigint AS payments, coalesce(sum(t.amount), 0)::bigint AS amount
    FROM transactions t
    LEFT JOIN plans p ON p.tenant_id = t.tenant_id AND p.id = t.plan_id
    LEFT JOIN hotspots h ON h.tenant_id = t.tenant_id AND h.id = t.hotspot_id
    WHERE t.tenant_id = ${tenantId} AND t.status = 'COMPLETED'
      AND t.completed_at >= (${range.from}::date)::timestamp AT TIME ZONE ${range.timezone}
      AND t.completed_at < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${range.timezone})
    GROUP BY 1 ORDER BY ${grouping === 'day' ? sql`1` : sql`4 DESC, 1`}`.execute(db)
  return grouping === 'day' ? r.rows.map((x) => ({ ...x, label: x.key })) : r.rows
}

/** Voucher usage between two local days: redeemed per day and per plan, and how many were generated. */
export async function voucherUsage(
  db: Executor, tenantId: string, range: { from: string; to: string; timezone: string },
): Promise<{ generated: number; redeemed: number; byDay: { day: string; redeemed: number }[]; byPlan: { plan_id: string; plan_name: string; redeemed: number }[] }> {
  const start = sql`(${range.from}::date)::timestamp AT TIME ZONE ${range.timezone}`
  const end = sql`((${range.to}::date + 1)::timestamp AT TIME ZONE ${range.timezone})`
  const [generated, byDay, byPlan] = await Promise.all([
    sql<{ n: number }>`SELECT count(*)::bigint AS n FROM vouchers WHERE tenant_id = ${tenantId} AND created_at >= ${start} AND created_at < ${end}`.execute(db),
    sql<{ day: string; redeemed: number }>`
      SELECT (redeemed_at AT TIME ZONE ${range.timezone})::date::text AS day, count(*)::bigint AS redeemed FROM vouchers
      WHERE tenant_id = ${tenantId} AND redeemed_at >= ${start} AND redeemed_at < ${end} GROUP BY 1 ORDER BY 1`.execute(db),
    sql<{ plan_id: string; plan_name: string; redeemed: number }>`
      SELECT v.plan_id, max(p.name) AS plan_name, count(*)::bigint AS redeemed FROM vouchers v JOIN plans p ON p.id = v.plan_id
      WHERE v.tenant_id = ${tenantId} AND v.redeemed_at >= ${start} AND v.redeemed_at < ${end} GROUP BY 1 ORDER BY 3 DESC, 1`.execute(db),
  ])
  return {
    generated: generated.rows[0]?.n ?? 0, redeemed: byDay.rows.reduce((s, r) => s + r.redeemed, 0), byDay: byDay.rows, byPlan: byPlan.rows,
  }
}
