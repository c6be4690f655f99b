/**
 * OAuth tokens shared by every process through Redis. Daraja's FAQ says a new token invalidates the previous
 * one (digest §1.2), so workers and API replicas must not each fetch their own: the first to need one takes a
 * short Redis lock and fetches, the others wait for the key. In-process callers are single-flighted on top.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { DarajaTokenCache } from './oauth.js'

/** Options of {@link createRedisDarajaTokenCache}. */
export interface RedisTokenCacheOptions {
  /** Key prefix. @defaultValue 'mnetifi:daraja-token:' */
  readonly prefix?: string
  /** Refresh this long before expiry, in ms. @defaultValue 300000 (5 min), capped at 10 % of the lifetime */
  readonly earlyRefreshMs?: number
  /** How long a fetcher may hold the lock, in ms. @defaultValue 15000 */
  readonly lockMs?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A {@link DarajaTokenCache} whose tokens live in Redis (keys hold the token with a TTL). */
export function createRedisDarajaTokenCache(redis: Redis, options: RedisTokenCacheOptions = {}): DarajaTokenCache {
  const prefix = options.prefix ?? 'mnetifi:daraja-token:'
  const lockMs = options.lockMs ?? 15_000
  const inflight = new Map<string, Promise<string>>()
  let fetchCount = 0
  // The key names the consumer key; hash it so Redis never holds a credential.
  const keyOf = (key: string) => `${prefix}${createHash('sha256').update(key).digest('hex').slice(0, 32)}`

  async function obtain(key: string, fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>, staleToken?: string): Promise<string> {
    const k = keyOf(key)
    for (let waited = 0; waited < lockMs + 5000; waited += 100) {
      const cached = await redis.get(k)
      if (cached && cached !== staleToken) return cached
      const owner = randomUUID()
      if (await redis.set(`${k}:lock`, owner, 'PX', lockMs, 'NX')) {
        try {
          // Another process may have refreshed between our GET and our lock.
          const again = await redis.get(k)
          if (again && again !== staleToken) return again
          fetchCount++
          const { token, expiresInSeconds } = await fetchToken()
          const ttl = expiresInSeconds * 1000 - Math.min(options.earlyRefreshMs ?? 300_000, expiresInSeconds * 100)
          await redis.set(k, token, 'PX', Math.max(1000, Math.floor(ttl)))
          return token
        } finally {
          // Release only our own lock.
          await redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, `${k}:lock`, owner)
        }
      }
      await sleep(100)
    }
    throw new Error('timed out waiting for another process to fetch the Daraja token')
  }

  return {
    get fetchCount() { return fetchCount },
    get(key, fetchToken, staleToken) {
      const running = inflight.get(key)
      if (running) return running
      const p = obtain(key, fetchToken, staleToken).finally(() => inflight.delete(key))
      inflight.set(key, p)
      return p
    },
  }
}
