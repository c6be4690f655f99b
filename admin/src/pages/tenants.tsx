/**
 * Platform operators: every ISP on MnetiFi, their SaaS billing state (ACTIVE / BLOCKED), onboarding a new ISP
 * with its first owner, and "act as" — choose the tenant whose dashboard the other pages show.
 */
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, SelectField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api, getActingTenant, setActingTenant } from '../api/client.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatDateTime, formatMoney } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { FormActions, useFields } from '../components/form.js'

type TenantRow = {
  id: string
  name: string
  subdomain: string
  saas: { status: 'ACTIVE' | 'BLOCKED'; blockedReason: string | null; monthlyFee: number; currency: string; paidUntil: string | null }
}

export function TenantsPage() {
  const state = useSearchState(['search', 'status'] as const)
  const query = { ...present(state.values), limit: state.limit, offset: state.offset } as {
    search?: string
    status?: 'ACTIVE' | 'BLOCKED'
    limit: number
    offset: number
  }
  const tenants = useQuery({
    queryKey: ['tenants', query],
    queryFn: () => unwrap(api.GET('/api/tenants', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const [creating, setCreating] = useState(false)
  const [editing, setEditing] = useState<TenantRow | null>(null)
  const qc = useQueryClient()
  const navigate = useNavigate()
  const acting = getActingTenant()
  const actAs = (id: string | null) => {
    setActingTenant(id)
    // Every cached answer belongs to the previous tenant.
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'tenants' })
    navigate(id ? '/' : '/tenants')
  }
  return (
    <>
      <PageHeader
        title="Tenants"
        subtitle={acting ? 'Choose another ISP, or stop acting as one.' : 'Choose an ISP to open its dashboard.'}
        actions={
          <>
            {acting && (
              <Button variant="ghost" onClick={() => actAs(null)}>
                Stop acting as an ISP
              </Button>
            )}
            <Button onClick={() => setCreating(true)}>
              <Icon name="plus" /> Onboard ISP
            </Button>
          </>
        }
      />
      <FilterBar
        search={
          <TextField
            label="Search"
            type="search"
            value={state.values.search}
            onChange={(e) => state.set({ search: e.target.value })}
            placeholder="Name or subdomain"
          />
        }
      >
        <SelectField label="Billing" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Any</option>
          <option value="ACTIVE">Active</option>
          <option value="BLOCKED">Blocked</option>
        </SelectField>
      </FilterBar>
      <DataTable
        label="Tenants"
        rows={tenants.data?.items}
        loading={tenants.isFetching}
        error={tenants.error}
        rowKey={(t) => t.id}
        total={tenants.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        columns={[
          { header: 'ISP', primary: true, cell: (t) => `${t.name}${t.id === acting ? ' (acting)' : ''}` },
          {
            header: 'Billing',
            primary: true,
            cell: (t) => <Badge tone={t.saas.status === 'ACTIVE' ? 'success' : 'danger'}>{t.saas.status.toLowerCase()}</Badge>,
          },
          { header: 'Portal', cell: (t) => <code className="font-mono text-xs">/portal/{t.subdomain}/</code> },
          { header: 'Monthly fee', cell: (t) => formatMoney(t.saas.monthlyFee, t.saas.currency) },
          { header: 'Paid until', cell: (t) => formatDateTime(t.saas.paidUntil) },
          {
            header: 'Actions',
            align: 'right',
            cell: (t) => (
              <span className="inline-flex gap-1">
                <Button size="sm" onClick={() => actAs(t.id)} aria-label={`Open the dashboard of ${t.name}`}>
                  Open
                </Button>
                <Button variant="ghost" size="sm" onClick={() => setEditing(t)} aria-label={`Billing of ${t.name}`}>
                  Billing
                </Button>
              </span>
            ),
          },
        ]}
      />
      {creating && <OnboardDialog onClose={() => setCreating(false)} />}
      {editing && <BillingDialog tenant={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

function OnboardDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const { values: f, bind: text } = useFields({ name: '', subdomain: '', email: '', fullName: '', password: '', fee: '0' })
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/tenants', {
          body: {
            name: f.name,
            subdomain: f.subdomain,
            saasMonthlyFee: Math.round(Number(f.fee) * 100),
            ...(f.email ? { owner: { email: f.email, fullName: f.fullName, password: f.password } } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['tenants'] })
      toast('ISP onboarded')
      onClose()
    },
  })
  const errors = fieldErrors(save.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Dialog open onClose={onClose} title="Onboard an ISP">
      <form onSubmit={submit} noValidate>
        <FormError error={save.error} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="ISP name" {...text('name')} error={errors.name} />
          <TextField label="Subdomain" {...text('subdomain')} error={errors.subdomain} hint="their portal: /portal/<subdomain>/" />
          <TextField label="Monthly fee (KES)" inputMode="decimal" {...text('fee')} error={errors.saasMonthlyFee} />
          <span />
          <TextField label="Owner e-mail" type="email" {...text('email')} error={errors['owner.email']} />
          <TextField label="Owner name" {...text('fullName')} error={errors['owner.fullName']} />
          <TextField
            label="Owner’s first password"
            type="password"
            autoComplete="new-password"
            {...text('password')}
            error={errors['owner.password']}
            className="sm:col-span-2"
          />
        </div>
        <FormActions onCancel={onClose} busy={save.isPending}>
          Onboard
        </FormActions>
      </form>
    </Dialog>
  )
}

function BillingDialog({ tenant, onClose }: { tenant: TenantRow; onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const [status, setStatus] = useState(tenant.saas.status)
  const [reason, setReason] = useState(tenant.saas.blockedReason ?? '')
  const [fee, setFee] = useState(String(tenant.saas.monthlyFee / 100))
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/tenants/{id}', {
          params: { path: { id: tenant.id } },
          body: {
            saasBillingStatus: status,
            saasBlockedReason: status === 'BLOCKED' ? reason || null : null,
            saasMonthlyFee: Math.round(Number(fee) * 100),
          },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['tenants'] })
      toast('Billing saved')
      onClose()
    },
  })
  const errors = fieldErrors(save.error)
  return (
    <Dialog open onClose={onClose} title={`Billing of ${tenant.name}`} size="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
        noValidate
        className="flex flex-col gap-4"
      >
        <FormError error={save.error} />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          error={errors.saasBillingStatus}
        >
          <option value="ACTIVE">Active</option>
          <option value="BLOCKED">Blocked (unpaid)</option>
        </SelectField>
        {status === 'BLOCKED' && (
          <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.saasBlockedReason} />
        )}
        <TextField
          label="Monthly fee (KES)"
          inputMode="decimal"
          value={fee}
          onChange={(e) => setFee(e.target.value)}
          error={errors.saasMonthlyFee}
        />
        <FormActions onCancel={onClose} busy={save.isPending} variant={status === 'BLOCKED' ? 'danger' : 'primary'}>
          Save
        </FormActions>
      </form>
    </Dialog>
  )
}
