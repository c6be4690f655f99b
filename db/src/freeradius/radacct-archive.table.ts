/**
 * The accounting archive (migration 2026_12_03_500000): closed sessions older than the hot window, moved out of
 * radacct into month partitions, and what they add to each user's all-time counters.
 */
import type { Selectable } from 'kysely'
import type { RadacctTable } from './radacct.table.js'

/** radacct_archive: radacct's columns in radacct's order; rows keep the radacctid they had. */
export type RadacctArchiveTable = Omit<RadacctTable, 'radacctid'> & { radacctid: number }

/** radacct_history (view): radacct UNION ALL radacct_archive — every session, live or archived. */
export type RadacctHistoryTable = RadacctArchiveTable

/** radacct_archived_totals: a user's archived sessions summed, for Max-All-Session, Max-Data and Expire-After. */
export interface RadacctArchivedTotalsTable {
  tenant_id: string | null
  username: string
  session_time: number
  octets: number
  first_login: Date | null
}
export type RadacctArchivedTotalsRow = Selectable<RadacctArchivedTotalsTable>
