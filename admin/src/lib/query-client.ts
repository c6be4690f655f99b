/**
 * The one QueryClient: a 401 anywhere means the session ended, so the cached "me" is cleared and the shell
 * shows the login page; 4xx answers are not retried (they will not change), network errors are, twice.
 */
import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query'
import { isApiError } from '@mnetifi/ui/api'

export function createQueryClient(): QueryClient {
  const onError = (err: unknown) => {
    if (isApiError(err) && err.status === 401) qc.setQueryData(['me'], null)
  }
  const qc: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
      },
    },
  })
  return qc
}
