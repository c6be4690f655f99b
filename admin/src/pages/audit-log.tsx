/** Who did what, when, with the before/after of every change. Owners only. */
import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Dialog, SelectField } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { DataTable } from '../components/data-table.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { formatDateTime } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'

const ENTITY_TYPES = ['wifi_user', 'plan', 'hotspot', 'transaction', 'voucher', 'ticket', 'admin_user', 'tenant', 'radacct', 'ip_pool']
type Entry = { id: number; action: string; before: unknown; after: unknown; createdAt: string }

export function AuditLogPage() {
  const state = useSearchState(['entityType'] as const)
  const admins = useQuery({ queryKey: ['admins'], queryFn: () => unwrap(api.GET('/api/admins')) })
  const query = { ...present(state.values), limit: state.limit, offset: state.offset }
  const log = useQuery({
    queryKey: ['audit', query],
    queryFn: () => unwrap(api.GET('/api/audit-log', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const [open, setOpen] = useState<Entry | null>(null)
  const names = new Map(admins.data?.items.map((a) => [a.id, a.fullName || a.email]))
  const items = log.data?.items
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change made through the dashboard or the API, newest first." />
      <FilterBar>
        <SelectField label="What changed" value={state.values.entityType} onChange={(e) => state.set({ entityType: e.target.value })}>
          <option value="">Everything</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t.replace('_', ' ')}
            </option>
          ))}
        </SelectField>
      </FilterBar>
      <DataTable
        label="Audit log"
        rows={items}
        loading={log.isFetching}
        error={log.error}
        rowKey={(e) => String(e.id)}
        // The API answers pages without a total: offer "next" while a page comes back full.
        total={items ? state.offset + items.length + (items.length === state.limit ? 1 : 0) : undefined}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="Nothing recorded yet."
        columns={[
          { header: 'When', primary: true, cell: (e) => formatDateTime(e.createdAt) },
          { header: 'Action', primary: true, cell: (e) => <code className="font-mono text-xs text-cyan-200">{e.action}</code> },
          { header: 'Who', cell: (e) => (e.actorId ? (names.get(e.actorId) ?? e.actorType) : e.actorType) },
          { header: 'Record', cell: (e) => `${e.entityType}${e.entityId ? ` · ${e.entityId.slice(0, 8)}` : ''}` },
          { header: 'From', cell: (e) => e.ip ?? '—' },
          {
            header: 'Details',
            align: 'right',
            cell: (e) => (
              <button type="button" className="text-cyan-200 underline" onClick={() => setOpen(e)}>
                before / after
              </button>
            ),
          },
        ]}
      />
      <Dialog open={open !== null} onClose={() => setOpen(null)} title={open?.action ?? ''} size="lg">
        <div className="grid gap-3 md:grid-cols-2">
          {(['before', 'after'] as const).map((k) => (
            <section key={k}>
              <h3 className="mb-1 text-sm font-semibold text-slate-300 capitalize">{k}</h3>
              <pre className="max-h-96 overflow-auto rounded-xl bg-black/30 p-3 text-xs">{JSON.stringify(open?.[k] ?? null, null, 2)}</pre>
            </section>
          ))}
        </div>
      </Dialog>
    </>
  )
}
