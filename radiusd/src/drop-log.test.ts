import { describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { createDropLog } from './drop-log.js'

/** A real pino logger writing JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = []
  const log = pino({ level: 'warn' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>) } })
  return { log, lines }
}

describe('drop log', () => {
  it('logs the first drop of a reason from an address at once, then one line with the count per interval', () => {
    const { log, lines } = capture()
    const drops = createDropLog(log, { intervalMs: 1000 })
    for (let i = 0; i < 500; i++) drops.dropped('10.0.0.9', 'bad-authenticator', undefined, 10_000 + i)
    drops.dropped('10.0.0.9', 'too-short', undefined, 10_100)
    expect(lines.map((l) => [l.nasIp, l.reason, l.count])).toEqual([['10.0.0.9', 'bad-authenticator', undefined], ['10.0.0.9', 'too-short', undefined]])
    drops.sweep(10_999)
    expect(lines).toHaveLength(2)
    drops.sweep(11_000)
    expect(lines.slice(2).map((l) => [l.nasIp, l.reason, l.count])).toEqual([['10.0.0.9', 'bad-authenticator', 499]])
    // The too-short entry had nothing muted: it leaves silently; the next drop logs at once again.
    drops.sweep(11_100)
    expect(drops.size).toBe(0)
    drops.dropped('10.0.0.9', 'bad-authenticator', undefined, 11_200)
    expect(lines).toHaveLength(4)
  })

  it('remembers at most maxEntries sources and sums the rest into one line per interval', () => {
    const { log, lines } = capture()
    const drops = createDropLog(log, { intervalMs: 1000, maxEntries: 3 })
    for (let i = 0; i < 10_000; i++) drops.dropped(`10.1.${i >> 8}.${i & 255}`, 'unknown-client', undefined, 5000)
    expect(drops.size).toBe(3)
    expect(lines).toHaveLength(3)
    drops.sweep(6000)
    expect(lines.at(-1)).toMatchObject({ count: 9997, msg: 'dropped packets from too many sources to list' })
    expect(drops.size).toBe(0)
  })
})
