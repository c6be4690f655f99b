/** One user: who they are, their plan and expiry, every admin action, and their sessions, payments and tickets. */
import { useState, type FormEvent, type ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, Notice, SelectField, Spinner, TextAreaField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { useHotspots, usePlans } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { PageHeader, Section } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { describeEnforcement } from '../lib/enforcement.js'
import { formatBytes, formatDateTime, formatMoney, formatPhone, formatRelative, formatSpan } from '../lib/format.js'
import { useNow } from '../lib/use-now.js'
import { TicketFormDialog } from './tickets.js'
import { FormActions, useFields } from '../components/form.js'

type Action = 'edit' | 'recharge' | 'change-plan' | 'suspend' | 'activate' | 'move' | 'ticket'
const PAGE = 10

export function UserDetailPage() {
  const { id = '' } = useParams()
  const { isOwner } = usePermissions()
  const user = useUser(id)
  const now = useNow(60_000)
  const plans = usePlans(true)
  const hotspots = useHotspots()
  const [action, setAction] = useState<Action | null>(null)
  const [result, setResult] = useState<string[] | null>(null)
  if (user.error)
    return (
      <Notice tone="error" title="User not found">
        {user.error.message}
      </Notice>
    )
  const u = user.data
  if (!u)
    return (
      <div className="grid place-items-center py-24" role="status">
        <Spinner className="size-8" />
      </div>
    )
  const plan = plans.data?.items.find((p) => p.id === u.currentPlanId)
  const home = hotspots.data?.items.find((h) => h.id === u.homeHotspotId)
  const expired = u.expiryTime ? new Date(u.expiryTime).getTime() < now : true
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/users" className="text-cyan-200 hover:underline">
          ← Users
        </Link>
      </p>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {u.fullName || u.username}
            <Badge tone={u.status === 'ACTIVE' ? 'success' : 'danger'}>{u.status.toLowerCase()}</Badge>
          </span>
        }
        subtitle={`${u.accountType} · ${formatPhone(u.phoneNumber)}`}
        actions={
          <>
            {isOwner && (
              <Button size="sm" onClick={() => setAction('recharge')}>
                Recharge
              </Button>
            )}
            {isOwner && (
              <Button variant="ghost" size="sm" onClick={() => setAction('change-plan')}>
                Change plan
              </Button>
            )}
            <Button variant="ghost" size="sm" onClick={() => setAction('move')}>
              Move router
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setAction('edit')}>
              Edit
            </Button>
            {u.status === 'ACTIVE' ? (
              <Button variant="danger" size="sm" onClick={() => setAction('suspend')}>
                Suspend
              </Button>
            ) : (
              <Button variant="mpesa" size="sm" onClick={() => setAction('activate')}>
                Activate
              </Button>
            )}
          </>
        }
      />
      {result && (
        <Notice tone="success" title="Done" className="mb-4">
          <ul data-testid="action-result">
            {result.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Notice>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <Section title="Plan">
          <Facts
            items={[
              ['Plan', plan?.name ?? 'none'],
              ['Speed', plan ? <code className="font-mono text-cyan-200">{plan.rateLimit}</code> : '—'],
              ['Expires', u.expiryTime ? `${formatDateTime(u.expiryTime)} (${formatRelative(u.expiryTime)})` : 'never bought'],
              ['State', expired ? <Badge tone="warning">no time left</Badge> : <Badge tone="success">time left</Badge>],
            ]}
          />
        </Section>
        <Section title="Account">
          <Facts
            items={[
              ['Username', <span className="font-mono">{u.username}</span>],
              ['Phone', formatPhone(u.phoneNumber)],
              ['E-mail', u.email ?? '—'],
              ['Home router', home?.locationName ?? 'any'],
            ]}
          />
        </Section>
        <Section title="Notes">
          <p className="text-sm whitespace-pre-wrap text-slate-300">{u.notes || 'No notes.'}</p>
          <p className="mt-3 text-xs text-muted">Customer since {formatDateTime(u.createdAt)}</p>
        </Section>
      </div>
      <UserSessions userId={u.id} />
      <UserPayments userId={u.id} />
      <UserTickets userId={u.id} onNew={() => setAction('ticket')} />

      {action === 'ticket' && <TicketFormDialog userId={u.id} onClose={() => setAction(null)} />}
      {action && action !== 'ticket' && (
        <ActionDialog
          action={action}
          user={u}
          plans={plans.data?.items.filter((p) => !p.archivedAt) ?? []}
          hotspots={hotspots.data?.items ?? []}
          onClose={() => setAction(null)}
          onDone={(lines) => {
            setAction(null)
            setResult(lines)
          }}
        />
      )}
    </>
  )
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-400">{k}</dt>
          <dd className="min-w-0 text-right break-words">{v}</dd>
        </div>
      ))}
    </dl>
  )
}

