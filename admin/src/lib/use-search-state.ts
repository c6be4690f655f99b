/**
 * Table state (page, sort, filters) kept in the URL's query string: a filtered list can be bookmarked,
 * shared with a colleague and survives a reload; Back steps through earlier filters.
 */
import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'

export const PAGE_SIZE = 25

/** The current values of `keys` (missing → ''), the page number (1-based) and setters. */
export function useSearchState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams()
  const values = useMemo(() => Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>, [params, keys])
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1)

  /** Changes filters (empty string removes one) and goes back to page 1. */
  const set = useCallback(
    (changes: Partial<Record<K | 'page', string>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev)
          for (const [k, v] of Object.entries(changes) as [string, string | undefined][]) {
            if (v) next.set(k, v)
            else next.delete(k)
          }
          if (!('page' in changes)) next.delete('page')
          return next
        },
        { replace: true },
      )
    },
    [setParams],
  )
  const setPage = useCallback((p: number) => set({ page: p > 1 ? String(p) : '' } as Partial<Record<K | 'page', string>>), [set])
  return { values, page, set, setPage, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }
}

/** `{ a: '', b: 'x' }` → `{ b: 'x' }`: only the filters that are set go to the API. */
export function present<T extends Record<string, string>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) as Partial<T>
}
