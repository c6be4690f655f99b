/** Vouchers: generate a batch for a plan, export it (CSV, printable PDF), find and revoke codes. */
import { useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, Notice, SelectField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { usePlans } from '../api/queries.js'
import { usePermissions } from '../auth/use-role.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { DownloadButton } from '../components/download-button.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { fetchFile } from '../lib/download.js'
import { formatDateTime } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { FormActions, PlanOptions } from '../components/form.js'

const FILTERS = ['status', 'planId', 'batchId'] as const
const STATUS_TONE = { UNUSED: 'success', REDEEMED: 'neutral', REVOKED: 'danger' } as const

export function VouchersPage() {
  const state = useSearchState(FILTERS)
  const plans = usePlans(true)
  const { isOwner } = usePermissions()
  const [generating, setGenerating] = useState(false)
  const [revoking, setRevoking] = useState<{ id: string; code: string } | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const query = { ...present(state.values), limit: state.limit, offset: state.offset } as {
    status?: 'UNUSED' | 'REDEEMED' | 'REVOKED'
    planId?: string
    batchId?: string
    limit: number
    offset: number
  }
  const vouchers = useQuery({
    queryKey: ['vouchers', query],
    queryFn: () => unwrap(api.GET('/api/vouchers/', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/vouchers/{id}/revoke', { params: { path: { id } } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['vouchers'] })
      toast('Voucher revoked')
      setRevoking(null)
    },
  })
  const planName = new Map(plans.data?.items.map((p) => [p.id, p.name]))
  return (
    <>
      <PageHeader
        title="Vouchers"
        subtitle="Printed codes for customers who pay cash."
        actions={
          isOwner && (
            <Button onClick={() => setGenerating(true)}>
              <Icon name="plus" /> Generate vouchers
            </Button>
          )
        }
      />
      <FilterBar>
        <SelectField label="Status" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Any status</option>
          <option value="UNUSED">Unused</option>
          <option value="REDEEMED">Redeemed</option>
          <option value="REVOKED">Revoked</option>
        </SelectField>
        <SelectField label="Plan" value={state.values.planId} onChange={(e) => state.set({ planId: e.target.value })}>
          <PlanOptions any="Any plan" />
        </SelectField>
        {state.values.batchId && (
          <div className="flex items-end">
            <Button variant="ghost" onClick={() => state.set({ batchId: '' })}>
              Showing one batch · show all
            </Button>
          </div>
        )}
      </FilterBar>
      {state.values.batchId && isOwner && <BatchExports batchId={state.values.batchId} />}
      <DataTable
        label="Vouchers"
        rows={vouchers.data?.items}
        loading={vouchers.isFetching}
        error={vouchers.error}
        rowKey={(v) => v.id}
        total={vouchers.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="No vouchers yet."
        columns={[
          { header: 'Code', primary: true, cell: (v) => <span className="font-mono tracking-wider">{v.code}</span> },
          { header: 'Status', primary: true, cell: (v) => <Badge tone={STATUS_TONE[v.status]}>{v.status.toLowerCase()}</Badge> },
          { header: 'Plan', cell: (v) => planName.get(v.planId) ?? '—' },
          {
            header: 'Batch',
            cell: (v) => (
              <button type="button" className="font-mono text-xs text-cyan-200 underline" onClick={() => state.set({ batchId: v.batchId })}>
                {v.batchId.slice(0, 8)}
              </button>
            ),
          },
          { header: 'Valid until', cell: (v) => formatDateTime(v.validUntil) },
          { header: 'Redeemed', cell: (v) => formatDateTime(v.redeemedAt) },
          ...(isOwner
            ? [
                {
                  header: 'Actions',
                  align: 'right' as const,
                  cell: (v: { id: string; code: string; status: string }) =>
                    v.status === 'UNUSED' ? (
                      <Button variant="ghost-danger" size="sm" onClick={() => setRevoking(v)} aria-label={`Revoke ${v.code}`}>
                        Revoke
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {generating && (
        <GenerateDialog
          onClose={() => setGenerating(false)}
          onGenerated={(batchId) => {
            setGenerating(false)
            state.set({ batchId, status: '', planId: '' })
          }}
        />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.code ?? ''}?`}
        confirmLabel="Revoke voucher"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(null)}
        busy={revoke.isPending}
        error={revoke.error}
      >
        Nobody will be able to redeem this code.
      </ConfirmDialog>
    </>
  )
}

function BatchExports({ batchId }: { batchId: string }) {
  return (
    <Notice tone="info" className="mb-4" title="This batch">
      <div className="mt-2 flex flex-wrap gap-2">
        <DownloadButton path={`/api/vouchers/batches/${batchId}/export.csv`} name={`vouchers-${batchId}.csv`} label="Export CSV" />
        <DownloadButton path={`/api/vouchers/batches/${batchId}/export.pdf`} name={`vouchers-${batchId}.pdf`} label="Printable PDF" />
        <PrintButton batchId={batchId} />
      </div>
    </Notice>
  )
}

/** Opens the batch's PDF in the browser's viewer and its print dialog (cut along the lines, hand out). */
function PrintButton({ batchId }: { batchId: string }) {
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  return (
    <Button
      variant="ghost"
      busy={busy}
      onClick={async () => {
        setBusy(true)
        // Opened before the await: browsers only allow pop-ups in direct answer to a click.
        const win = window.open('', '_blank')
        try {
          const blob = await fetchFile(`/api/vouchers/batches/${batchId}/export.pdf`)
          if (win) {
            win.location.href = URL.createObjectURL(blob)
            win.addEventListener('load', () => win.print(), { once: true })
          }
        } catch (err) {
          win?.close()
          toast(err instanceof Error ? err.message : 'Could not open the PDF', 'error')
        } finally {
          setBusy(false)
        }
      }}
    >
      Print
    </Button>
  )
}

function GenerateDialog({ onClose, onGenerated }: { onClose: () => void; onGenerated: (batchId: string) => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const [planId, setPlanId] = useState('')
  const [count, setCount] = useState('20')
  const [validUntil, setValidUntil] = useState('')
  const generate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/vouchers/batches', {
          body: { planId, count: Number(count), ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59`).toISOString() } : {}) },
        }),
      ),
    onSuccess: async (batch) => {
      await qc.invalidateQueries({ queryKey: ['vouchers'] })
      toast(`${batch.vouchers.length} vouchers generated`)
      onGenerated(batch.batchId)
    },
  })
  const errors = fieldErrors(generate.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    generate.mutate()
  }
  return (
    <Dialog open onClose={onClose} title="Generate vouchers" size="sm">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={generate.error} />
        <SelectField label="Plan" value={planId} onChange={(e) => setPlanId(e.target.value)} error={errors.planId}>
          <PlanOptions any="Choose a plan" />
        </SelectField>
        <TextField
          label="How many"
          inputMode="numeric"
          value={count}
          onChange={(e) => setCount(e.target.value)}
          error={errors.count}
          hint="1 to 1,000"
        />
        <TextField
          label="Valid until"
          type="date"
          value={validUntil}
          onChange={(e) => setValidUntil(e.target.value)}
          error={errors.validUntil}
          hint="optional"
        />
        <FormActions onCancel={onClose} busy={generate.isPending}>
          {generate.isPending ? 'Generating…' : 'Generate'}
        </FormActions>
      </form>
    </Dialog>
  )
}
