/**
 * A server-driven table: the API sorts, filters and pages; this only draws. Wide screens get a real <table>
 * with sortable headers; phones get one card per row (label: value), which reads better than a sideways scroll.
 */
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { GlassPanel, Notice, Spinner, cn } from '@mnetifi/ui'
import { Icon } from './icon.js'

export interface Column<T> {
  readonly header: string
  readonly cell: (row: T) => ReactNode
  /** The API's sort key; the header becomes a sort button. */
  readonly sortKey?: string
  readonly align?: 'left' | 'right'
  /** Primary columns head the phone card. */
  readonly primary?: boolean
}

export interface SortState {
  readonly sort: string
  readonly order: 'asc' | 'desc' | ''
}

export interface DataTableProps<T> {
  readonly label: string
  readonly columns: readonly Column<T>[]
  readonly rows: readonly T[] | undefined
  readonly rowKey: (row: T) => string
  readonly rowHref?: (row: T) => string
  readonly loading?: boolean
  readonly error?: unknown
  readonly empty?: ReactNode
  readonly sort?: SortState
  readonly onSort?: (sort: string, order: 'asc' | 'desc') => void
  readonly total?: number
  readonly page?: number
  readonly pageSize?: number
  readonly onPage?: (page: number) => void
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { label, columns, rows, rowKey, rowHref, loading, error, empty, sort, onSort } = props
  if (error)
    return (
      <Notice tone="error" title="Could not load">
        {error instanceof Error ? error.message : 'Please try again.'}
      </Notice>
    )
  const primary = columns.filter((c) => c.primary)
  const rest = columns.filter((c) => !c.primary)
  return (
    <GlassPanel padding="none" className="overflow-hidden">
      <div className="relative">
        {loading && (
          <div className="absolute inset-x-0 top-0 z-10 flex justify-center pt-3" role="status">
            <Spinner />
            <span className="sr-only">Loading…</span>
          </div>
        )}
        <table className={cn('hidden w-full text-left text-sm md:table', loading && 'opacity-60')} aria-label={label}>
          <thead className="border-b border-white/10 text-xs tracking-wide text-slate-300 uppercase">
            <tr>
              {columns.map((c) => (
                <th
                  key={c.header}
                  scope="col"
                  className={cn('px-4 py-3 font-semibold', c.align === 'right' && 'text-right')}
                  aria-sort={ariaSort(c, sort)}
                >
                  {c.sortKey && onSort ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 uppercase hover:text-white"
                      onClick={() => onSort(c.sortKey!, sort?.sort === c.sortKey && sort?.order === 'asc' ? 'desc' : 'asc')}
                    >
                      {c.header}
                      {sort?.sort === c.sortKey && <Icon name={sort.order === 'desc' ? 'sortDesc' : 'sortAsc'} className="size-3.5" />}
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-white/5">
            {rows?.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-white/4">
                {columns.map((c, i) => (
                  <td key={c.header} className={cn('px-4 py-3 align-middle', c.align === 'right' && 'text-right tabular-nums')}>
                    {i === 0 && rowHref ? (
                      <Link to={rowHref(row)} className="font-medium text-cyan-200 hover:underline">
                        {c.cell(row)}
                      </Link>
                    ) : (
                      c.cell(row)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <ul className={cn('divide-y divide-white/5 md:hidden', loading && 'opacity-60')} aria-label={label}>
          {rows?.map((row) => (
            <li key={rowKey(row)} className="px-4 py-3">
              <div className="flex items-start justify-between gap-3">
                {primary.map((c, i) => (
                  <div key={c.header} className={cn(i === 0 ? 'min-w-0 font-medium' : 'shrink-0 text-right')}>
                    {i === 0 && rowHref ? (
                      <Link to={rowHref(row)} className="text-cyan-200 hover:underline">
                        {c.cell(row)}
                      </Link>
                    ) : (
                      c.cell(row)
                    )}
                  </div>
                ))}
              </div>
              <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                {rest.map((c) => (
                  <div key={c.header} className="contents">
                    <dt className="text-slate-400">{c.header}</dt>
                    <dd className="min-w-0 text-right break-words">{c.cell(row)}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ul>
        {rows && rows.length === 0 && !loading && <p className="px-4 py-10 text-center text-muted">{empty ?? 'Nothing here yet.'}</p>}
        {!rows && loading && <div className="h-40" />}
      </div>
      {/* An empty table says so above; "0–0 of 0, page 1 of 1" under it would only repeat it. */}
      {props.total !== undefined && props.total > 0 && props.onPage && (
        <Pager total={props.total} page={props.page ?? 1} pageSize={props.pageSize ?? 25} onPage={props.onPage} />
      )}
    </GlassPanel>
  )
}

function ariaSort<T>(c: Column<T>, sort: SortState | undefined): 'ascending' | 'descending' | undefined {
  if (!c.sortKey || sort?.sort !== c.sortKey) return undefined
  return sort.order === 'desc' ? 'descending' : 'ascending'
}

function Pager({ total, page, pageSize, onPage }: { total: number; page: number; pageSize: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1
  const to = Math.min(total, page * pageSize)
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 border-t border-white/10 px-4 py-2.5 text-sm text-slate-300">
      <span>
        {from}–{to} of {new Intl.NumberFormat('en-KE').format(total)}
      </span>
      <span className="flex items-center gap-1">
        <button
          type="button"
          className="rounded-lg p-2 hover:bg-white/10 disabled:opacity-30"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
          aria-label="Previous page"
        >
          <Icon name="chevronLeft" />
        </button>
        <span aria-current="page">
          Page {page} of {pages}
        </span>
        <button
          type="button"
          className="rounded-lg p-2 hover:bg-white/10 disabled:opacity-30"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
          aria-label="Next page"
        >
          <Icon name="chevronRight" />
        </button>
      </span>
    </nav>
  )
}
