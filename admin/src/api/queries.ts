/**
 * Shared queries several pages need (plans and hotspots for pickers, the tenant for its time zone and
 * currency). One key per resource so a change on one page refreshes every other.
 */
import { useQuery } from '@tanstack/react-query'
import { unwrap } from '@mnetifi/ui/api'
import { api } from './client.js'

export const keys = {
  plans: ['plans'] as const,
  hotspots: ['hotspots'] as const,
  tenant: ['tenant'] as const,
}

export function usePlans(includeArchived = false) {
  return useQuery({
    queryKey: [...keys.plans, { includeArchived }],
    queryFn: () => unwrap(api.GET('/api/plans/', { params: { query: includeArchived ? { includeArchived: 'true' } : {} } })),
  })
}

export function useHotspots() {
  return useQuery({
    queryKey: keys.hotspots,
    queryFn: () => unwrap(api.GET('/api/hotspots/', { params: { query: { limit: 500 } } })),
  })
}

export function useTenant() {
  return useQuery({ queryKey: keys.tenant, queryFn: () => unwrap(api.GET('/api/tenant')), staleTime: 5 * 60_000 })
}
