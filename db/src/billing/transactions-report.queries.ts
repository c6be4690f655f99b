/**
 * Listing, filtering and summarising a tenant's transactions for the admin API and the reconciliation report.
 * Days are counted in the tenant's time zone (Africa/Nairobi by default), sums are minor units.
 */
import { sql } from 'kysely'
import type { ReconciliationStatus, TransactionKind, TransactionStatus } from '../domain/enums.js'
import type { Executor } from '../executor.js'
import type { TransactionRow } from './transactions.table.js'

/** Filters of {@link listTransactions}; all optional. */
export interface TransactionFilter {
  readonly status?: TransactionStatus
  /** A status, or 'NONE' for rows without one (pending/failed pushes). */
  readonly reconciliationStatus?: ReconciliationStatus | 'NONE'
  readonly kind?: TransactionKind
  readonly hotspotId?: string
  readonly phone?: string
  readonly receipt?: string
  /** created_at ≥ from */
  readonly from?: Date
  /** created_at < to */
  readonly to?: Date
  /** Only items an admin still has to resolve (MANUAL_REVIEW/UNMATCHED without a resolution). */
  readonly unresolved?: boolean
  readonly userId?: string
}

/** The columns a transaction list can be sorted by. */
export const TRANSACTION_SORTS = ['createdAt', 'amount', 'completedAt'] as const
export type TransactionSort = (typeof TRANSACTION_SORTS)[number]
const SORT_COLUMNS = { createdAt: 'created_at', amount: 'amount', completedAt: 'completed_at' } as const satisfies Record<TransactionSort, string>

function filtered(db: Executor, tenantId: string, f: TransactionFilter) {
  let q = db.selectFrom('transactions').where('tenant_id', '=', tenantId)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.reconciliationStatus === 'NONE') q = q.where('reconciliation_status', 'is', null)
  else if (f.reconciliationStatus) q = q.where('reconciliation_status', '=', f.reconciliationStatus)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.hotspotId) q = q.where('hotspot_id', '=', f.hotspotId)
  if (f.phone) q = q.where('user_phone', '=', f.phone)
  if (f.receipt) q = q.where('mpesa_receipt', '=', f.receipt.toUpperCase())
  if (f.from) q = q.where('created_at', '>=', f.from)
  if (f.to) q = q.where('created_at', '<', f.to)
  if (f.userId) q = q.where('user_id', '=', f.userId)
  if (f.unresolved) q = q.where('reconciliation_status', 'in', ['MANUAL_REVIEW', 'UNMATCHED']).where('resolution', 'is', null)
  return q
}

/** A page of a tenant's transactions, newest first unless `page.sort` says otherwise, and the total matching the filter. */
export async function listTransactions(
  db: Executor, tenantId: string, f: TransactionFilter,
  page: { limit: number; offset: number; sort?: TransactionSort | undefined; order?: 'asc' | 'desc' | undefined },
): Promise<{ rows: TransactionRow[]; total: number }> {
  const order = page.order ?? 'desc'
  const [rows, total] = await Promise.all([
    filtered(db, tenantId, f).selectAll()
      .orderBy(SORT_COLUMNS[page.sort ?? 'createdAt'], order === 'asc' ? (ob) => ob.asc().nullsLast() : (ob) => ob.desc().nullsLast()).orderBy('id').limit(page.limit).offset(page.offset).execute(),
    filtered(db, tenantId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

/** Streams every matching row in pages (CSV export). */
export async function* iterateTransactions(db: Executor, tenantId: string, f: TransactionFilter, pageSize = 1000): AsyncGenerator<TransactionRow> {
  for (let offset = 0; ; offset += pageSize) {
    const rows = await filtered(db, tenantId, f).selectAll().orderBy('created_at').orderBy('id').limit(pageSize).offset(offset).execute()
    yield* rows
    if (rows.length < pageSize) return
  }
}

/** One group of the reconciliation report. */
export interface ReportBucket {
  readonly key: string
  readonly status: TransactionStatus
  readonly reconciliationStatus: ReconciliationStatus | null
  readonly count: number
  /** Minor units. */
  readonly amount: number
  /** How many of them were credited. */
  readonly credited: number
}

/**
 * Counts and sums per (status, reconciliation status), grouped by `by`: the whole period, the tenant's local
 * day (YYYY-MM-DD), or hotspot (id, or 'none').
 */
export async function summarizeTransactions(
  db: Executor, tenantId: string, f: TransactionFilter, by: 'total' | 'day' | 'hotspot', timeZone: string,
): Promise<ReportBucket[]> {
  const key = by === 'day' ? sql<string>`to_char(created_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`
    : by === 'hotspot' ? sql<string>`coalesce(hotspot_id::text, 'none')` : sql<string>`'total'`
  const rows = await filtered(db, tenantId, f)
    .select([
      key.as('key'), 'status', 'reconciliation_status',
      (eb) => eb.fn.countAll<number>().as('count'),
      sql<number>`coalesce(sum(amount), 0)`.as('amount'),
      sql<number>`count(credited_at)`.as('credited'),
    ])
    .groupBy([sql`1`, 'status', 'reconciliation_status']).orderBy(sql`1`).orderBy('status').orderBy('reconciliation_status').execute()
  return rows.map((r) => ({
    key: r.key, status: r.status, reconciliationStatus: r.reconciliation_status, count: Number(r.count), amount: Number(r.amount), credited: Number(r.credited),
  }))
}

/** Pushes still waiting and pushes that failed since `since`, and the items an admin still has to resolve (any age). */
export async function paymentAttentionCounts(
  db: Executor, tenantId: string, since: Date,
): Promise<{ pendingToday: number; failedToday: number; awaitingReview: number }> {
  const r = await sql<{ pending: number; failed: number; review: number }>`
    SELECT count(*) FILTER (WHERE status = 'PENDING' AND created_at >= ${since})::int AS pending,
           count(*) FILTER (WHERE status = 'FAILED' AND created_at >= ${since})::int AS failed,
           count(*) FILTER (WHERE reconciliation_status IN ('MANUAL_REVIEW', 'UNMATCHED') AND resolution IS NULL)::int AS review
    FROM transactions
    WHERE tenant_id = ${tenantId}
      AND (created_at >= ${since} OR (reconciliation_status IN ('MANUAL_REVIEW', 'UNMATCHED') AND resolution IS NULL))`.execute(db)
  const row = r.rows[0]!
  return { pendingToday: row.pending, failedToday: row.failed, awaitingReview: row.review }
}
