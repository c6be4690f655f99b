/** Every payment attempt with filters, sort, the provider's log per payment, resolve, and CSV export. */
import { useState } from 'react'
import { Link } from 'react-router'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Badge, Button, Dialog, SelectField, Spinner, TextField } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { api } from '../api/client.js'
import { usePermissions } from '../auth/use-role.js'
import { DataTable } from '../components/data-table.js'
import { DownloadButton } from '../components/download-button.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { formatDateTime, formatMoney, formatPhone } from '../lib/format.js'
import { PAYMENT_TONE, RECONCILIATION_LABEL, RECONCILIATION_TONE } from '../lib/status-tones.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { ResolveDialog, type ResolvableTransaction } from './resolve-dialog.js'
import { HotspotOptions } from '../components/form.js'

const FILTERS = ['status', 'kind', 'reconciliationStatus', 'hotspotId', 'phone', 'receipt', 'from', 'to', 'sort', 'order', 'open'] as const

/** The URL's filters → the API's query (dates are local days → instants; phones normalised). */
export function transactionQuery(v: Record<(typeof FILTERS)[number], string>) {
  const { from, to, phone, receipt, ...rest } = { ...v, open: '' }
  const normalised = phone ? tryNormalizePhoneKE(phone) : undefined
  return {
    ...present(rest),
    ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
    ...(to ? { to: new Date(new Date(`${to}T00:00:00`).getTime() + 86_400_000).toISOString() } : {}),
    ...(normalised ? { phone: normalised } : {}),
    ...(/^[A-Za-z0-9]{10}$/.test(receipt) ? { receipt } : {}),
  } as Record<string, string>
}

