/** Routers (hotspots): their RADIUS identity, status, and the secret the router must be configured with. */
import { useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { keys, useHotspots } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { PageHeader } from '../components/page.js'
import { SecretReveal } from '../components/secret-reveal.js'
import { useToast } from '../components/toast.js'
import { formatRelative } from '../lib/format.js'
import { FormActions } from '../components/form.js'

type Hotspot = NonNullable<ReturnType<typeof useHotspots>['data']>['items'][number]

const STATUS_TONE = { ONLINE: 'success', OFFLINE: 'danger', UNKNOWN: 'neutral' } as const

export function HotspotsPage() {
  const hotspots = useHotspots()
  const { isOwner } = usePermissions()
  const [editing, setEditing] = useState<Hotspot | 'new' | null>(null)
  const [rotating, setRotating] = useState<Hotspot | null>(null)
  const [archiving, setArchiving] = useState<Hotspot | null>(null)
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const rotate = useMutation({
    mutationFn: (h: Hotspot) => unwrap(api.POST('/api/hotspots/{id}/rotate-secret', { params: { path: { id: h.id } } })),
    onSuccess: (r) => {
      setRotating(null)
      setSecret({ name: r.hotspot.locationName, value: r.radiusSecret })
    },
  })
  const archive = useMutation({
    mutationFn: (h: Hotspot) => unwrap(api.DELETE('/api/hotspots/{id}', { params: { path: { id: h.id } } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.hotspots })
      toast('Hotspot archived')
      setArchiving(null)
    },
  })
  return (
    <>
      <PageHeader
        title="Hotspots"
        subtitle="Your MikroTik routers. Each talks RADIUS to MnetiFi with its own secret."
        actions={
          isOwner && (
            <Button onClick={() => setEditing('new')}>
              <Icon name="plus" /> Add hotspot
            </Button>
          )
        }
      />
      <DataTable
        label="Hotspots"
        rows={hotspots.data?.items}
        loading={hotspots.isFetching}
        error={hotspots.error}
        rowKey={(h) => h.id}
        rowHref={(h) => `/hotspots/${h.id}`}
        empty="No routers yet. Add your first MikroTik to start selling Wi-Fi."
        columns={[
          { header: 'Location', primary: true, cell: (h) => h.locationName },
          {
            header: 'Status',
            primary: true,
            cell: (h) => <Badge tone={STATUS_TONE[h.connectivityStatus]}>{h.connectivityStatus.toLowerCase()}</Badge>,
          },
          { header: 'NAS address', cell: (h) => <code className="font-mono">{h.nasIp}</code> },
          { header: 'Last heard', cell: (h) => formatRelative(h.lastSeenAt) },
          {
            header: 'Router API',
            cell: (h) => (h.routerApi.ip ? `${h.routerApi.ip}:${h.routerApi.port}${h.routerApi.tls ? ' (TLS)' : ''}` : 'not set'),
          },
          ...(isOwner
            ? [
                {
                  header: 'Actions',
                  align: 'right' as const,
                  cell: (h: Hotspot) => (
                    <span className="inline-flex flex-wrap justify-end gap-1">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(h)} aria-label={`Edit ${h.locationName}`}>
                        Edit
                      </Button>
                      <Button variant="ghost" size="sm" onClick={() => setRotating(h)} aria-label={`New secret for ${h.locationName}`}>
                        New secret
                      </Button>
                      <Button variant="ghost-danger" size="sm" onClick={() => setArchiving(h)} aria-label={`Archive ${h.locationName}`}>
                        Archive
                      </Button>
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <HotspotFormDialog
          key={editing === 'new' ? 'new' : editing.id}
          hotspot={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSecret={(name, value) => setSecret({ name, value })}
        />
      )}
      <ConfirmDialog
        open={rotating !== null}
        title={`New RADIUS secret for ${rotating?.locationName ?? ''}?`}
        confirmLabel="Rotate secret"
        onConfirm={() => rotating && rotate.mutate(rotating)}
        onClose={() => setRotating(null)}
        busy={rotate.isPending}
        error={rotate.error}
      >
        The old secret stops working at once: the router cannot log anyone in until you enter the new one under /radius.
      </ConfirmDialog>
      <ConfirmDialog
        open={archiving !== null}
        title={`Archive ${archiving?.locationName ?? ''}?`}
        confirmLabel="Archive hotspot"
        onConfirm={() => archiving && archive.mutate(archiving)}
        onClose={() => setArchiving(null)}
        busy={archive.isPending}
        error={archive.error}
      >
        MnetiFi stops answering this router’s RADIUS requests. Its history stays in the reports.
      </ConfirmDialog>
      <SecretReveal
        title={`RADIUS secret of ${secret?.name ?? ''}`}
        label="Enter it on the router under /radius (secret=…)."
        secret={secret?.value ?? null}
        onClose={() => setSecret(null)}
      />
    </>
  )
}

interface HotspotForm {
  locationName: string
  nasIp: string
  nasIdentifier: string
  coaPort: string
  acctInterimInterval: string
  macAuthEnabled: boolean
  requireMessageAuthenticator: boolean
  apiIp: string
  apiPort: string
  apiTls: boolean
  apiUser: string
  apiPassword: string
}

function HotspotFormDialog({
  hotspot,
  onClose,
  onSecret,
}: {
  hotspot: Hotspot | null
  onClose: () => void
  onSecret: (name: string, secret: string) => void
}) {
  const [f, setF] = useState<HotspotForm>(() => ({
    locationName: hotspot?.locationName ?? '',
    nasIp: hotspot?.nasIp ?? '',
    nasIdentifier: hotspot?.nasIdentifier ?? '',
    coaPort: String(hotspot?.coaPort ?? 3799),
    acctInterimInterval: hotspot?.acctInterimInterval ? String(hotspot.acctInterimInterval) : '',
    macAuthEnabled: hotspot?.macAuthEnabled ?? false,
    requireMessageAuthenticator: hotspot?.requireMessageAuthenticator ?? true,
    apiIp: hotspot?.routerApi.ip ?? '',
    apiPort: String(hotspot?.routerApi.port ?? 8728),
    apiTls: hotspot?.routerApi.tls ?? false,
    apiUser: hotspot?.routerApi.user ?? '',
    apiPassword: '',
  }))
  const qc = useQueryClient()
  const toast = useToast()
  const body = () => ({
    locationName: f.locationName.trim(),
    nasIp: f.nasIp.trim(),
    nasIdentifier: f.nasIdentifier.trim() || null,
    coaPort: Number(f.coaPort),
    acctInterimInterval: f.acctInterimInterval.trim() ? Number(f.acctInterimInterval) : null,
    macAuthEnabled: f.macAuthEnabled,
    requireMessageAuthenticator: f.requireMessageAuthenticator,
    routerApi: {
      ip: f.apiIp.trim() || null,
      port: Number(f.apiPort),
      tls: f.apiTls,
      user: f.apiUser.trim() || null,
      ...(f.apiPassword ? { password: f.apiPassword } : {}),
    },
  })
  const save = useMutation({
    mutationFn: async () => {
      if (hotspot) {
        await unwrap(api.PATCH('/api/hotspots/{id}', { params: { path: { id: hotspot.id } }, body: body() }))
        return null
      }
      return unwrap(api.POST('/api/hotspots/', { body: body() }))
    },
    onSuccess: async (created) => {
      await qc.invalidateQueries({ queryKey: keys.hotspots })
      toast(hotspot ? 'Hotspot saved' : 'Hotspot added')
      onClose()
      if (created) onSecret(created.hotspot.locationName, created.radiusSecret)
    },
  })
  const errors = fieldErrors(save.error)
  const text = (k: keyof HotspotForm) => ({
    value: f[k] as string,
    onChange: (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value })),
  })
  const check = (k: keyof HotspotForm) => ({
    checked: f[k] as boolean,
    onChange: (e: { target: { checked: boolean } }) => setF((x) => ({ ...x, [k]: e.target.checked })),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Dialog open onClose={onClose} title={hotspot ? `Edit ${hotspot.locationName}` : 'Add a hotspot'} size="lg">
      <form onSubmit={submit} noValidate>
        <FormError error={save.error} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Location name" {...text('locationName')} error={errors.locationName} placeholder="Kibera Market" />
          <TextField
            label="NAS address"
            {...text('nasIp')}
            error={errors.nasIp}
            hint="the address RADIUS packets come from (tunnel address)"
            placeholder="10.8.0.2"
          />
          <TextField
            label="NAS-Identifier"
            {...text('nasIdentifier')}
            error={errors.nasIdentifier}
            hint="optional; the router’s identity"
          />
          <TextField label="CoA port" inputMode="numeric" {...text('coaPort')} error={errors.coaPort} />
          <TextField
            label="Interim interval (s)"
            inputMode="numeric"
            {...text('acctInterimInterval')}
            error={errors.acctInterimInterval}
            hint="empty = the plan’s or 300 s"
          />
        </div>
        <div className="mt-4 flex flex-col gap-2 text-sm">
          <label className="flex items-center gap-3">
            <input type="checkbox" className="size-5 accent-cyan-500" {...check('macAuthEnabled')} /> Log returning devices in by MAC
            address
          </label>
          <label className="flex items-center gap-3">
            <input type="checkbox" className="size-5 accent-cyan-500" {...check('requireMessageAuthenticator')} /> Require
            Message-Authenticator (protects against forged packets)
          </label>
        </div>
        <fieldset className="mt-5 rounded-2xl border border-white/10 p-4">
          <legend className="px-2 text-sm font-semibold">RouterOS API (for suspend, move and disconnect)</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField label="API address" {...text('apiIp')} error={errors['routerApi.ip']} />
            <TextField
              label="API port"
              inputMode="numeric"
              {...text('apiPort')}
              error={errors['routerApi.port']}
              hint="8728, or 8729 with TLS"
            />
            <TextField label="API user" {...text('apiUser')} error={errors['routerApi.user']} autoComplete="off" />
            <TextField
              label="API password"
              type="password"
              autoComplete="new-password"
              {...text('apiPassword')}
              error={errors['routerApi.password']}
              hint={hotspot?.routerApi.passwordSet ? 'stored; leave empty to keep it' : 'stored encrypted, never shown again'}
            />
          </div>
          <label className="mt-3 flex items-center gap-3 text-sm">
            <input type="checkbox" className="size-5 accent-cyan-500" {...check('apiTls')} /> API-SSL (TLS)
          </label>
        </fieldset>
        <FormActions onCancel={onClose} busy={save.isPending}>
          {hotspot ? 'Save hotspot' : 'Add hotspot'}
        </FormActions>
      </form>
    </Dialog>
  )
}
