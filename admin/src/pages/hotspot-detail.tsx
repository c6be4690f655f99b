/**
 * One router: its health as MnetiFi sees it (RouterOS API, WireGuard handshake, last login and last interim
 * accounting, clock and configuration drift), the one-paste setup command, the hotspot login pages, and a
 * check of live sessions against what the router reports (ghost sessions).
 */
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Notice, Spinner } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { keys, useHotspots } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { DownloadButton } from '../components/download-button.js'
import { PageHeader, Section } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatDateTime, formatRelative, formatSpan } from '../lib/format.js'

const LOGIN_FILES = ['login.html', 'rlogin.html', 'alogin.html', 'status.html'] as const

export function HotspotDetailPage() {
  const { id = '' } = useParams()
  const hotspots = useHotspots()
  const { isOwner } = usePermissions()
  const h = hotspots.data?.items.find((x) => x.id === id)
  if (hotspots.error) return <Notice tone="error">{hotspots.error.message}</Notice>
  if (!h)
    return hotspots.isPending ? (
      <div className="grid place-items-center py-24" role="status">
        <Spinner className="size-8" />
      </div>
    ) : (
      <Notice tone="error" title="Hotspot not found" />
    )
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/hotspots" className="text-cyan-200 hover:underline">
          ← Hotspots
        </Link>
      </p>
      <PageHeader title={h.locationName} subtitle={`NAS ${h.nasIp}${h.vpn.address ? ` · tunnel ${h.vpn.address}` : ''}`} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Health id={h.id} />
        {isOwner && <Setup id={h.id} />}
        <Section title="Hotspot login pages">
          <p className="mb-3 text-sm text-slate-300">Upload these to the router’s hotspot folder (the setup command does it for you).</p>
          <div className="flex flex-wrap gap-2">
            {LOGIN_FILES.map((f) => (
              <DownloadButton key={f} path={`/api/hotspots/${h.id}/hotspot-files/${f}`} name={f} label={f} />
            ))}
          </div>
        </Section>
        <SessionCheck id={h.id} />
      </div>
    </>
  )
}

function Health({ id }: { id: string }) {
  const health = useQuery({
    queryKey: ['router-health', id],
    queryFn: () => unwrap(api.GET('/api/hotspots/{id}/router-health', { params: { path: { id } } })),
    refetchInterval: 60_000,
  })
  const h = health.data
  const rows: [string, React.ReactNode][] = h
    ? [
        [
          'RouterOS API',
          h.api.reachable ? (
            <Badge tone="success">
              reachable · {h.api.identity} · v{h.api.version}
            </Badge>
          ) : (
            <span title={h.api.message}>
              <Badge tone="danger">unreachable</Badge> <span className="text-sm text-muted">{h.api.message}</span>
            </span>
          ),
        ],
        ['Router uptime', h.api.reachable ? formatSpan(h.api.uptimeSeconds) : '—'],
        ['Tunnel handshake', h.tunnelHandshakeAgeSeconds === null ? 'none yet' : `${formatSpan(h.tunnelHandshakeAgeSeconds)} ago`],
        ['Last login (auth)', h.lastLoginAt ? `${formatDateTime(h.lastLoginAt)} (${formatRelative(h.lastLoginAt)})` : 'none yet'],
        ['Last accounting', h.lastInterimAt ? `${formatDateTime(h.lastInterimAt)} (${formatRelative(h.lastInterimAt)})` : 'none yet'],
        ['Open sessions', String(h.openSessions)],
        ['Clock drift', h.clockDriftSeconds === null ? '—' : `${h.clockDriftSeconds} s`],
        [
          'Configuration',
          h.provisioningDrift === null ? (
            '—'
          ) : h.provisioningDrift.length === 0 ? (
            <Badge tone="success">as provisioned</Badge>
          ) : (
            <span className="text-warning">{h.provisioningDrift.join('; ')}</span>
          ),
        ],
      ]
    : []
  return (
    <Section
      title="Health"
      actions={
        <Button variant="ghost" size="sm" busy={health.isFetching} onClick={() => void health.refetch()}>
          Check now
        </Button>
      }
    >
      {health.error ? (
        <Notice tone="error">{health.error.message}</Notice>
      ) : !h ? (
        <Spinner />
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="router-health">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-400">{k}</dt>
              <dd className="min-w-0 text-right break-words">{v}</dd>
            </div>
          ))}
          <dt className="text-slate-400">Checked</dt>
          <dd className="text-right text-muted">{formatDateTime(h.checkedAt)}</dd>
        </dl>
      )}
    </Section>
  )
}

