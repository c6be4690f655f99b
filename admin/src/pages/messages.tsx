/**
 * Messages to customers (SMS, WhatsApp, e-mail) from the notification outbox: each with its status as the
 * provider reported it (queued, sent, delivered, failed with the reason), filters, retry for a failed one, and
 * what SMS cost this month.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, SelectField, TextField, type BadgeTone } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { localDay, startOfMonth, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { api } from '../api/client.js'
import { usePermissions } from '../auth/use-role.js'
import { DataTable } from '../components/data-table.js'
import { FilterBar, PageHeader, StatCard } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatCount, formatDateTime, formatPhone } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'

const FILTERS = ['status', 'channel', 'event', 'recipient'] as const
const STATUS_TONE: Record<string, BadgeTone> = {
  QUEUED: 'info',
  SENT: 'neutral',
  DELIVERED: 'success',
  FAILED: 'danger',
  CANCELLED: 'neutral',
}
const EVENTS = [
  'payment.confirmed',
  'payment.failed',
  'plan.expiring',
  'plan.expired',
  'voucher.redeemed',
  'otp.code',
  'ticket.updated',
  'payment.receipt',
  'router.silent',
]

/** Provider cost in ten-thousandths (Africa's Talking reports KES 0.8000) → "KES 0.80". */
function cost(amountE4: number, currency: string): string {
  return `${currency} ${(amountE4 / 10_000).toLocaleString('en-KE', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`
}

export function MessagesPage() {
  const state = useSearchState(FILTERS)
  const { isOwner } = usePermissions()
  const qc = useQueryClient()
  const toast = useToast()
  const { recipient, ...rest } = state.values
  const phone = recipient ? (tryNormalizePhoneKE(recipient) ?? recipient) : ''
  const query = { ...present({ ...rest, recipient: phone }), limit: state.limit, offset: state.offset } as Record<string, string | number>
  const messages = useQuery({
    queryKey: ['messages', query],
    queryFn: () => unwrap(api.GET('/api/notifications/messages', { params: { query: query as never } })),
    placeholderData: keepPreviousData,
    refetchInterval: 20_000,
  })
  const month = startOfMonth(localDay(new Date(), 'Africa/Nairobi'))
  const costs = useQuery({
    queryKey: ['messages', 'costs', month],
    queryFn: () =>
      unwrap(api.GET('/api/notifications/costs', { params: { query: { from: new Date(`${month}T00:00:00+03:00`).toISOString() } } })),
  })
  const retry = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/notifications/messages/{id}/retry', { params: { path: { id } } })),
    onSuccess: async () => {
      toast('Queued again')
      await qc.invalidateQueries({ queryKey: ['messages'] })
    },
    onError: (err) => toast(err.message, 'error'),
  })
  const sms = costs.data?.items.find((c) => c.channel === 'SMS')
  return (
    <>
      <PageHeader title="Messages" subtitle="What customers were told, and whether it reached them." />
      <div className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-3">
        <StatCard label="SMS this month" value={formatCount(sms?.messages ?? 0)} />
        <StatCard label="SMS cost this month" value={sms ? cost(sms.amountE4, sms.currency) : '—'} hint="as Africa's Talking reported it" />
      </div>
      <FilterBar
        search={
          <TextField
            label="Recipient"
            value={state.values.recipient}
            onChange={(e) => state.set({ recipient: e.target.value.trim() })}
            placeholder="0712 345 678 or e-mail"
          />
        }
      >
        <SelectField label="Status" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Any status</option>
          {['QUEUED', 'SENT', 'DELIVERED', 'FAILED', 'CANCELLED'].map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </SelectField>
        <SelectField label="Channel" value={state.values.channel} onChange={(e) => state.set({ channel: e.target.value })}>
          <option value="">Any channel</option>
          <option value="SMS">SMS</option>
          <option value="WHATSAPP">WhatsApp</option>
          <option value="EMAIL">E-mail</option>
        </SelectField>
        <SelectField label="About" value={state.values.event} onChange={(e) => state.set({ event: e.target.value })}>
          <option value="">Everything</option>
          {EVENTS.map((e) => (
            <option key={e} value={e}>
              {e.replace('.', ' ')}
            </option>
          ))}
        </SelectField>
      </FilterBar>
      <DataTable
        label="Messages"
        rows={messages.data?.items}
        loading={messages.isFetching}
        error={messages.error}
        rowKey={(m) => m.id}
        total={messages.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="No messages yet."
        columns={[
          {
            header: 'To',
            primary: true,
            cell: (m) => <span className="whitespace-nowrap">{m.channel === 'EMAIL' ? m.recipient : formatPhone(m.recipient)}</span>,
          },
          {
            header: 'Status',
            primary: true,
            cell: (m) => <Badge tone={STATUS_TONE[m.status] ?? 'neutral'}>{m.status.toLowerCase()}</Badge>,
          },
          { header: 'Channel', cell: (m) => m.channel },
          { header: 'About', cell: (m) => m.event.replace('.', ' ') },
          { header: 'Text', cell: (m) => <span className="line-clamp-2 max-w-md text-slate-300">{m.subject ?? m.body}</span> },
          { header: 'Why it failed', cell: (m) => m.failureReason ?? '—' },
          { header: 'When', cell: (m) => formatDateTime(m.createdAt) },
          ...(isOwner
            ? [
                {
                  header: 'Actions',
                  align: 'right' as const,
                  cell: (m: { id: string; status: string; recipient: string }) =>
                    m.status === 'FAILED' ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        busy={retry.isPending && retry.variables === m.id}
                        onClick={() => retry.mutate(m.id)}
                        aria-label={`Retry the message to ${m.recipient}`}
                      >
                        Retry
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </>
  )
}
