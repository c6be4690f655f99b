/** Address pools for PPPoE and static subscribers: size, how full, and who holds which address. */
import { useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Button, Dialog, SelectField, Spinner, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { useHotspots } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { PageHeader, StatCard } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatCount, formatDateTime } from '../lib/format.js'
import { FormActions, HotspotOptions, useFields } from '../components/form.js'

type Pool = {
  id: string
  name: string
  cidr: string
  size: number
  used: number
  free: number
  utilisation: number
  hotspotId: string | null
  gateway: string | null
}

export function IpPoolsPage() {
  const pools = useQuery({ queryKey: ['ip-pools'], queryFn: () => unwrap(api.GET('/api/ip-pools/')) })
  const hotspots = useHotspots()
  const { isOwner } = usePermissions()
  const [creating, setCreating] = useState(false)
  const [viewing, setViewing] = useState<Pool | null>(null)
  const [deleting, setDeleting] = useState<Pool | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const remove = useMutation({
    mutationFn: (p: Pool) => unwrap(api.DELETE('/api/ip-pools/{id}', { params: { path: { id: p.id } } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['ip-pools'] })
      toast('Pool deleted')
      setDeleting(null)
    },
  })
  const names = new Map(hotspots.data?.items.map((h) => [h.id, h.locationName]))
  const t = pools.data?.totals
  return (
    <>
      <PageHeader
        title="IP pools"
        subtitle="Addresses handed to PPPoE and static-IP subscribers."
        actions={
          isOwner && (
            <Button onClick={() => setCreating(true)}>
              <Icon name="plus" /> New pool
            </Button>
          )
        }
      />
      {t && (
        <div className="mb-4 grid grid-cols-3 gap-3">
          <StatCard label="Addresses" value={formatCount(t.size)} />
          <StatCard label="In use" value={formatCount(t.used)} />
          <StatCard label="Free" value={formatCount(t.free)} tone={t.size && t.free / t.size < 0.1 ? 'warning' : undefined} />
        </div>
      )}
      <DataTable
        label="IP pools"
        rows={pools.data?.pools}
        loading={pools.isFetching}
        error={pools.error}
        rowKey={(p) => p.id}
        empty="No pools yet."
        columns={[
          { header: 'Name', primary: true, cell: (p) => p.name },
          { header: 'Use', primary: true, align: 'right', cell: (p) => <Utilisation value={p.utilisation} /> },
          { header: 'Range', cell: (p) => <code className="font-mono">{p.cidr}</code> },
          { header: 'Used / size', cell: (p) => `${formatCount(p.used)} / ${formatCount(p.size)}` },
          { header: 'Router', cell: (p) => (p.hotspotId ? (names.get(p.hotspotId) ?? '—') : 'any') },
          {
            header: 'Actions',
            align: 'right',
            cell: (p) => (
              <span className="inline-flex gap-1">
                <Button variant="ghost" size="sm" onClick={() => setViewing(p)} aria-label={`Addresses of ${p.name}`}>
                  Addresses
                </Button>
                {isOwner && (
                  <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(p)} aria-label={`Delete ${p.name}`}>
                    Delete
                  </Button>
                )}
              </span>
            ),
          },
        ]}
      />
      {creating && <CreatePoolDialog onClose={() => setCreating(false)} />}
      {viewing && <AssignmentsDialog pool={viewing} onClose={() => setViewing(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? ''}?`}
        confirmLabel="Delete pool"
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          setDeleting(null)
          remove.reset()
        }}
        busy={remove.isPending}
        error={remove.error}
      >
        The range is forgotten. A pool with addresses still assigned cannot be deleted.
      </ConfirmDialog>
    </>
  )
}

function Utilisation({ value }: { value: number }) {
  const pct = Math.round(value * 100)
  return (
    <span className="inline-flex items-center gap-2">
      <span className="h-2 w-20 overflow-hidden rounded-full bg-white/10" aria-hidden="true">
        <span
          className={`block h-full ${pct > 90 ? 'bg-rose-400' : pct > 70 ? 'bg-amber-300' : 'bg-cyan-400'}`}
          style={{ width: `${pct}%` }}
        />
      </span>
      {pct}%
    </span>
  )
}

function CreatePoolDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const { values: f, bind: text } = useFields({ name: '', cidr: '', gateway: '', hotspotId: '' })
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/ip-pools/', {
          body: {
            name: f.name,
            cidr: f.cidr,
            ...(f.gateway ? { gateway: f.gateway } : {}),
            ...(f.hotspotId ? { hotspotId: f.hotspotId } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['ip-pools'] })
      toast('Pool created')
      onClose()
    },
  })
  const errors = fieldErrors(save.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Dialog open onClose={onClose} title="New IP pool" size="sm">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={save.error} />
        <TextField label="Name" {...text('name')} error={errors.name} placeholder="pppoe-pool" hint="the /ip pool name on the router" />
        <TextField label="Range (CIDR)" {...text('cidr')} error={errors.cidr} placeholder="10.20.0.0/24" />
        <TextField label="Gateway" {...text('gateway')} error={errors.gateway} hint="optional; never handed out" />
        <SelectField label="Router" {...text('hotspotId')} error={errors.hotspotId}>
          <HotspotOptions any="Any router" />
        </SelectField>
        <FormActions onCancel={onClose} busy={save.isPending}>
          Create pool
        </FormActions>
      </form>
    </Dialog>
  )
}

function AssignmentsDialog({ pool, onClose }: { pool: Pool; onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const key = ['ip-pools', pool.id, 'assignments']
  const q = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/ip-pools/{id}/assignments', { params: { path: { id: pool.id } } })),
  })
  const [username, setUsername] = useState('')
  const [ipAddress, setIp] = useState('')
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['ip-pools'] })
  }
  const assign = useMutation({
    mutationFn: async () => {
      // The admin knows the customer by username or phone; the API wants their id.
      const found = await unwrap(api.GET('/api/users/', { params: { query: { search: username.trim(), limit: 2 } } }))
      const user = found.items.find((u) => u.username === username.trim()) ?? (found.items.length === 1 ? found.items[0] : undefined)
      if (!user)
        throw new Error(found.items.length ? 'More than one user matches: type the exact username' : 'No user with that username or phone')
      return unwrap(
        api.POST('/api/ip-pools/{id}/assignments', {
          params: { path: { id: pool.id } },
          body: { userId: user.id, ...(ipAddress.trim() ? { ipAddress: ipAddress.trim() } : {}) },
        }),
      )
    },
    onSuccess: async (a) => {
      toast(`${a.ipAddress} assigned`)
      setUsername('')
      setIp('')
      await refresh()
    },
  })
  const release = useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE('/api/ip-pools/{id}/assignments/{userId}', { params: { path: { id: pool.id, userId } } })),
    onSuccess: async () => {
      toast('Address released')
      await refresh()
    },
  })
  const errors = fieldErrors(assign.error)
  return (
    <Dialog open onClose={onClose} title={`${pool.name} · ${pool.cidr}`} size="md">
      <form
        className="mb-5 grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault()
          assign.mutate()
        }}
        noValidate
      >
        <TextField label="User (username or phone)" value={username} onChange={(e) => setUsername(e.target.value)} error={errors.userId} />
        <TextField
          label="Address"
          value={ipAddress}
          onChange={(e) => setIp(e.target.value)}
          error={errors.ipAddress}
          hint="empty = next free"
        />
        <Button type="submit" busy={assign.isPending} disabled={!username.trim()}>
          Assign
        </Button>
      </form>
      <FormError error={assign.error && !Object.keys(errors).length ? assign.error : null} />
      {!q.data ? (
        <Spinner />
      ) : q.data.items.length === 0 ? (
        <p className="text-muted">No address assigned yet.</p>
      ) : (
        <ul className="divide-y divide-white/5 text-sm">
          {q.data.items.map((a) => (
            <li key={a.id} className="flex items-center justify-between gap-3 py-2">
              <code className="font-mono">{a.ipAddress}</code>
              <span className="min-w-0 flex-1 truncate">{a.username ?? a.userId}</span>
              <span className="hidden text-muted sm:inline">{formatDateTime(a.createdAt)}</span>
              <Button
                variant="ghost-danger"
                size="sm"
                busy={release.isPending && release.variables === a.userId}
                onClick={() => release.mutate(a.userId)}
                aria-label={`Release ${a.ipAddress}`}
              >
                Release
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  )
}
