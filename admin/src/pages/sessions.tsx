/** Who is online now, with usage so far; disconnect sends an RFC 5176 Disconnect-Request to the router. */
import { useState } from 'react'
import { Link } from 'react-router'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, SelectField, TextField } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatBytes, formatDateTime, formatSpan } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { HotspotOptions } from '../components/form.js'

const FILTERS = ['hotspotId', 'username'] as const
type Session = { id: number; username: string | null; hotspotName: string | null }

const OUTCOME = {
  ack: 'the router confirmed',
  nak: 'the router refused',
  timeout: 'the router did not answer',
  unavailable: 'no way to reach the router',
} as const

export function SessionsPage() {
  const state = useSearchState(FILTERS)
  const query = { ...present(state.values), limit: state.limit, offset: state.offset }
  const sessions = useQuery({
    queryKey: ['sessions', query],
    queryFn: () => unwrap(api.GET('/api/sessions/', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  })
  const [target, setTarget] = useState<Session | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const disconnect = useMutation({
    mutationFn: (s: Session) => unwrap(api.POST('/api/sessions/{id}/disconnect', { params: { path: { id: s.id } } })),
    onSuccess: async (r) => {
      setTarget(null)
      toast(`Disconnect sent: ${OUTCOME[r.result.outcome]}`, r.result.outcome === 'ack' ? 'success' : 'error')
      await qc.invalidateQueries({ queryKey: ['sessions'] })
    },
  })
  return (
    <>
      <PageHeader title="Live sessions" subtitle={`${sessions.data?.total ?? '…'} online now · refreshed every 15 s`} />
      <FilterBar>
        <SelectField label="Router" value={state.values.hotspotId} onChange={(e) => state.set({ hotspotId: e.target.value })}>
          <HotspotOptions any="All routers" />
        </SelectField>
        <TextField
          label="Username"
          value={state.values.username}
          onChange={(e) => state.set({ username: e.target.value.trim() })}
          placeholder="exact username"
        />
      </FilterBar>
      <DataTable
        label="Live sessions"
        rows={sessions.data?.items}
        loading={sessions.isFetching && !sessions.data}
        error={sessions.error}
        rowKey={(s) => String(s.id)}
        total={sessions.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="Nobody is online right now."
        columns={[
          {
            header: 'User',
            primary: true,
            cell: (s) =>
              s.userId ? (
                <Link to={`/users/${s.userId}`} className="font-medium text-cyan-200 hover:underline">
                  {s.username}
                </Link>
              ) : (
                (s.username ?? '—')
              ),
          },
          { header: 'Service', primary: true, cell: (s) => <Badge tone="info">{s.service === 'PPPOE' ? 'PPPoE' : 'Hotspot'}</Badge> },
          { header: 'Router', cell: (s) => s.hotspotName ?? s.nasIp },
          { header: 'Address', cell: (s) => <span className="font-mono text-xs">{s.framedIp ?? '—'}</span> },
          { header: 'Device', cell: (s) => <span className="font-mono text-xs">{s.macAddress ?? '—'}</span> },
          { header: 'Online for', cell: (s) => formatSpan(s.sessionTimeSeconds) },
          { header: 'Down / up', cell: (s) => `${formatBytes(s.downloadBytes)} / ${formatBytes(s.uploadBytes)}` },
          { header: 'Started', cell: (s) => formatDateTime(s.startedAt) },
          {
            header: 'Actions',
            align: 'right',
            cell: (s) => (
              <Button variant="ghost-danger" size="sm" onClick={() => setTarget(s)} aria-label={`Disconnect ${s.username ?? 'session'}`}>
                Disconnect
              </Button>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={target !== null}
        title={`Disconnect ${target?.username ?? 'this session'}?`}
        confirmLabel="Disconnect"
        onConfirm={() => target && disconnect.mutate(target)}
        onClose={() => {
          setTarget(null)
          disconnect.reset()
        }}
        busy={disconnect.isPending}
        error={disconnect.error}
      >
        The router drops the session now. If their plan still has time, the device can log in again.
      </ConfirmDialog>
    </>
  )
}
