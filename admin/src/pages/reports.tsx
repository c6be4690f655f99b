/**
 * Reports over a date range (the tenant's local days): revenue per day/plan/router, performance (sessions and
 * unique users), usage (bytes moved), vouchers, and who expires soon — each with a chart and its CSV export.
 */
import { useMemo } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Notice, SelectField, Spinner, TextField, cn } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { addDays, daysBetween, localDay } from '@mnetifi/db/domain'
import { api } from '../api/client.js'
import { useTenant } from '../api/queries.js'
import { Chart } from '../components/chart.js'
import { DataTable } from '../components/data-table.js'
import { DownloadButton } from '../components/download-button.js'
import { FilterBar, PageHeader, Section, StatCard } from '../components/page.js'
import { formatBytes, formatCount, formatMoney, formatPhone, formatSpan } from '../lib/format.js'
import { useSearchState } from '../lib/use-search-state.js'

const TABS = [
  ['revenue', 'Revenue'],
  ['performance', 'Performance'],
  ['usage', 'Usage'],
  ['vouchers', 'Vouchers'],
  ['expiring', 'Expiring soon'],
] as const
type Tab = (typeof TABS)[number][0]
const FILTERS = ['tab', 'from', 'to', 'groupBy'] as const

export function ReportsPage() {
  const state = useSearchState(FILTERS)
  const tenant = useTenant()
  const tz = tenant.data?.timezone ?? 'Africa/Nairobi'
  const today = localDay(new Date(), tz)
  const tab = (TABS.some(([t]) => t === state.values.tab) ? state.values.tab : 'revenue') as Tab
  const from = state.values.from || addDays(today, -29)
  const to = state.values.to || today
  return (
    <>
      <PageHeader title="Reports" subtitle={`Local days in ${tz}.`} />
      <div role="tablist" aria-label="Reports" className="mb-4 flex gap-1 overflow-x-auto rounded-2xl bg-black/20 p-1">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => state.set({ tab: t, groupBy: '' })}
            className={cn(
              'shrink-0 rounded-xl px-4 py-2 text-sm font-medium',
              tab === t ? 'bg-white/12 text-white' : 'text-slate-300 hover:text-white',
            )}
          >
            {label}
          </button>
        ))}
      </div>
      {tab !== 'expiring' && (
        <FilterBar>
          <TextField label="From" type="date" value={from} max={to} onChange={(e) => state.set({ from: e.target.value })} />
          <TextField label="To" type="date" value={to} min={from} onChange={(e) => state.set({ to: e.target.value })} />
          {tab === 'revenue' && (
            <SelectField label="Group by" value={state.values.groupBy || 'day'} onChange={(e) => state.set({ groupBy: e.target.value })}>
              <option value="day">Day</option>
              <option value="plan">Plan</option>
              <option value="hotspot">Router</option>
            </SelectField>
          )}
          {tab === 'performance' && (
            <SelectField label="Table" value={state.values.groupBy || 'day'} onChange={(e) => state.set({ groupBy: e.target.value })}>
              <option value="day">Per day</option>
              <option value="hotspot">Per router</option>
              <option value="service">Hotspot vs PPPoE</option>
            </SelectField>
          )}
        </FilterBar>
      )}
      <div role="tabpanel">
        {tab === 'revenue' && <RevenueReport from={from} to={to} groupBy={(state.values.groupBy || 'day') as 'day' | 'plan' | 'hotspot'} />}
        {tab === 'performance' && (
          <PerformanceReport
            from={from}
            to={to}
            groupBy={(state.values.groupBy || 'day') as 'day' | 'hotspot' | 'service'}
            mode="performance"
          />
        )}
        {tab === 'usage' && <PerformanceReport from={from} to={to} groupBy="day" mode="usage" />}
        {tab === 'vouchers' && <VoucherReport from={from} to={to} />}
        {tab === 'expiring' && <ExpiringReport />}
      </div>
    </>
  )
}

