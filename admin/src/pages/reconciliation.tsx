/**
 * Reconciliation: how many payments matched a purchase, how many did not, and the ones waiting for a person —
 * with Resolve on each (credit a customer or record a refund).
 */
import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Badge, Button, TextField } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { usePermissions } from '../auth/use-role.js'
import { DataTable } from '../components/data-table.js'
import { FilterBar, PageHeader, StatCard } from '../components/page.js'
import { formatCount, formatDateTime, formatMoney, formatPhone } from '../lib/format.js'
import { RECONCILIATION_LABEL, RECONCILIATION_TONE } from '../lib/status-tones.js'
import { useSearchState } from '../lib/use-search-state.js'
import { ResolveDialog, type ResolvableTransaction } from './resolve-dialog.js'

const FILTERS = ['from', 'to'] as const

export function ReconciliationPage() {
  const state = useSearchState(FILTERS)
  const { isOwner } = usePermissions()
  const range = {
    ...(state.values.from ? { from: new Date(`${state.values.from}T00:00:00`).toISOString() } : {}),
    ...(state.values.to ? { to: new Date(new Date(`${state.values.to}T00:00:00`).getTime() + 86_400_000).toISOString() } : {}),
  }
  const report = useQuery({
    queryKey: ['reconciliation', range],
    queryFn: () => unwrap(api.GET('/api/payments/reconciliation', { params: { query: range } })),
  })
  const query = { ...range, unresolved: 'true' as const, limit: state.limit, offset: state.offset }
  const waiting = useQuery({
    queryKey: ['transactions', query],
    queryFn: () => unwrap(api.GET('/api/payments/transactions', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const [resolving, setResolving] = useState<ResolvableTransaction | null>(null)
  const sum = (status: string) => {
    const buckets = report.data?.total.filter((b) => b.reconciliationStatus === status) ?? []
    return { count: buckets.reduce((s, b) => s + b.count, 0), amount: buckets.reduce((s, b) => s + b.amount, 0) }
  }
  const matched = sum('MATCHED')
  const unmatched = sum('UNMATCHED')
  const review = sum('MANUAL_REVIEW')
  return (
    <>
      <PageHeader title="Reconciliation" subtitle="Money M-Pesa says arrived, against what MnetiFi credited." />
      <FilterBar>
        <TextField label="From" type="date" value={state.values.from} onChange={(e) => state.set({ from: e.target.value })} />
        <TextField label="To" type="date" value={state.values.to} onChange={(e) => state.set({ to: e.target.value })} />
      </FilterBar>
      <div className="mb-5 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <StatCard label="Matched" value={formatCount(matched.count)} hint={formatMoney(matched.amount)} />
        <StatCard
          label="Unmatched"
          value={formatCount(unmatched.count)}
          hint={formatMoney(unmatched.amount)}
          tone={unmatched.count ? 'danger' : undefined}
        />
        <StatCard
          label="Manual review"
          value={formatCount(review.count)}
          hint={formatMoney(review.amount)}
          tone={review.count ? 'warning' : undefined}
        />
      </div>
      <h2 className="mb-2 text-lg font-semibold">Waiting for you</h2>
      <DataTable
        label="Payments to resolve"
        rows={waiting.data?.items}
        loading={waiting.isFetching}
        error={waiting.error}
        rowKey={(t) => t.id}
        total={waiting.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="Nothing to resolve. Every payment is accounted for."
        columns={[
          { header: 'M-Pesa code', primary: true, cell: (t) => <span className="font-mono">{t.receipt ?? '—'}</span> },
          { header: 'Amount', primary: true, align: 'right', cell: (t) => formatMoney(t.amount, t.currency) },
          {
            header: 'Why',
            cell: (t) =>
              t.reconciliationStatus ? (
                <Badge tone={RECONCILIATION_TONE[t.reconciliationStatus]}>{RECONCILIATION_LABEL[t.reconciliationStatus]}</Badge>
              ) : (
                '—'
              ),
          },
          { header: 'Note', cell: (t) => <span className="text-slate-300">{t.reconciliationNote ?? '—'}</span> },
          { header: 'Phone', cell: (t) => formatPhone(t.phone) },
          { header: 'When', cell: (t) => formatDateTime(t.createdAt) },
          ...(isOwner
            ? [
                {
                  header: 'Actions',
                  align: 'right' as const,
                  cell: (t: ResolvableTransaction) => (
                    <Button size="sm" onClick={() => setResolving(t)} aria-label={`Resolve ${t.receipt ?? 'payment'}`}>
                      Resolve
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {resolving && <ResolveDialog tx={resolving} onClose={() => setResolving(null)} />}
    </>
  )
}
