/**
 * Who is signed in: GET /api/auth/me through TanStack Query. The API's session cookie slides on every request,
 * so an admin who keeps working stays signed in; any 401 (expired, signed out elsewhere) sends them to the
 * login page. Roles decide what the navigation shows; the API still enforces them on every call.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { isApiError, unwrap } from '@mnetifi/ui/api'
import { api, setActingTenant } from '../api/client.js'

export const ME_KEY = ['me'] as const

export type Admin = Awaited<ReturnType<typeof fetchMe>>
export type Role = Admin['role']

async function fetchMe() {
  return (await unwrap(api.GET('/api/auth/me'))).admin
}

/** The signed-in admin, or null when signed out (undefined while loading). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await fetchMe()
      } catch (err) {
        if (isApiError(err) && err.status === 401) return null
        throw err
      }
    },
    staleTime: 60_000,
  })
}

/** Signs out here and on the server, and forgets every cached answer (the next admin must not see them). */
export function useSignOut() {
  const qc = useQueryClient()
  return async () => {
    try {
      await unwrap(api.POST('/api/auth/logout'))
    } finally {
      setActingTenant(null)
      qc.clear()
      qc.setQueryData(ME_KEY, null)
    }
  }
}
