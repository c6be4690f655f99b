/**
 * Logging of dropped datagrams without letting a flood become a log flood: one line per (source address, reason)
 * per interval, carrying how many were dropped since the last line. The table of recent sources is bounded, so
 * a flood from many (spoofed) addresses cannot grow memory: past the bound, drops are only summed, and that sum is
 * logged once per interval. Every drop is counted in the metrics whatever is logged.
 */
import type { Logger } from 'pino'
import type { DropReason } from './metrics.js'

export interface DropLog {
  /** Notes one drop of a datagram from `address`; logs now if this (address, reason) is not muted. */
  dropped(address: string, reason: DropReason, detail?: Readonly<Record<string, unknown>>, now?: number): void
  /** Forgets entries older than the interval and logs the overflow sum; call it periodically. */
  sweep(now?: number): void
  /** Entries in the table (for tests). */
  readonly size: number
}

export interface DropLogOptions {
  /** One line per (address, reason) per this many ms. @defaultValue 60000 */
  readonly intervalMs?: number
  /** Most (address, reason) pairs remembered. @defaultValue 1024 */
  readonly maxEntries?: number
}

export function createDropLog(log: Logger, options: DropLogOptions = {}): DropLog {
  const intervalMs = options.intervalMs ?? 60_000
  const maxEntries = options.maxEntries ?? 1024
  // key → time of the last line and drops since it (not yet logged).
  const recent = new Map<string, { at: number; muted: number }>()
  let overflow = 0
  let overflowSince = 0

  return {
    dropped(address, reason, detail, now = Date.now()) {
      const key = `${address} ${reason}`
      const entry = recent.get(key)
      if (entry) {
        entry.muted++
        return
      }
      if (recent.size >= maxEntries) {
        if (overflow === 0) overflowSince = now
        overflow++
        return
      }
      recent.set(key, { at: now, muted: 0 })
      log.warn({ nasIp: address, reason, ...detail }, `dropped packet (further drops of this reason from this address logged once per ${intervalMs / 1000} s)`)
    },
    sweep(now = Date.now()) {
      for (const [key, entry] of recent) {
        if (now - entry.at < intervalMs) continue
        recent.delete(key)
        if (entry.muted > 0) {
          const [address, reason] = key.split(' ')
          log.warn({ nasIp: address, reason, count: entry.muted, seconds: Math.round((now - entry.at) / 1000) }, 'dropped packets')
        }
      }
      if (overflow > 0 && now - overflowSince >= intervalMs) {
        log.warn({ count: overflow, sources: `more than ${maxEntries}` }, 'dropped packets from too many sources to list')
        overflow = 0
      }
    },
    get size() { return recent.size },
  }
}