function useUser(id: string) {
  return useQuery({ queryKey: ['users', id], queryFn: () => unwrap(api.GET('/api/users/{id}', { params: { path: { id } } })) })
}
type User = NonNullable<ReturnType<typeof useUser>['data']>
type PlanItem = NonNullable<ReturnType<typeof usePlans>['data']>['items'][number]
type HotspotItem = NonNullable<ReturnType<typeof useHotspots>['data']>['items'][number]

const TITLES: Record<Exclude<Action, 'ticket'>, string> = {
  edit: 'Edit contact details',
  recharge: 'Recharge',
  'change-plan': 'Change plan',
  suspend: 'Suspend user',
  activate: 'Activate user',
  move: 'Move to another router',
}

function ActionDialog({
  action,
  user,
  plans,
  hotspots,
  onClose,
  onDone,
}: {
  action: Exclude<Action, 'ticket'>
  user: User
  plans: PlanItem[]
  hotspots: HotspotItem[]
  onClose: () => void
  onDone: (lines: string[]) => void
}) {
  const qc = useQueryClient()
  const toast = useToast()
  const { values: f, bind: text } = useFields({
    planId: user.currentPlanId ?? plans[0]?.id ?? '',
    days: '',
    expiryTime: '',
    reason: '',
    hotspotId: hotspots.find((h) => h.id !== user.homeHotspotId)?.id ?? '',
    fullName: user.fullName,
    phoneNumber: user.phoneNumber ?? '',
    email: user.email ?? '',
    notes: user.notes,
    password: '',
  })
  const path = { params: { path: { id: user.id } } }
  const run = useMutation({
    mutationFn: async (): Promise<string[]> => {
      switch (action) {
        case 'recharge': {
          const r = await unwrap(
            api.POST('/api/users/{id}/recharge', {
              ...path,
              body: {
                ...(f.planId ? { planId: f.planId } : {}),
                ...(f.days ? { durationSeconds: Math.round(Number(f.days) * 86_400) } : {}),
              },
            }),
          )
          return [`Expires ${formatDateTime(r.user.expiryTime)}.`, ...describeEnforcement(r.enforcement)]
        }
        case 'change-plan': {
          const r = await unwrap(
            api.POST('/api/users/{id}/change-plan', {
              ...path,
              body: { planId: f.planId, ...(f.expiryTime ? { expiryTime: new Date(f.expiryTime).toISOString() } : {}) },
            }),
          )
          return [`Now on ${plans.find((p) => p.id === f.planId)?.name ?? 'the new plan'}.`, ...describeEnforcement(r.enforcement)]
        }
        case 'suspend':
          return describeEnforcement(
            (await unwrap(api.POST('/api/users/{id}/suspend', { ...path, body: f.reason ? { reason: f.reason } : {} }))).enforcement,
          )
        case 'activate':
          return describeEnforcement((await unwrap(api.POST('/api/users/{id}/activate', path))).enforcement)
        case 'move': {
          const r = await unwrap(api.POST('/api/users/{id}/move', { ...path, body: { hotspotId: f.hotspotId } }))
          return [
            `Moved to ${hotspots.find((h) => h.id === f.hotspotId)?.locationName ?? 'the new router'}.`,
            ...describeEnforcement(r.enforcement),
          ]
        }
        case 'edit': {
          await unwrap(
            api.PATCH('/api/users/{id}', {
              ...path,
              body: {
                fullName: f.fullName,
                phoneNumber: f.phoneNumber.trim() || null,
                email: f.email.trim() || null,
                notes: f.notes,
                ...(f.password ? { password: f.password } : {}),
              },
            }),
          )
          return ['Details saved.']
        }
      }
    },
    onSuccess: async (lines) => {
      await qc.invalidateQueries({ queryKey: ['users'] })
      toast(TITLES[action] + ': done')
      onDone(lines)
    },
  })
  const errors = fieldErrors(run.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    run.mutate()
  }
  const planSelect = (
    <SelectField label="Plan" {...text('planId')} error={errors.planId}>
      {plans.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} — {formatMoney(p.price, p.currency)}
        </option>
      ))}
    </SelectField>
  )
  const danger = action === 'suspend'
  return (
    <Dialog open onClose={onClose} title={TITLES[action]} size="sm">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={run.error} />
        {action === 'recharge' && (
          <>
            <p className="text-sm text-slate-300">
              Adds the plan’s time from the current expiry (or from now if it has passed). No payment is recorded.
            </p>
            {planSelect}
            <TextField
              label="Days instead of the plan’s duration"
              inputMode="decimal"
              {...text('days')}
              error={errors.durationSeconds}
              hint="optional"
            />
          </>
        )}
        {action === 'change-plan' && (
          <>
            {planSelect}
            <TextField
              label="Set the expiry exactly"
              type="datetime-local"
              {...text('expiryTime')}
              error={errors.expiryTime}
              hint="optional; otherwise the expiry stays"
            />
          </>
        )}
        {action === 'suspend' && (
          <>
            <p className="text-sm text-slate-300">
              RADIUS refuses their logins and their live sessions are disconnected now. Their remaining time is kept.
            </p>
            <TextField label="Reason" {...text('reason')} error={errors.reason} hint="for the audit log" />
          </>
        )}
        {action === 'activate' && <p className="text-sm text-slate-300">RADIUS accepts their logins again.</p>}
        {action === 'move' && (
          <>
            <p className="text-sm text-slate-300">Live sessions on the old router are disconnected; they log in again on the new one.</p>
            <SelectField label="New router" {...text('hotspotId')} error={errors.hotspotId}>
              {hotspots.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.locationName}
                </option>
              ))}
            </SelectField>
          </>
        )}
        {action === 'edit' && (
          <>
            <TextField label="Full name" {...text('fullName')} error={errors.fullName} />
            <TextField label="Phone" inputMode="tel" {...text('phoneNumber')} error={errors.phoneNumber} />
            <TextField label="E-mail" type="email" {...text('email')} error={errors.email} />
            <TextField
              label="New RADIUS password"
              type="password"
              autoComplete="new-password"
              {...text('password')}
              error={errors.password}
              hint="leave empty to keep it"
            />
            <TextAreaField label="Notes" {...text('notes')} error={errors.notes} />
          </>
        )}
        <FormActions onCancel={onClose} busy={run.isPending} variant={danger ? 'danger' : 'primary'}>
          {TITLES[action]}
        </FormActions>
      </form>
    </Dialog>
  )
}