/** The JSON variant of a report (the same routes answer CSV as a string with ?format=csv). */
function json<T>(answer: T): Exclude<T, string> {
  if (typeof answer === 'string') throw new Error('Expected JSON, got CSV')
  return answer as Exclude<T, string>
}

function Loading({ error }: { error: unknown }) {
  if (error)
    return (
      <Notice tone="error" title="The report could not load">
        {error instanceof Error ? error.message : ''}
      </Notice>
    )
  return (
    <div className="grid place-items-center py-16" role="status">
      <Spinner className="size-8" />
    </div>
  )
}

function RevenueReport({ from, to, groupBy }: { from: string; to: string; groupBy: 'day' | 'plan' | 'hotspot' }) {
  const q = useQuery({
    queryKey: ['reports', 'revenue', from, to, groupBy],
    queryFn: async () => json(await unwrap(api.GET('/api/reports/revenue', { params: { query: { from, to, groupBy } } }))),
  })
  const r = q.data
  const days = useMemo(() => (r && groupBy === 'day' ? r.rows.map((x) => x.key ?? '') : []), [r, groupBy])
  const series = useMemo(
    () => (r && groupBy === 'day' ? [{ label: 'Revenue', values: r.rows.map((x) => x.amount / 100), color: '#22d3ee' }] : []),
    [r, groupBy],
  )
  if (!r) return <Loading error={q.error} />
  return (
    <>
      <div className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3">
        <StatCard label="Revenue" value={formatMoney(r.totals.amount, r.currency)} />
        <StatCard label="Payments" value={formatCount(r.totals.payments)} />
        <StatCard
          label="Average payment"
          value={r.totals.payments ? formatMoney(Math.round(r.totals.amount / r.totals.payments), r.currency) : '—'}
        />
      </div>
      {groupBy === 'day' && r.rows.length > 0 && (
        <Section title="Revenue per day" className="mb-4">
          <Chart
            days={days}
            series={series}
            kind="bars"
            formatValue={(v) => formatCount(Math.round(v))}
            summary={`Revenue per day, ${formatMoney(r.totals.amount, r.currency)} in total.`}
          />
        </Section>
      )}
      <div className="mb-2 flex justify-end">
        <DownloadButton
          path="/api/reports/revenue"
          query={{ from, to, groupBy, format: 'csv' }}
          name={`revenue-${from}-${to}.csv`}
          label="Export CSV"
        />
      </div>
      <DataTable
        label="Revenue"
        rows={r.rows}
        rowKey={(x) => x.key ?? 'none'}
        empty="No completed payments in this period."
        columns={[
          {
            header: groupBy === 'day' ? 'Day' : groupBy === 'plan' ? 'Plan' : 'Router',
            primary: true,
            cell: (x) => x.label ?? 'not recorded',
          },
          { header: 'Amount', primary: true, align: 'right', cell: (x) => formatMoney(x.amount, r.currency) },
          { header: 'Payments', align: 'right', cell: (x) => formatCount(x.payments) },
        ]}
      />
    </>
  )
}

