/**
 * OAuth tokens, cached per (base URL, consumer key) until shortly before expiry and fetched once however many
 * callers ask at the same time (single flight). Daraja's FAQ says a new token invalidates the previous one, so
 * fetching one per request would break concurrent calls (digest §1.2).
 */

/** Refresh this long before Daraja's stated expiry. @defaultValue 5 minutes */
export const TOKEN_EARLY_REFRESH_MS = 5 * 60_000

interface Entry { token: string; expiresAt: number }

/** A process-wide token cache; one per worker/API process (tests create their own). */
export interface DarajaTokenCache {
  /**
   * The cached token for `key`, or the result of `fetchToken` (shared by concurrent callers).
   * `staleToken` forces a refresh when the cached token is that one (after "Invalid Access Token").
   */
  get(key: string, fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>, staleToken?: string): Promise<string>
  /** How many tokens were fetched (for tests and metrics). */
  readonly fetchCount: number
}

/** Creates an in-memory {@link DarajaTokenCache}. */
export function createDarajaTokenCache(now: () => number = Date.now): DarajaTokenCache {
  const entries = new Map<string, Entry>()
  const inflight = new Map<string, Promise<string>>()
  let fetchCount = 0
  return {
    get fetchCount() { return fetchCount },
    async get(key, fetchToken, staleToken) {
      const cached = entries.get(key)
      if (cached && cached.expiresAt > now() && cached.token !== staleToken) return cached.token
      const running = inflight.get(key)
      if (running) return running
      const p = (async () => {
        try {
          fetchCount++
          const { token, expiresInSeconds } = await fetchToken()
          // Short-lived tokens (tests) refresh at 90 % of their life instead of 5 minutes early.
          const margin = Math.min(TOKEN_EARLY_REFRESH_MS, expiresInSeconds * 100)
          entries.set(key, { token, expiresAt: now() + expiresInSeconds * 1000 - margin })
          return token
        } finally {
          inflight.delete(key)
        }
      })()
      inflight.set(key, p)
      return p
    },
  }
}
