/** Support tickets: open, assign, add notes, close with a resolution, reopen — every change kept in the history. */
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Dialog, SelectField, Spinner, TextAreaField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { useMe } from '../auth/session.js'
import { usePermissions } from '../auth/use-role.js'
import { DataTable } from '../components/data-table.js'
import { FormError } from '../components/form-error.js'
import { Icon } from '../components/icon.js'
import { FilterBar, PageHeader } from '../components/page.js'
import { useToast } from '../components/toast.js'
import { formatDateTime } from '../lib/format.js'
import { present, useSearchState } from '../lib/use-search-state.js'
import { FormActions } from '../components/form.js'

const FILTERS = ['status', 'assigneeId', 'open'] as const

/** Owners can list the team to pick an assignee; staff can take a ticket themselves. */
function useAssignees() {
  const { isOwner } = usePermissions()
  const me = useMe().data
  const admins = useQuery({ queryKey: ['admins'], queryFn: () => unwrap(api.GET('/api/admins')), enabled: isOwner })
  if (isOwner) return (admins.data?.items ?? []).filter((a) => a.isActive).map((a) => ({ id: a.id, name: a.fullName || a.email }))
  return me ? [{ id: me.id, name: `${me.fullName || me.email} (me)` }] : []
}

export function TicketsPage() {
  const state = useSearchState(FILTERS)
  const assignees = useAssignees()
  const [creating, setCreating] = useState(false)
  const { open, ...filters } = state.values
  const query = { ...present(filters), limit: state.limit, offset: state.offset } as {
    status?: 'OPEN' | 'CLOSED'
    assigneeId?: string
    limit: number
    offset: number
  }
  const tickets = useQuery({
    queryKey: ['tickets', query],
    queryFn: () => unwrap(api.GET('/api/tickets/', { params: { query } })),
    placeholderData: keepPreviousData,
  })
  const names = new Map(assignees.map((a) => [a.id, a.name]))
  return (
    <>
      <PageHeader
        title="Tickets"
        subtitle="Customer problems and what was done about them."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Icon name="plus" /> New ticket
          </Button>
        }
      />
      <FilterBar>
        <SelectField label="Status" value={state.values.status} onChange={(e) => state.set({ status: e.target.value })}>
          <option value="">Open and closed</option>
          <option value="OPEN">Open</option>
          <option value="CLOSED">Closed</option>
        </SelectField>
        <SelectField label="Assigned to" value={state.values.assigneeId} onChange={(e) => state.set({ assigneeId: e.target.value })}>
          <option value="">Anyone</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
      </FilterBar>
      <DataTable
        label="Tickets"
        rows={tickets.data?.items}
        loading={tickets.isFetching}
        error={tickets.error}
        rowKey={(t) => t.id}
        rowHref={(t) => `/tickets?open=${t.id}`}
        total={tickets.data?.total}
        page={state.page}
        pageSize={state.limit}
        onPage={state.setPage}
        empty="No tickets. Open one when a customer calls."
        columns={[
          { header: 'Subject', primary: true, cell: (t) => t.subject || t.issueDetails.slice(0, 60) },
          {
            header: 'Status',
            primary: true,
            cell: (t) => <Badge tone={t.status === 'OPEN' ? 'warning' : 'neutral'}>{t.status.toLowerCase()}</Badge>,
          },
          { header: 'Assigned to', cell: (t) => (t.assigneeId ? (names.get(t.assigneeId) ?? 'a colleague') : 'nobody') },
          {
            header: 'Customer',
            cell: (t) =>
              t.userId ? (
                <Link to={`/users/${t.userId}`} className="text-cyan-200 underline">
                  view user
                </Link>
              ) : (
                '—'
              ),
          },
          { header: 'Opened', cell: (t) => formatDateTime(t.createdAt) },
        ]}
      />
      {creating && <TicketFormDialog onClose={() => setCreating(false)} />}
      {open && <TicketDialog id={open} assignees={assignees} onClose={() => state.set({ open: '' })} />}
    </>
  )
}

/** Opens a ticket (optionally for a user). */
export function TicketFormDialog({ userId, onClose }: { userId?: string; onClose: () => void }) {
  const assignees = useAssignees()
  const qc = useQueryClient()
  const toast = useToast()
  const [f, setF] = useState({ subject: '', issueDetails: '', assigneeId: '' })
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/tickets/', {
          body: {
            subject: f.subject,
            issueDetails: f.issueDetails,
            ...(userId ? { userId } : {}),
            ...(f.assigneeId ? { assigneeId: f.assigneeId } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['tickets'] })
      toast('Ticket opened')
      onClose()
    },
  })
  const errors = fieldErrors(save.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Dialog open onClose={onClose} title="New ticket">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={save.error} />
        <TextField
          label="Subject"
          value={f.subject}
          onChange={(e) => setF({ ...f, subject: e.target.value })}
          error={errors.subject}
          placeholder="Paid but not connected"
        />
        <TextAreaField
          label="What happened"
          value={f.issueDetails}
          onChange={(e) => setF({ ...f, issueDetails: e.target.value })}
          error={errors.issueDetails}
          rows={4}
        />
        <SelectField
          label="Assign to"
          value={f.assigneeId}
          onChange={(e) => setF({ ...f, assigneeId: e.target.value })}
          error={errors.assigneeId}
        >
          <option value="">Nobody yet</option>
          {assignees.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <FormActions onCancel={onClose} busy={save.isPending}>
          Open ticket
        </FormActions>
      </form>
    </Dialog>
  )
}

