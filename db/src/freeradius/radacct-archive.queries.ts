/**
 * Moving closed accounting out of the hot radacct into the month-partitioned archive, and retention. Platform-wide
 * by nature: the archive is partitioned by time, not by tenant (see migration 2026_12_03_500000 for why).
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'

/** Moves up to `limit` sessions that started and stopped before `before` to the archive; returns how many. */
export async function archiveClosedSessionsAcrossPlatform(db: Executor, before: Date, limit: number): Promise<number> {
  const r = await sql<{ n: number }>`SELECT radacct_archive_closed(${before}, ${limit}) AS n`.execute(db)
  return r.rows[0]!.n
}

/** Drops every archive month that ends on or before `before`; returns the partitions dropped, oldest first. */
export async function dropArchivedMonthsAcrossPlatform(db: Executor, before: Date): Promise<string[]> {
  const r = await sql<{ dropped: string[] }>`SELECT radacct_archive_drop_before(${before}) AS dropped`.execute(db)
  return r.rows[0]!.dropped
}

/** How many rows the hot table and the archive hold, and the archive's month partitions. */
export async function accountingStorageAcrossPlatform(db: Executor): Promise<{ hot: number; archived: number; months: string[] }> {
  const r = await sql<{ hot: number; archived: number; months: string[] | null }>`
    SELECT (SELECT count(*) FROM radacct) AS hot, (SELECT count(*) FROM radacct_archive) AS archived,
      (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'radacct_archive'::regclass) AS months`.execute(db)
  const row = r.rows[0]!
  return { hot: row.hot, archived: row.archived, months: row.months ?? [] }
}

/** What one archiving pass did. */
export interface ArchivePass {
  /** Sessions moved from radacct to the archive. */
  readonly moved: number
  /** Archive months dropped by retention. */
  readonly dropped: string[]
  /** False when the time budget ran out with sessions still to move (the next pass goes on). */
  readonly done: boolean
}

/**
 * One pass: moves every session that stopped more than `hotDays` ago, in batches of `batchSize` (one short
 * transaction each, so radiusd's writes are never held up for long), until none is left or `budgetMs` has
 * passed (or `stop` says so); then drops archive months older than `retentionMonths` full months before the current one (0: none).
 */
export async function archiveAccountingAcrossPlatform(
  db: Executor,
  settings: {
    hotDays: number; retentionMonths: number; batchSize?: number; budgetMs?: number
    /** Checked between batches: true ends the pass early (shutting down), as if its budget had run out. */
    stop?: () => boolean
  },
  now: Date = new Date(),
): Promise<ArchivePass> {
  const batch = settings.batchSize ?? 10_000
  const budget = settings.budgetMs ?? 60_000
  const before = new Date(now.getTime() - settings.hotDays * 86_400_000)
  const started = performance.now()
  let moved = 0
  let done = false
  while (performance.now() - started < budget && !settings.stop?.()) {
    const n = await archiveClosedSessionsAcrossPlatform(db, before, batch)
    moved += n
    if (n < batch) {
      done = true
      break
    }
  }
  const dropped = settings.retentionMonths > 0
    ? await dropArchivedMonthsAcrossPlatform(db, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - settings.retentionMonths, 1)))
    : []
  return { moved, dropped, done }
}