function UserSessions({ userId }: { userId: string }) {
  const [page, setPage] = useState(1)
  const now = useNow(30_000)
  const q = useQuery({
    queryKey: ['users', userId, 'sessions', page],
    queryFn: () =>
      unwrap(api.GET('/api/users/{id}/sessions', { params: { path: { id: userId }, query: { limit: PAGE, offset: (page - 1) * PAGE } } })),
    placeholderData: keepPreviousData,
  })
  return (
    <section className="mt-6">
      <h2 className="mb-2 text-lg font-semibold">Sessions</h2>
      <DataTable
        label="Sessions"
        rows={q.data?.items}
        loading={q.isFetching}
        error={q.error}
        rowKey={(s) => String(s.id)}
        total={q.data?.total}
        page={page}
        pageSize={PAGE}
        onPage={setPage}
        empty="No sessions yet."
        columns={[
          { header: 'Started', primary: true, cell: (s) => formatDateTime(s.startedAt) },
          { header: 'State', primary: true, cell: (s) => (s.stoppedAt ? <Badge>ended</Badge> : <Badge tone="success">online</Badge>) },
          {
            header: 'Duration',
            // Accounting lags on an open session (interim updates): the clock since it started is the better figure.
            cell: (s) =>
              formatSpan(
                !s.stoppedAt && s.startedAt ? Math.max(s.sessionTimeSeconds, (now - Date.parse(s.startedAt)) / 1000) : s.sessionTimeSeconds,
              ),
          },
          { header: 'Down / up', cell: (s) => `${formatBytes(s.downloadBytes)} / ${formatBytes(s.uploadBytes)}` },
          { header: 'Device', cell: (s) => <span className="font-mono text-xs">{s.macAddress ?? '—'}</span> },
          { header: 'Ended by', cell: (s) => s.terminateCause ?? '—' },
        ]}
      />
    </section>
  )
}

