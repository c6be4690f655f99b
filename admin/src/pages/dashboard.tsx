/** The first screen: money in, people online, what needs attention, who to call before their plan ends. */
import { lazy, Suspense, useMemo } from 'react'
import { Link } from 'react-router'
import { useQuery } from '@tanstack/react-query'
import { Notice, Spinner } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { PageHeader, Section, StatCard } from '../components/page.js'
import { formatCount, formatMoney, formatPhone, formatSpan } from '../lib/format.js'

// uPlot arrives after the figures: the numbers draw first, the charts a moment later.
const Chart = lazy(() => import('../components/chart.js').then((m) => ({ default: m.Chart })))
const chartFallback = <div className="h-[220px] animate-pulse rounded-2xl bg-white/5" />

export function DashboardPage() {
  const q = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => unwrap(api.GET('/api/reports/dashboard')),
    refetchInterval: 30_000,
  })
  const d = q.data
  const revenueSeries = useMemo(
    () => (d?.revenue ? [{ label: 'Revenue', values: d.revenue.byDay.map((x) => x.amount / 100), color: '#22d3ee' }] : []),
    [d],
  )
  const revenueDays = useMemo(() => d?.revenue?.byDay.map((x) => x.day) ?? [], [d])
  const sessionSeries = useMemo(
    () =>
      d
        ? [
            { label: 'Sessions', values: d.sessions.byDay.map((x) => x.sessions), color: '#a78bfa' },
            { label: 'Unique users', values: d.sessions.byDay.map((x) => x.uniqueUsers), color: '#f472b6' },
          ]
        : [],
    [d],
  )
  const sessionDays = useMemo(() => d?.sessions.byDay.map((x) => x.day) ?? [], [d])
  const shillings = useMemo(() => (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Math.round(v))), [])

  if (q.error)
    return (
      <Notice tone="error" title="The dashboard could not load">
        {q.error.message}
      </Notice>
    )
  if (!d)
    return (
      <div className="grid place-items-center py-24" role="status">
        <Spinner className="size-8" />
        <span className="sr-only">Loading…</span>
      </div>
    )
  const money = (minor: number) => formatMoney(minor, d.currency)
  return (
    <div data-testid="dashboard-ready">
      <PageHeader title="Dashboard" subtitle={`Today, ${d.today} · ${d.timezone}`} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {d.revenue ? (
          <>
            <StatCard label="Revenue today" value={money(d.revenue.today)} />
            <StatCard label="This week" value={money(d.revenue.week)} hint="since Monday" />
            <StatCard label="This month" value={money(d.revenue.month)} />
          </>
        ) : null}
        <StatCard
          label="Online now"
          value={formatCount(d.sessions.activeNow)}
          hint={
            <Link to="/sessions" className="underline">
              live sessions
            </Link>
          }
        />
        <StatCard
          label="Payments waiting"
          value={formatCount(d.payments.pendingToday)}
          hint="M-Pesa prompts sent today, not yet answered"
        />
        <StatCard
          label="Failed today"
          value={formatCount(d.payments.failedToday)}
          tone={d.payments.failedToday ? 'warning' : undefined}
          hint="cancelled, timed out or declined"
        />
        <StatCard
          label="Awaiting review"
          value={formatCount(d.payments.awaitingReview)}
          tone={d.payments.awaitingReview ? 'danger' : undefined}
          hint={
            <Link to="/reconciliation" className="underline">
              reconciliation
            </Link>
          }
        />
        <StatCard label="Expiring in 5 days" value={formatCount(d.expiringSoon.total)} />
      </div>

      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        {d.revenue && (
          <Section title={`Revenue per day (${d.currency}), last 30 days`}>
            <Suspense fallback={chartFallback}>
              <Chart
                days={revenueDays}
                series={revenueSeries}
                kind="bars"
                formatValue={shillings}
                summary={`Revenue per day over the last 30 days; total ${money(d.revenue.byDay.reduce((s, x) => s + x.amount, 0))}.`}
              />
            </Suspense>
          </Section>
        )}
        <Section title="Sessions, last 14 days">
          <Suspense fallback={chartFallback}>
            <Chart
              days={sessionDays}
              series={sessionSeries}
              formatValue={(v) => formatCount(Math.round(v))}
              summary={`Sessions per day over the last 14 days; ${formatCount(d.sessions.byDay.reduce((s, x) => s + x.sessions, 0))} in total.`}
            />
          </Suspense>
        </Section>
      </div>

      <Section
        className="mt-4"
        title={`Expiring in the next ${d.expiringSoon.windowDays} days`}
        actions={
          d.expiringSoon.total > d.expiringSoon.items.length ? (
            <Link to="/reports?tab=expiring" className="text-sm text-cyan-200 underline">
              All {formatCount(d.expiringSoon.total)}
            </Link>
          ) : null
        }
      >
        {d.expiringSoon.items.length === 0 ? (
          <p className="py-4 text-muted">Nobody’s plan ends in the next {d.expiringSoon.windowDays} days.</p>
        ) : (
          <ul className="divide-y divide-white/5">
            {d.expiringSoon.items.map((u) => (
              <li key={u.userId} className="flex items-center justify-between gap-3 py-2.5">
                <div className="min-w-0">
                  <Link to={`/users/${u.userId}`} className="font-medium text-cyan-200 hover:underline">
                    {u.fullName || u.username}
                  </Link>
                  <p className="truncate text-sm text-muted">
                    {formatPhone(u.phoneNumber)} · {u.planName ?? 'no plan'}
                  </p>
                </div>
                <span className="shrink-0 text-sm text-warning">in {formatSpan(u.secondsLeft)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  )
}
