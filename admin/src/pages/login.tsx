/** Sign in with e-mail and password (the API sets the session cookie). */
import { useState, type FormEvent } from 'react'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Button, GlassPanel, Notice, TextField } from '@mnetifi/ui'
import { fieldErrors, isApiError, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { ME_KEY, useMe } from '../auth/session.js'
import { Icon } from '../components/icon.js'

export function LoginPage() {
  const me = useMe()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const next = safeNext(params.get('next'))
  const login = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/login', { body: { email, password } })),
    onSuccess: (data) => {
      qc.setQueryData(ME_KEY, data.admin)
      navigate(next, { replace: true })
    },
  })
  if (me.data) return <Navigate to={next} replace />
  const errors = fieldErrors(login.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    login.mutate()
  }
  return (
    <main className="grid min-h-dvh place-items-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-2xl font-bold">
          <span className="accent-ink grid size-10 place-items-center rounded-2xl">
            <Icon name="sessions" className="size-6 text-white" />
          </span>
          MnetiFi
        </div>
        <GlassPanel>
          <h1 className="text-xl font-semibold">Sign in to your dashboard</h1>
          <p className="mt-1 text-sm text-muted">For ISP owners and staff.</p>
          <form className="mt-5 flex flex-col gap-4" onSubmit={submit} noValidate>
            {login.error && !Object.keys(errors).length ? (
              <Notice tone="error">
                {isApiError(login.error) && login.error.code === 'INVALID_CREDENTIALS' ? 'Wrong e-mail or password.' : login.error.message}
              </Notice>
            ) : null}
            <TextField
              label="E-mail"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={errors.email}
              required
            />
            <TextField
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.password}
              required
            />
            <Button type="submit" busy={login.isPending} className="mt-1 w-full">
              Sign in
            </Button>
          </form>
        </GlassPanel>
      </div>
    </main>
  )
}

/** Only paths inside the app: a crafted ?next=https://evil.example must not send the admin away. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/'
}