export function TransactionsPage() {
  const state = useSearchState(FILTERS)
  const filters = transactionQuery(state.values)
  const query = { ...filters, limit: state.limit, offset: state.offset }
  const txs = useQuery({
    queryKey: ['transactions', query],
    queryFn: () => unwrap(api.GET('/api/payments/transactions', { params: { query: query as never } })),
    placeholderData: keepPreviousData,
  })
  const csvFilters = { ...filters }
  delete csvFilters.sort
  delete csvFilters.order
  return (
    <>
      <PageHeader
        title="Transactions"
        subtitle="Every M-Pesa prompt, paybill payment and manual credit."
        actions={<DownloadButton path="/api/payments/transactions.csv" query={csvFilters} name="transactions.csv" label="Export CSV" />}
      />
      <FilterBar>
        <SelectField label="Status" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Any status</option>
          <option value="COMPLETED">Completed</option>
          <option value="PENDING">Pending</option>
          <option value="FAILED">Failed</option>
        </SelectField>
        <SelectField label="Kind" value={state.values.kind} onChange={(e) => state.set({ kind: e.target.value })}>
          <option value="">Any kind</option>
          <option value="STK_PUSH">STK push</option>
          <option value="C2B">Paybill (C2B)</option>
          <option value="MANUAL">Manual</option>
        </SelectField>
        <SelectField
          label="Reconciliation"
          value={state.values.reconciliationStatus}
          onChange={(e) => state.set({ reconciliationStatus: e.target.value })}
        >
          <option value="">Any</option>
          <option value="MATCHED">Matched</option>
          <option value="UNMATCHED">Unmatched</option>
          <option value="MANUAL_REVIEW">Manual review</option>
          <option value="NONE">Not settled</option>
        </SelectField>
        <SelectField label="Router" value={state.values.hotspotId} onChange={(e) => state.set({ hotspotId: e.target.value })}>
          <HotspotOptions any="All routers" />
        </SelectField>
        <TextField
          label="Phone"
          inputMode="tel"
          value={state.values.phone}
          onChange={(e) => state.set({ phone: e.target.value })}
          placeholder="0712 345 678"
        />
        <TextField
          label="M-Pesa code"
          value={state.values.receipt}
          onChange={(e) => state.set({ receipt: e.target.value.trim().toUpperCase() })}
          placeholder="UKQ…"
        />
        <TextField label="From" type="date" value={state.values.from} onChange={(e) => state.set({ from: e.target.value })} />
        <TextField label="To" type="date" value={state.values.to} onChange={(e) => state.set({ to: e.target.value })} />
      </FilterBar>
      <DataTable
        label="Transactions"
        rows={txs.data?.items}
        loading={txs.isFetching}
        error={txs.error}
        rowKey={(t) => t.id}
        rowHref={(t) => `?${new URLSearchParams({ ...present(state.values), open: t.id })}`}
        total={txs.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        sort={{ sort: state.values.sort || 'createdAt', order: (state.values.order || 'desc') as 'asc' | 'desc' }}
        onSort={(sort, order) => state.set({ sort, order })}
        empty="No transactions match."
        columns={[
          { header: 'When', primary: true, sortKey: 'createdAt', cell: (t) => formatDateTime(t.createdAt) },
          { header: 'Amount', primary: true, align: 'right', sortKey: 'amount', cell: (t) => formatMoney(t.amount, t.currency) },
          { header: 'Status', cell: (t) => <Badge tone={PAYMENT_TONE[t.status]}>{t.status.toLowerCase()}</Badge> },
          {
            header: 'Reconciliation',
            cell: (t) =>
              t.reconciliationStatus ? (
                <Badge tone={t.resolution ? 'neutral' : RECONCILIATION_TONE[t.reconciliationStatus]}>
                  {t.resolution ? t.resolution.toLowerCase() : RECONCILIATION_LABEL[t.reconciliationStatus]}
                </Badge>
              ) : (
                '—'
              ),
          },
          { header: 'Phone', cell: (t) => formatPhone(t.phone) },
          { header: 'M-Pesa code', cell: (t) => <span className="font-mono">{t.receipt ?? '—'}</span> },
          { header: 'Kind', cell: (t) => t.kind.replace('_', ' ').toLowerCase() },
        ]}
      />
      {state.values.open && <TransactionDialog id={state.values.open} onClose={() => state.set({ open: '' })} />}
    </>
  )
}

function TransactionDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { isOwner } = usePermissions()
  const tx = useQuery({
    queryKey: ['transactions', id],
    queryFn: () => unwrap(api.GET('/api/payments/transactions/{id}', { params: { path: { id } } })),
  })
  const [resolving, setResolving] = useState<ResolvableTransaction | null>(null)
  const t = tx.data
  const unresolved = t && (t.reconciliationStatus === 'MANUAL_REVIEW' || t.reconciliationStatus === 'UNMATCHED') && !t.resolution
  if (resolving) return <ResolveDialog tx={resolving} onClose={onClose} />
  return (
    <Dialog open onClose={onClose} title={t ? `${formatMoney(t.amount, t.currency)} · ${t.receipt ?? t.kind}` : 'Transaction'} size="lg">
      {!t ? (
        <Spinner />
      ) : (
        <div className="flex flex-col gap-4 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
            {(
              [
                ['Status', `${t.status.toLowerCase()}${t.failureReason ? ` (${t.failureReason})` : ''}`],
                ['Result', t.resultDesc ?? '—'],
                ['Phone', formatPhone(t.phone)],
                [
                  'Customer',
                  t.userId ? (
                    <Link to={`/users/${t.userId}`} className="text-cyan-200 underline">
                      view user
                    </Link>
                  ) : (
                    '—'
                  ),
                ],
                [
                  'Reconciliation',
                  t.reconciliationStatus
                    ? `${RECONCILIATION_LABEL[t.reconciliationStatus]}${t.resolution ? `, ${t.resolution.toLowerCase()}` : ''}`
                    : '—',
                ],
                ['Note', t.reconciliationNote ?? '—'],
                ['Credited', formatDateTime(t.creditedAt)],
                ['Created', formatDateTime(t.createdAt)],
              ] as const
            ).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-400">{k}</dt>
                <dd className="min-w-0 break-words">{v}</dd>
              </div>
            ))}
          </dl>
          <section>
            <h3 className="mb-2 font-semibold text-slate-300">Provider log</h3>
            <ol className="flex max-h-64 flex-col gap-2 overflow-y-auto">
              {t.providerLog.map((e, i) => (
                <li key={i} className="rounded-xl bg-black/25 p-2">
                  <p className="text-xs text-muted">
                    {formatDateTime(e.at)} · {e.kind}
                  </p>
                  <pre className="mt-1 overflow-x-auto text-xs text-slate-300">{JSON.stringify(e.data, null, 1)}</pre>
                </li>
              ))}
            </ol>
          </section>
          {unresolved && isOwner && (
            <Button className="self-end" onClick={() => setResolving(t)}>
              Resolve
            </Button>
          )}
        </div>
      )}
    </Dialog>
  )
}
