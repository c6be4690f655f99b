/** The signed-in admin's own account: who they are, and a new password (signs out their other sessions). */
import { useState, type FormEvent } from 'react'
import { useMutation } from '@tanstack/react-query'
import { Button, Notice, TextField } from '@mnetifi/ui'
import { fieldErrors, isApiError, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { useMe } from '../auth/session.js'
import { PageHeader, Section } from '../components/page.js'

export function AccountPage() {
  const me = useMe().data
  const [currentPassword, setCurrent] = useState('')
  const [newPassword, setNew] = useState('')
  const [repeat, setRepeat] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/password', { body: { currentPassword, newPassword } })),
    onSuccess: () => {
      setCurrent('')
      setNew('')
      setRepeat('')
    },
  })
  const errors = fieldErrors(change.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setMismatch(newPassword !== repeat)
    if (newPassword === repeat) change.mutate()
  }
  return (
    <>
      <PageHeader title="Your account" subtitle={me ? `${me.fullName || me.email} · ${me.email}` : ''} />
      <Section title="Change password" className="max-w-lg">
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          {change.isSuccess && <Notice tone="success">Password changed. Your other sessions were signed out.</Notice>}
          {change.error && !Object.keys(errors).length ? (
            <Notice tone="error">
              {isApiError(change.error) && change.error.code === 'INVALID_CREDENTIALS'
                ? 'The current password is wrong.'
                : change.error.message}
            </Notice>
          ) : null}
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            error={errors.currentPassword}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            error={errors.newPassword}
            hint="at least 10 characters; a few words is best"
          />
          <TextField
            label="New password again"
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            error={mismatch ? 'does not match the new password' : undefined}
          />
          <Button type="submit" busy={change.isPending} className="self-end">
            Change password
          </Button>
        </form>
      </Section>
    </>
  )
}
