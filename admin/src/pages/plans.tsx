/** Plans on sale (and archived ones on request); owners create, edit and archive them. */
import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Badge, Button } from '@mnetifi/ui'
import { unwrap } from '@mnetifi/ui/api'
import { formatDuration } from '@mnetifi/db/domain'
import { api } from '../api/client.js'
import { keys, usePlans } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { Icon } from '../components/icon.js'
import { PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatBytes, formatMoney } from '../lib/format.js'
import { PlanFormDialog } from './plans/plan-form.js'

type Plan = NonNullable<ReturnType<typeof usePlans>['data']>['items'][number]

export function PlansPage() {
  const [showArchived, setShowArchived] = useState(false)
  const plans = usePlans(showArchived)
  const { isOwner } = usePermissions()
  const [editing, setEditing] = useState<Plan | 'new' | null>(null)
  const [archiving, setArchiving] = useState<Plan | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const archive = useMutation({
    mutationFn: (p: Plan) => unwrap(api.DELETE('/api/plans/{id}', { params: { path: { id: p.id } } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.plans })
      toast(`Plan “${archiving?.name}” archived`)
      setArchiving(null)
    },
  })
  return (
    <>
      <PageHeader
        title="Plans"
        subtitle="What customers buy: price, time and speed."
        actions={
          isOwner && (
            <Button onClick={() => setEditing('new')}>
              <Icon name="plus" /> New plan
            </Button>
          )
        }
      />
      <label className="mb-3 flex items-center gap-2 text-sm text-slate-300">
        <input
          type="checkbox"
          className="size-4 accent-cyan-500"
          checked={showArchived}
          onChange={(e) => setShowArchived(e.target.checked)}
        />
        Show archived plans
      </label>
      <DataTable
        label="Plans"
        rows={plans.data?.items}
        loading={plans.isFetching}
        error={plans.error}
        rowKey={(p) => p.id}
        empty="No plans yet. Create the first one customers can buy."
        columns={[
          { header: 'Name', primary: true, cell: (p) => p.name },
          { header: 'Price', primary: true, align: 'right', cell: (p) => formatMoney(p.price, p.currency) },
          { header: 'Duration', cell: (p) => formatDuration(p.durationSeconds) },
          { header: 'Rate limit', cell: (p) => <code className="font-mono text-cyan-200">{p.rateLimit}</code> },
          { header: 'Data cap', cell: (p) => (p.dataQuota ? formatBytes(p.dataQuota) : 'Unlimited') },
          { header: 'Sold to', cell: (p) => p.accountTypes.join(', ') },
          {
            header: 'Status',
            cell: (p) =>
              p.archivedAt ? (
                <Badge>Archived</Badge>
              ) : p.isActive ? (
                <Badge tone="success">On sale</Badge>
              ) : (
                <Badge tone="warning">Hidden</Badge>
              ),
          },
          ...(isOwner
            ? [
                {
                  header: 'Actions',
                  align: 'right' as const,
                  cell: (p: Plan) =>
                    p.archivedAt ? null : (
                      <span className="inline-flex gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                          Edit
                        </Button>
                        <Button variant="ghost-danger" size="sm" onClick={() => setArchiving(p)} aria-label={`Archive ${p.name}`}>
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
        <PlanFormDialog
          key={editing === 'new' ? 'new' : editing.id}
          open
          plan={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={archiving !== null}
        title={`Archive ${archiving?.name ?? ''}?`}
        confirmLabel="Archive plan"
        onConfirm={() => archiving && archive.mutate(archiving)}
        onClose={() => {
          setArchiving(null)
          archive.reset()
        }}
        busy={archive.isPending}
        error={archive.error}
      >
        Customers can no longer buy it. Users on it keep their time until it runs out.
      </ConfirmDialog>
    </>
  )
}
