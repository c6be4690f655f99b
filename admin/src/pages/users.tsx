/** Subscribers: server-side search by phone, name or username, filters, sort and pages; add a user. */
import { useRef, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, SelectField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { usePlans } from '../api/queries.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { SecretReveal } from '../components/secret-reveal.js'
import { formatDateTime, formatPhone, formatRelative } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { FormActions, HotspotOptions, PlanOptions, useFields } from '../components/form.js'

const FILTERS = ['search', 'status', 'accountType', 'planId', 'hotspotId', 'sort', 'order'] as const
type Query = {
  search?: string
  status?: 'ACTIVE' | 'SUSPENDED'
  accountType?: 'HOTSPOT' | 'PPPOE' | 'STATIC'
  planId?: string
  hotspotId?: string
  sort?: 'createdAt' | 'expiryTime' | 'fullName' | 'phoneNumber' | 'username'
  order?: 'asc' | 'desc'
}

export function UsersPage() {
  const state = useSearchState(FILTERS)
  const [searchText, setSearchText] = useState(state.values.search)
  // The search the list shows: set at once on Enter (and after a typing pause), before the URL catches up, so
  // the request leaves without waiting for a router navigation.
  const [committed, setCommitted] = useState(state.values.search)
  // Back/Forward change the URL's search: follow it (React's "adjust state while rendering" pattern).
  const [urlSearch, setUrlSearch] = useState(state.values.search)
  if (urlSearch !== state.values.search) {
    setUrlSearch(state.values.search)
    setCommitted(state.values.search)
    setSearchText(state.values.search)
  }
  const commitSearch = (text: string) => {
    setCommitted(text)
    state.set({ search: text })
  }
  // The API is asked once typing pauses, not on every key.
  const searchTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const onSearch = (text: string) => {
    setSearchText(text)
    clearTimeout(searchTimer.current)
    searchTimer.current = setTimeout(() => commitSearch(text.trim()), 200)
  }
  const plans = usePlans()
  const [creating, setCreating] = useState(false)
  const navigate = useNavigate()
  const query = {
    ...present({ ...state.values, search: committed }),
    limit: state.limit,
    offset: committed === state.values.search ? state.offset : 0,
  } as Query & {
    limit: number
    offset: number
  }
  const users = useQuery({
    queryKey: ['users', query],
    queryFn: () => unwrap(api.GET('/api/users/', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const planName = new Map(plans.data?.items.map((p) => [p.id, p.name]))
  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Everyone who buys from you: hotspot customers, PPPoE and static-IP subscribers."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Icon name="plus" /> Add user
          </Button>
        }
      />
      <FilterBar
        search={
          <TextField
            label="Search"
            type="search"
            placeholder="Phone, name or username"
            value={searchText}
            onChange={(e) => onSearch(e.target.value)}
            onKeyDown={(e) => {
              // Enter searches at once instead of waiting for the typing pause.
              if (e.key !== 'Enter') return
              clearTimeout(searchTimer.current)
              commitSearch(searchText.trim())
            }}
          />
        }
      >
        <SelectField label="Status" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Any status</option>
          <option value="ACTIVE">Active</option>
          <option value="SUSPENDED">Suspended</option>
        </SelectField>
        <SelectField label="Type" value={state.values.accountType} onChange={(e) => state.set({ accountType: e.target.value })}>
          <option value="">Any type</option>
          <option value="HOTSPOT">Hotspot</option>
          <option value="PPPOE">PPPoE</option>
          <option value="STATIC">Static IP</option>
        </SelectField>
        <SelectField label="Plan" value={state.values.planId} onChange={(e) => state.set({ planId: e.target.value })}>
          <PlanOptions any="Any plan" />
        </SelectField>
        <SelectField label="Router" value={state.values.hotspotId} onChange={(e) => state.set({ hotspotId: e.target.value })}>
          <HotspotOptions any="Any router" />
        </SelectField>
      </FilterBar>
      <DataTable
        label="Users"
        rows={users.data?.items}
        loading={users.isFetching}
        error={users.error}
        rowKey={(u) => u.id}
        rowHref={(u) => `/users/${u.id}`}
        total={users.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        sort={{
          sort: state.values.sort || 'createdAt',
          order: (state.values.order || (state.values.sort ? 'asc' : 'desc')) as 'asc' | 'desc',
        }}
        onSort={(sort, order) => state.set({ sort, order })}
        empty={state.values.search ? `No user matches “${state.values.search}”.` : 'No users yet.'}
        columns={[
          { header: 'Name', primary: true, sortKey: 'fullName', cell: (u) => u.fullName || u.username },
          {
            header: 'Status',
            primary: true,
            cell: (u) => <Badge tone={u.status === 'ACTIVE' ? 'success' : 'danger'}>{u.status.toLowerCase()}</Badge>,
          },
          { header: 'Phone', sortKey: 'phoneNumber', cell: (u) => formatPhone(u.phoneNumber) },
          { header: 'Username', sortKey: 'username', cell: (u) => <span className="font-mono text-xs">{u.username}</span> },
          { header: 'Type', cell: (u) => u.accountType },
          { header: 'Plan', cell: (u) => (u.currentPlanId ? (planName.get(u.currentPlanId) ?? '—') : '—') },
          {
            header: 'Expires',
            sortKey: 'expiryTime',
            cell: (u) => (u.expiryTime ? <span title={formatDateTime(u.expiryTime)}>{formatRelative(u.expiryTime)}</span> : '—'),
          },
        ]}
      />
      {creating && <CreateUserDialog onClose={() => setCreating(false)} onCreated={(id) => navigate(`/users/${id}`)} />}
    </>
  )
}

function CreateUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const qc = useQueryClient()
  const {
    values: f,
    setValues: setF,
    bind: text,
  } = useFields({
    accountType: 'HOTSPOT' as 'HOTSPOT' | 'PPPOE' | 'STATIC',
    phoneNumber: '',
    fullName: '',
    username: '',
    email: '',
    planId: '',
    hotspotId: '',
  })
  const [created, setCreated] = useState<{ id: string; password: string } | null>(null)
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/users/', {
          body: {
            accountType: f.accountType,
            ...(f.phoneNumber.trim() ? { phoneNumber: f.phoneNumber.trim() } : {}),
            ...(f.fullName.trim() ? { fullName: f.fullName.trim() } : {}),
            ...(f.username.trim() ? { username: f.username.trim() } : {}),
            ...(f.email.trim() ? { email: f.email.trim() } : {}),
            ...(f.planId ? { currentPlanId: f.planId } : {}),
            ...(f.hotspotId ? { homeHotspotId: f.hotspotId } : {}),
          },
        }),
      ),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['users'] })
      setCreated({ id: r.user.id, password: r.password })
    },
  })
  const errors = fieldErrors(save.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  if (created)
    return (
      <SecretReveal
        title="User created"
        label="Their RADIUS password (for PPPoE or a manual hotspot login):"
        secret={created.password}
        onClose={() => {
          onClose()
          onCreated(created.id)
        }}
      />
    )
  return (
    <Dialog open onClose={onClose} title="Add a user" size="md">
      <form onSubmit={submit} noValidate>
        <FormError error={save.error} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Type"
            value={f.accountType}
            onChange={(e) => setF((x) => ({ ...x, accountType: e.target.value as typeof f.accountType }))}
          >
            <option value="HOTSPOT">Hotspot</option>
            <option value="PPPOE">PPPoE</option>
            <option value="STATIC">Static IP</option>
          </SelectField>
          <TextField label="Phone" inputMode="tel" placeholder="0712 345 678" {...text('phoneNumber')} error={errors.phoneNumber} />
          <TextField label="Full name" {...text('fullName')} error={errors.fullName} />
          <TextField label="Username" {...text('username')} error={errors.username} hint="defaults to the phone number" />
          <TextField label="E-mail" type="email" {...text('email')} error={errors.email} />
          <SelectField label="Plan" {...text('planId')} error={errors.currentPlanId}>
            <PlanOptions any="No plan yet" />
          </SelectField>
          <SelectField label="Home router" {...text('hotspotId')} error={errors.homeHotspotId}>
            <HotspotOptions any="Any router" />
          </SelectField>
        </div>
        <FormActions onCancel={onClose} busy={save.isPending}>
          Add user
        </FormActions>
      </form>
    </Dialog>
  )
}
