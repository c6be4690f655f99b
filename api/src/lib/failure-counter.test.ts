import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFailureCounter } from './failure-counter.js'

afterEach(() => { vi.useRealTimers() })

describe('in-process failure counter (no Redis)', () => {
  it('counts failures per key and forgets them when the window from the first failure ends', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z') })
    const counter = createFailureCounter(null, { keyPrefix: 'x:', windowSeconds: 60, log: { warn: () => {} } })
    expect(await counter.check('10.0.0.1')).toEqual({ failures: 0, retryAfterSeconds: 0 })
    await counter.record('10.0.0.1')
    vi.advanceTimersByTime(30_000)
    expect(await counter.record('10.0.0.1')).toEqual({ failures: 2, retryAfterSeconds: 30 })
    expect((await counter.check('10.0.0.2')).failures).toBe(0)
    vi.advanceTimersByTime(30_000)
    expect(await counter.check('10.0.0.1')).toEqual({ failures: 0, retryAfterSeconds: 0 })
  })
})