function Setup({ id }: { id: string }) {
  const qc = useQueryClient()
  const [copied, setCopied] = useState(false)
  const setup = useMutation({
    mutationFn: () => unwrap(api.POST('/api/hotspots/{id}/provisioning', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.hotspots }),
  })
  return (
    <Section title="One-paste setup (RouterOS 7)">
      <p className="text-sm text-slate-300">
        Generates a command to paste into the router’s terminal: it sets up the WireGuard tunnel to MnetiFi, RADIUS, the hotspot, PPPoE and
        the API user. Running it again is harmless.
      </p>
      {setup.error ? (
        <Notice tone="error" className="mt-3">
          {setup.error.message}
        </Notice>
      ) : null}
      {setup.data ? (
        <div className="mt-3 flex flex-col gap-2">
          <code data-testid="setup-command" className="glass-input block rounded-xl p-3 font-mono text-xs break-all">
            {setup.data.oneLiner}
          </code>
          <p className="text-xs text-muted">
            Tunnel address {setup.data.tunnelAddress} · the link works until {formatDateTime(setup.data.expiresAt)}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button
              variant="ghost"
              size="sm"
              onClick={() => void navigator.clipboard?.writeText(setup.data.oneLiner).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy command'}
            </Button>
            <DownloadButton path={`/api/hotspots/${id}/provisioning/script`} name="mnetifi.rsc" label="Download .rsc" />
          </div>
        </div>
      ) : (
        <Button className="mt-3" busy={setup.isPending} onClick={() => setup.mutate()}>
          Generate setup command
        </Button>
      )}
    </Section>
  )
}

function SessionCheck({ id }: { id: string }) {
  const toast = useToast()
  const [kicking, setKicking] = useState(false)
  const check = useMutation({
    mutationFn: (kickUnaccounted: boolean) =>
      unwrap(api.POST('/api/hotspots/{id}/reconcile-sessions', { params: { path: { id } }, body: { kickUnaccounted } })),
    onSuccess: (r) =>
      toast(`Checked ${r.routerSessions} router sessions: ${r.closed.length} stale closed, ${r.unaccounted.length} unaccounted`),
  })
  const r = check.data
  return (
    <Section title="Sessions on the router">
      <p className="text-sm text-slate-300">
        Compares the router’s active list with accounting: closes sessions the router no longer has, lists ones accounting never saw.
      </p>
      {check.error ? (
        <Notice tone="error" className="mt-3">
          {check.error.message}
        </Notice>
      ) : null}
      {r && (
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-400">On the router</dt>
          <dd className="text-right">{r.routerSessions}</dd>
          <dt className="text-slate-400">Open in accounting</dt>
          <dd className="text-right">{r.openRows}</dd>
          <dt className="text-slate-400">Closed as stale</dt>
          <dd className="text-right">{r.closed.length}</dd>
          <dt className="text-slate-400">Unaccounted</dt>
          <dd className="text-right">{r.unaccounted.map((u) => `${u.user} (${u.address})`).join(', ') || 'none'}</dd>
          <dt className="text-slate-400">Kicked</dt>
          <dd className="text-right">{r.kicked}</dd>
        </dl>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="ghost" size="sm" busy={check.isPending && !kicking} onClick={() => (setKicking(false), check.mutate(false))}>
          Check now
        </Button>
        {r && r.unaccounted.length > 0 && (
          <Button variant="ghost-danger" size="sm" busy={check.isPending && kicking} onClick={() => (setKicking(true), check.mutate(true))}>
            Kick unaccounted
          </Button>
        )}
      </div>
    </Section>
  )
}
