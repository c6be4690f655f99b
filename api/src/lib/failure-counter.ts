/**
 * Counts failed attempts per key (a client address) in a fixed window, so a caller that keeps failing can be
 * refused before it reaches the database. Counters live in Redis when the API has one, so every replica
 * shares them; without Redis (tests of single processes, CLI tools) they live in this process.
 */
import type { Redis } from 'ioredis'
import type { FastifyBaseLogger } from 'fastify'

/** Where a key stands. */
export interface FailureCount {
  readonly failures: number
  /** Seconds until the window ends and the count resets (0 when there are no failures). */
  readonly retryAfterSeconds: number
}

/** A per-key failure counter with a fixed window. */
export interface FailureCounter {
  /** The current count for `key`. */
  check(key: string): Promise<FailureCount>
  /** Adds one failure to `key` (the first failure opens the window) and returns the new count. */
  record(key: string): Promise<FailureCount>
}

/** Options of {@link createFailureCounter}. */
export interface FailureCounterOptions {
  /** Prefix of the Redis keys, e.g. `mnetifi:portal-voucher-failures:`. */
  readonly keyPrefix: string
  /** Window length in seconds, counted from the first failure. */
  readonly windowSeconds: number
  /** Where Redis trouble is reported. */
  readonly log: Pick<FastifyBaseLogger, 'warn'>
}

// INCR and set the expiry in one step, so a crash between the two cannot leave a counter that never resets.
const RECORD_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}
`

/** Redis-backed when `redis` is given, else in-process. Redis errors fail open (count 0) and are logged. */
export function createFailureCounter(redis: Redis | null, opts: FailureCounterOptions): FailureCounter {
  return redis ? redisCounter(redis, opts) : memoryCounter(opts)
}

function redisCounter(redis: Redis, opts: FailureCounterOptions): FailureCounter {
  const none: FailureCount = Object.freeze({ failures: 0, retryAfterSeconds: 0 })
  return {
    async check(key) {
      try {
        const [[, count], [, ttl]] = (await redis.multi().get(opts.keyPrefix + key).ttl(opts.keyPrefix + key).exec()) as [[null, string | null], [null, number]]
        return { failures: Number(count ?? 0), retryAfterSeconds: Math.max(0, ttl) }
      } catch (err) {
        // Same policy as the rate limiter: Redis trouble must not lock every customer out.
        opts.log.warn({ err }, 'failure counter unavailable; not enforcing')
        return none
      }
    },
    async record(key) {
      try {
        const [n, ttl] = (await redis.eval(RECORD_SCRIPT, 1, opts.keyPrefix + key, opts.windowSeconds)) as [number, number]
        return { failures: n, retryAfterSeconds: Math.max(0, ttl) }
      } catch (err) {
        opts.log.warn({ err }, 'failure counter unavailable; not counting')
        return none
      }
    },
  }
}

function memoryCounter(opts: FailureCounterOptions): FailureCounter {
  const counts = new Map<string, { failures: number; resetAt: number }>()
  const current = (key: string, now: number) => {
    const entry = counts.get(key)
    if (entry && entry.resetAt <= now) counts.delete(key)
    return entry && entry.resetAt > now ? entry : undefined
  }
  const view = (e: { failures: number; resetAt: number } | undefined, now: number): FailureCount =>
    e ? { failures: e.failures, retryAfterSeconds: Math.ceil((e.resetAt - now) / 1000) } : { failures: 0, retryAfterSeconds: 0 }
  return {
    async check(key) {
      const now = Date.now()
      return view(current(key, now), now)
    },
    async record(key) {
      const now = Date.now()
      // Keeps memory bounded under a spray of addresses: drop closed windows once the map grows.
      if (counts.size > 10_000) for (const [k, e] of counts) if (e.resetAt <= now) counts.delete(k)
      const entry = current(key, now) ?? { failures: 0, resetAt: now + opts.windowSeconds * 1000 }
      entry.failures += 1
      counts.set(key, entry)
      return view(entry, now)
    },
  }
}