function PerformanceReport({
  from,
  to,
  groupBy,
  mode,
}: {
  from: string
  to: string
  groupBy: 'day' | 'hotspot' | 'service'
  mode: 'performance' | 'usage'
}) {
  const q = useQuery({
    queryKey: ['reports', 'performance', from, to],
    queryFn: async () => json(await unwrap(api.GET('/api/reports/performance', { params: { query: { from, to } } }))),
  })
  const r = q.data
  const days = useMemo(() => daysBetween(from, to), [from, to])
  const series = useMemo(() => {
    if (!r) return []
    const byDay = new Map(r.byDay.map((d) => [d.day, d]))
    type Day = (typeof r.byDay)[number]
    const pick = (f: (d: Day) => number) =>
      days.map((day) => {
        const d = byDay.get(day)
        return d ? f(d) : 0
      })
    return mode === 'performance'
      ? [
          { label: 'Sessions', values: pick((d) => d.sessions), color: '#a78bfa' },
          { label: 'Unique users', values: pick((d) => d.uniqueUsers), color: '#f472b6' },
        ]
      : [
          { label: 'Download (GB)', values: pick((d) => d.downloadBytes / 1e9), color: '#22d3ee' },
          { label: 'Upload (GB)', values: pick((d) => d.uploadBytes / 1e9), color: '#34d399' },
        ]
  }, [r, mode, days])
  if (!r) return <Loading error={q.error} />
  const t = r.totals
  type Row = {
    key: string
    label: string
    sessions: number
    uniqueUsers: number
    uploadBytes: number
    downloadBytes: number
    sessionTimeSeconds: number
  }
  const rows: Row[] =
    groupBy === 'hotspot'
      ? r.byHotspot.map((h) => ({ key: h.nasIp, label: h.hotspotName ?? h.nasIp, ...h }))
      : groupBy === 'service'
        ? r.byService.map((s) => ({ key: s.service, label: s.service === 'PPPOE' ? 'PPPoE' : 'Hotspot', ...s }))
        : r.byDay.map((d) => ({ key: d.day, label: d.day, ...d }))
  return (
    <>
      <div className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {mode === 'performance' ? (
          <>
            <StatCard label="Sessions" value={formatCount(t.sessions)} />
            <StatCard label="Unique users" value={formatCount(t.uniqueUsers)} />
            <StatCard label="Online time" value={formatSpan(t.sessionTimeSeconds)} />
            <StatCard label="Per session" value={t.sessions ? formatSpan(t.sessionTimeSeconds / t.sessions) : '—'} />
          </>
        ) : (
          <>
            <StatCard label="Downloaded" value={formatBytes(t.downloadBytes)} />
            <StatCard label="Uploaded" value={formatBytes(t.uploadBytes)} />
            <StatCard label="Per user" value={t.uniqueUsers ? formatBytes((t.downloadBytes + t.uploadBytes) / t.uniqueUsers) : '—'} />
            <StatCard label="Sessions" value={formatCount(t.sessions)} />
          </>
        )}
      </div>
      {r.byDay.length > 0 && (
        <Section title={mode === 'performance' ? 'Sessions per day' : 'Data per day'} className="mb-4">
          <Chart
            days={days}
            series={series}
            formatValue={(v) => (mode === 'performance' ? formatCount(Math.round(v)) : v.toFixed(1))}
            integer={mode === 'performance'}
            summary={
              mode === 'performance'
                ? `${formatCount(t.sessions)} sessions by ${formatCount(t.uniqueUsers)} users.`
                : `${formatBytes(t.downloadBytes)} downloaded, ${formatBytes(t.uploadBytes)} uploaded.`
            }
          />
        </Section>
      )}
      <div className="mb-2 flex justify-end">
        <DownloadButton
          path="/api/reports/performance"
          query={{ from, to, groupBy, format: 'csv' }}
          name={`${mode}-${from}-${to}.csv`}
          label="Export CSV"
        />
      </div>
      <DataTable
        label={mode === 'performance' ? 'Performance' : 'Usage'}
        rows={rows}
        rowKey={(x) => x.key}
        empty="No sessions in this period."
        columns={[
          { header: groupBy === 'day' ? 'Day' : groupBy === 'hotspot' ? 'Router' : 'Service', primary: true, cell: (x) => x.label },
          ...(mode === 'performance'
            ? [
                { header: 'Sessions', primary: true, align: 'right' as const, cell: (x: Row) => formatCount(x.sessions) },
                { header: 'Unique users', align: 'right' as const, cell: (x: Row) => formatCount(x.uniqueUsers) },
                { header: 'Online time', align: 'right' as const, cell: (x: Row) => formatSpan(x.sessionTimeSeconds) },
              ]
            : [
                { header: 'Download', primary: true, align: 'right' as const, cell: (x: Row) => formatBytes(x.downloadBytes) },
                { header: 'Upload', align: 'right' as const, cell: (x: Row) => formatBytes(x.uploadBytes) },
                { header: 'Users', align: 'right' as const, cell: (x: Row) => formatCount(x.uniqueUsers) },
              ]),
        ]}
      />
    </>
  )
}