const EVENT_LABEL: Record<string, string> = {
  opened: 'Opened',
  assigned: 'Assigned',
  edited: 'Edited',
  note: 'Note',
  closed: 'Closed',
  reopened: 'Reopened',
}

function TicketDialog({ id, assignees, onClose }: { id: string; assignees: { id: string; name: string }[]; onClose: () => void }) {
  const qc = useQueryClient()
  const toast = useToast()
  const key = ['tickets', id]
  const t = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api/tickets/{id}', { params: { path: { id } } })) })
  const [note, setNote] = useState('')
  const [resolution, setResolution] = useState('')
  const path = { params: { path: { id } } }
  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: ['tickets'] })
    toast(text)
  }
  const addNote = useMutation({
    mutationFn: () => unwrap(api.POST('/api/tickets/{id}/notes', { ...path, body: { note } })),
    onSuccess: () => (setNote(''), done('Note added')),
  })
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) => unwrap(api.PATCH('/api/tickets/{id}', { ...path, body: { assigneeId } })),
    onSuccess: () => done('Assigned'),
  })
  const close = useMutation({
    mutationFn: () => unwrap(api.POST('/api/tickets/{id}/close', { ...path, body: { resolutionNotes: resolution } })),
    onSuccess: () => done('Ticket closed'),
  })
  const reopen = useMutation({
    mutationFn: () => unwrap(api.POST('/api/tickets/{id}/reopen', path)),
    onSuccess: () => done('Ticket reopened'),
  })
  const names = new Map(assignees.map((a) => [a.id, a.name]))
  const ticket = t.data
  return (
    <Dialog open onClose={onClose} title={ticket ? ticket.subject || 'Ticket' : 'Ticket'} size="lg">
      {!ticket ? (
        <Spinner />
      ) : (
        <div className="flex flex-col gap-5">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <Badge tone={ticket.status === 'OPEN' ? 'warning' : 'neutral'}>{ticket.status.toLowerCase()}</Badge>
            <span className="text-muted">opened {formatDateTime(ticket.createdAt)}</span>
          </div>
          <p className="whitespace-pre-wrap">{ticket.issueDetails}</p>
          <SelectField
            label="Assigned to"
            value={ticket.assigneeId ?? ''}
            onChange={(e) => assign.mutate(e.target.value || null)}
            error={fieldErrors(assign.error).assigneeId}
          >
            <option value="">Nobody</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
          <section>
            <h3 className="mb-2 text-sm font-semibold text-slate-300">History</h3>
            <ol className="flex flex-col gap-2 border-l border-white/15 pl-4">
              {ticket.history.map((e) => (
                <li key={e.id} className="text-sm">
                  <span className="font-semibold">{EVENT_LABEL[e.event] ?? e.event}</span>
                  <span className="text-muted"> · {formatDateTime(e.createdAt)}</span>
                  {typeof e.detail.note === 'string' && <p className="mt-0.5 whitespace-pre-wrap text-slate-200">{e.detail.note}</p>}
                  {typeof e.detail.resolutionNotes === 'string' && (
                    <p className="mt-0.5 whitespace-pre-wrap text-slate-200">{e.detail.resolutionNotes}</p>
                  )}
                  {e.event === 'assigned' && (
                    <p className="mt-0.5 text-slate-300">
                      to {typeof e.detail.to === 'string' ? (names.get(e.detail.to) ?? 'a colleague') : 'nobody'}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          </section>
          {ticket.status === 'OPEN' ? (
            <>
              <form
                onSubmit={(e) => {
                  e.preventDefault()
                  addNote.mutate()
                }}
                className="flex flex-col gap-2"
              >
                <TextAreaField
                  label="Add a note"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  error={fieldErrors(addNote.error).note}
                  rows={2}
                />
                <Button type="submit" variant="ghost" busy={addNote.isPending} className="self-end" disabled={!note.trim()}>
                  Add note
                </Button>
              </form>
              <form
                onSubmit={(e) => {
                  e.preventDefault()
                  close.mutate()
                }}
                className="flex flex-col gap-2"
              >
                <TextAreaField
                  label="Resolution"
                  value={resolution}
                  onChange={(e) => setResolution(e.target.value)}
                  error={fieldErrors(close.error).resolutionNotes}
                  rows={2}
                  hint="what fixed it"
                />
                <Button type="submit" busy={close.isPending} className="self-end" disabled={!resolution.trim()}>
                  Close ticket
                </Button>
              </form>
            </>
          ) : (
            <Button variant="ghost" busy={reopen.isPending} onClick={() => reopen.mutate()} className="self-end">
              Reopen
            </Button>
          )}
        </div>
      )}
    </Dialog>
  )
}