function UserPayments({ userId }: { userId: string }) {
  const [page, setPage] = useState(1)
  const q = useQuery({
    queryKey: ['transactions', { userId, page }],
    queryFn: () => unwrap(api.GET('/api/payments/transactions', { params: { query: { userId, limit: PAGE, offset: (page - 1) * PAGE } } })),
    placeholderData: keepPreviousData,
  })
  return (
    <section className="mt-6">
      <h2 className="mb-2 text-lg font-semibold">Payments</h2>
      <DataTable
        label="Payments"
        rows={q.data?.items}
        loading={q.isFetching}
        error={q.error}
        rowKey={(t) => t.id}
        total={q.data?.total}
        page={page}
        pageSize={PAGE}
        onPage={setPage}
        empty="No payments yet."
        columns={[
          { header: 'When', primary: true, cell: (t) => formatDateTime(t.createdAt) },
          { header: 'Amount', primary: true, align: 'right', cell: (t) => formatMoney(t.amount, t.currency) },
          {
            header: 'Status',
            cell: (t) => (
              <Badge tone={t.status === 'COMPLETED' ? 'success' : t.status === 'FAILED' ? 'danger' : 'warning'}>
                {t.status.toLowerCase()}
              </Badge>
            ),
          },
          { header: 'M-Pesa code', cell: (t) => <span className="font-mono">{t.receipt ?? '—'}</span> },
          { header: 'Kind', cell: (t) => t.kind },
        ]}
      />
    </section>
  )
}

function UserTickets({ userId, onNew }: { userId: string; onNew: () => void }) {
  const q = useQuery({
    queryKey: ['tickets', { userId }],
    queryFn: () => unwrap(api.GET('/api/tickets/', { params: { query: { userId, limit: 50 } } })),
  })
  return (
    <section className="mt-6">
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-lg font-semibold">Tickets</h2>
        <Button variant="ghost" size="sm" onClick={onNew}>
          Open a ticket
        </Button>
      </div>
      <DataTable
        label="Tickets"
        rows={q.data?.items}
        loading={q.isFetching}
        error={q.error}
        rowKey={(t) => t.id}
        rowHref={(t) => `/tickets?open=${t.id}`}
        empty="No tickets."
        columns={[
          { header: 'Subject', primary: true, cell: (t) => t.subject || t.issueDetails.slice(0, 60) },
          {
            header: 'Status',
            primary: true,
            cell: (t) => <Badge tone={t.status === 'OPEN' ? 'warning' : 'neutral'}>{t.status.toLowerCase()}</Badge>,
          },
          { header: 'Opened', cell: (t) => formatDateTime(t.createdAt) },
        ]}
      />
    </section>
  )
}