function VoucherReport({ from, to }: { from: string; to: string }) {
  const q = useQuery({
    queryKey: ['reports', 'vouchers', from, to],
    queryFn: async () => json(await unwrap(api.GET('/api/reports/vouchers', { params: { query: { from, to } } }))),
  })
  const r = q.data
  const days = useMemo(() => daysBetween(from, to), [from, to])
  const series = useMemo(() => {
    const byDay = new Map(r?.byDay.map((d) => [d.day, d.redeemed]))
    return r ? [{ label: 'Redeemed', values: days.map((d) => byDay.get(d) ?? 0), color: '#fbbf24' }] : []
  }, [r, days])
  if (!r) return <Loading error={q.error} />
  return (
    <>
      <div className="mb-4 grid grid-cols-2 gap-3">
        <StatCard label="Generated" value={formatCount(r.generated)} />
        <StatCard label="Redeemed" value={formatCount(r.redeemed)} />
      </div>
      {r.byDay.length > 0 && (
        <Section title="Redeemed per day" className="mb-4">
          <Chart days={days} series={series} kind="bars" integer summary={`${r.redeemed} vouchers redeemed.`} />
        </Section>
      )}
      <div className="mb-2 flex justify-end">
        <DownloadButton
          path="/api/reports/vouchers"
          query={{ from, to, format: 'csv' }}
          name={`vouchers-${from}-${to}.csv`}
          label="Export CSV"
        />
      </div>
      <DataTable
        label="Vouchers by plan"
        rows={r.byPlan}
        rowKey={(x) => x.planId}
        empty="No vouchers redeemed in this period."
        columns={[
          { header: 'Plan', primary: true, cell: (x) => x.planName },
          { header: 'Redeemed', primary: true, align: 'right', cell: (x) => formatCount(x.redeemed) },
        ]}
      />
    </>
  )
}

function ExpiringReport() {
  const state = useSearchState(['days'] as const)
  const days = Number(state.values.days) || 5
  const query = { days, limit: state.limit, offset: state.offset }
  const q = useQuery({
    queryKey: ['reports', 'expiring', query],
    queryFn: async () => json(await unwrap(api.GET('/api/reports/expiring-soon', { params: { query } }))),
  })
  return (
    <>
      <FilterBar>
        <SelectField label="Within" value={String(days)} onChange={(e) => state.set({ days: e.target.value })}>
          {[1, 3, 5, 7, 14, 30].map((d) => (
            <option key={d} value={d}>
              {d} day{d > 1 ? 's' : ''}
            </option>
          ))}
        </SelectField>
        <div className="flex items-end">
          <DownloadButton
            path="/api/reports/expiring-soon"
            query={{ days: String(days), limit: '1000', format: 'csv' }}
            name={`expiring-${days}d.csv`}
            label="Export CSV"
          />
        </div>
      </FilterBar>
      <DataTable
        label="Expiring soon"
        rows={q.data?.items}
        loading={q.isFetching}
        error={q.error}
        rowKey={(x) => x.userId}
        rowHref={(x) => `/users/${x.userId}`}
        total={q.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty={`Nobody’s plan ends in the next ${days} days.`}
        columns={[
          { header: 'Name', primary: true, cell: (x) => x.fullName || x.username },
          { header: 'Ends in', primary: true, cell: (x) => <span className="text-warning">{formatSpan(x.secondsLeft)}</span> },
          { header: 'Phone', cell: (x) => formatPhone(x.phoneNumber) },
          { header: 'Plan', cell: (x) => x.planName ?? '—' },
          { header: 'Price', align: 'right', cell: (x) => (x.planPrice === null ? '—' : formatMoney(x.planPrice)) },
          {
            header: 'Call',
            cell: (x) =>
              x.phoneNumber ? (
                <a href={`tel:+${x.phoneNumber}`} className="text-cyan-200 underline">
                  call
                </a>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </>
  )
}
