/** The ISP's own logins: add staff or co-owners, change roles, deactivate. Owners only. */
import { useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, SelectField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { useMe } from '../auth/session.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatDateTime } from '../lib/format.js'
import { FormActions } from '../components/form.js'

type AdminRow = { id: string; email: string; fullName: string; role: string; isActive: boolean }
const ROLE = { TENANT_OWNER: 'Owner', TENANT_STAFF: 'Staff' } as Record<string, string>

export function AdminsPage() {
  const admins = useQuery({ queryKey: ['admins'], queryFn: () => unwrap(api.GET('/api/admins')) })
  const me = useMe().data
  const [adding, setAdding] = useState(false)
  const [toggling, setToggling] = useState<AdminRow | null>(null)
  const qc = useQueryClient()
  const toast = useToast()
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: 'TENANT_OWNER' | 'TENANT_STAFF'; isActive?: boolean } }) =>
      unwrap(api.PATCH('/api/admins/{id}', { params: { path: { id } }, body })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['admins'] })
      toast('Saved')
      setToggling(null)
    },
    onError: (err) => toast(err.message, 'error'),
  })
  return (
    <>
      <PageHeader
        title="Admins"
        subtitle="Who can sign in to this dashboard. Staff run the day-to-day; owners also see money and settings."
        actions={
          <Button onClick={() => setAdding(true)}>
            <Icon name="plus" /> Add admin
          </Button>
        }
      />
      <DataTable
        label="Admins"
        rows={admins.data?.items}
        loading={admins.isFetching}
        error={admins.error}
        rowKey={(a) => a.id}
        columns={[
          { header: 'Name', primary: true, cell: (a) => `${a.fullName || a.email}${a.id === me?.id ? ' (you)' : ''}` },
          {
            header: 'Status',
            primary: true,
            cell: (a) => (a.isActive ? <Badge tone="success">active</Badge> : <Badge>deactivated</Badge>),
          },
          { header: 'E-mail', cell: (a) => a.email },
          {
            header: 'Role',
            cell: (a) =>
              a.id === me?.id ? (
                ROLE[a.role]
              ) : (
                <select
                  aria-label={`Role of ${a.fullName || a.email}`}
                  className="glass-input rounded-xl bg-navy-deep px-2 py-1 text-sm"
                  value={a.role}
                  onChange={(e) => update.mutate({ id: a.id, body: { role: e.target.value as 'TENANT_OWNER' | 'TENANT_STAFF' } })}
                >
                  <option value="TENANT_STAFF">Staff</option>
                  <option value="TENANT_OWNER">Owner</option>
                </select>
              ),
          },
          { header: 'Last sign-in', cell: (a) => formatDateTime(a.lastLoginAt) },
          {
            header: 'Actions',
            align: 'right',
            cell: (a) =>
              a.id === me?.id ? null : (
                <Button variant={a.isActive ? 'ghost-danger' : 'ghost'} size="sm" onClick={() => setToggling(a)}>
                  {a.isActive ? 'Deactivate' : 'Reactivate'}
                </Button>
              ),
          },
        ]}
      />
      {adding && <AddAdminDialog onClose={() => setAdding(false)} />}
      <ConfirmDialog
        open={toggling !== null}
        title={
          toggling?.isActive
            ? `Deactivate ${toggling.fullName || toggling.email}?`
            : `Reactivate ${toggling?.fullName || toggling?.email || ''}?`
        }
        confirmLabel={toggling?.isActive ? 'Deactivate' : 'Reactivate'}
        tone={toggling?.isActive ? 'danger' : 'primary'}
        onConfirm={() => toggling && update.mutate({ id: toggling.id, body: { isActive: !toggling.isActive } })}
        onClose={() => setToggling(null)}
        busy={update.isPending}
        error={update.error}
      >
        {toggling?.isActive
          ? 'They are signed out everywhere at once and cannot sign in again until reactivated.'
          : 'They can sign in again with their password.'}
      </ConfirmDialog>
    </>
  )
}

function AddAdminDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const [f, setF] = useState({ email: '', fullName: '', role: 'TENANT_STAFF' as 'TENANT_STAFF' | 'TENANT_OWNER', password: '' })
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/admins', { body: f })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['admins'] })
      toast('Admin added — give them their password in person')
      onClose()
    },
  })
  const errors = fieldErrors(save.error)
  const text = (k: 'email' | 'fullName' | 'password') => ({
    value: f[k],
    onChange: (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value })),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Dialog open onClose={onClose} title="Add an admin" size="sm">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={save.error} />
        <TextField label="E-mail" type="email" {...text('email')} error={errors.email} />
        <TextField label="Full name" {...text('fullName')} error={errors.fullName} />
        <SelectField
          label="Role"
          value={f.role}
          onChange={(e) => setF((x) => ({ ...x, role: e.target.value as typeof f.role }))}
          error={errors.role}
        >
          <option value="TENANT_STAFF">Staff — users, sessions, tickets</option>
          <option value="TENANT_OWNER">Owner — also money, plans and settings</option>
        </SelectField>
        <TextField
          label="First password"
          type="password"
          autoComplete="new-password"
          {...text('password')}
          error={errors.password}
          hint="10+ characters; they can change it after signing in"
        />
        <FormActions onCancel={onClose} busy={save.isPending}>
          Add admin
        </FormActions>
      </form>
    </Dialog>
  )
}
