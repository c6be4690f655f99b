import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ANSWERED, INLINE_REPLY, IN_PROGRESS, createDuplicateCache } from './duplicate-cache.js'

const WINDOW = 10_000
const auth = (n: number): Buffer => { const b = Buffer.alloc(16); b.writeUInt32BE(n, 12); return b }
const reply = (n: number, size = 40): Buffer => Buffer.alloc(size, n & 255)

describe('duplicate cache (RFC 5080 §2.2.2)', () => {
  it('registers a new request, drops a duplicate in progress, then answers duplicates with the exact reply until the window ends', () => {
    const c = createDuplicateCache(WINDOW)
    const h = c.begin(0, '10.0.0.1', 1645, 7, auth(1), 1000)
    expect(h).toBeGreaterThanOrEqual(0)
    expect(c.begin(0, '10.0.0.1', 1645, 7, auth(1), 1001)).toBe(IN_PROGRESS)
    const bytes = randomBytes(60)
    c.answered(h, bytes, 2000)
    expect(c.begin(0, '10.0.0.1', 1645, 7, auth(1), 2000 + WINDOW)).toBe(ANSWERED)
    expect(c.reply().equals(bytes)).toBe(true)
    expect(c.size).toBe(1)
    // One millisecond after the window the same packet is a new request.
    expect(c.begin(0, '10.0.0.1', 1645, 7, auth(1), 2001 + WINDOW)).toBeGreaterThanOrEqual(0)
    expect(c.size).toBe(1)
  })

  it('tells apart every part of the key: socket, address, port, Identifier and authenticator', () => {
    const c = createDuplicateCache(WINDOW)
    c.answered(c.begin(0, '10.0.0.1', 1645, 7, auth(1), 0), reply(1), 0)
    for (const [socket, address, port, id, a] of [[1, '10.0.0.1', 1645, 7, 1], [0, '10.0.0.2', 1645, 7, 1], [0, '10.0.0.1', 1646, 7, 1],
      [0, '10.0.0.1', 1645, 8, 1], [0, '10.0.0.1', 1645, 7, 2]] as const) {
      expect(c.begin(socket, address, port, id, auth(a), 1)).toBeGreaterThanOrEqual(0)
    }
    expect(c.begin(0, '10.0.0.1', 1645, 7, auth(1), 1)).toBe(ANSWERED)
    expect(c.reply().equals(reply(1))).toBe(true)
  })

  it('keys IPv6 sources too, and a reused Identifier with a new authenticator is a new request', () => {
    const c = createDuplicateCache(WINDOW)
    const h = c.begin(0, 'fd00::1', 50000, 255, auth(9), 0)
    c.answered(h, reply(9), 0)
    expect(c.begin(0, 'fd00::2', 50000, 255, auth(9), 1)).toBeGreaterThanOrEqual(0)
    expect(c.begin(0, 'fd00::1', 50000, 255, auth(9), 1)).toBe(ANSWERED)
    expect(c.begin(0, 'fd00::1', 50000, 255, auth(10), 1)).toBeGreaterThanOrEqual(0)
  })

  it('forgets a request that got no reply, so its retransmission is processed again', () => {
    const c = createDuplicateCache(WINDOW)
    const h = c.begin(1, '10.0.0.1', 1646, 3, auth(3), 0)
    c.forget(h)
    expect(c.size).toBe(0)
    expect(c.begin(1, '10.0.0.1', 1646, 3, auth(3), 1)).toBeGreaterThanOrEqual(0)
  })

  it('keeps replies longer than the inline area intact', () => {
    const c = createDuplicateCache(WINDOW)
    const long = randomBytes(INLINE_REPLY + 300)
    c.answered(c.begin(0, '10.0.0.1', 1, 1, auth(1), 0), long, 0)
    expect(c.begin(0, '10.0.0.1', 1, 1, auth(1), 5)).toBe(ANSWERED)
    expect(c.reply().equals(long)).toBe(true)
    c.sweep(WINDOW + 1)
    expect(c.size).toBe(0)
  })

  it('grows past its initial capacity without losing an entry or a handle, and the sweep frees expired entries oldest first', () => {
    const c = createDuplicateCache(WINDOW, 16)
    const handles: number[] = []
    // 1,000 requests 1 ms apart; every other one answered at once, the rest answered after all have arrived.
    for (let i = 0; i < 1000; i++) {
      const h = c.begin(0, `10.0.${i >> 8}.${i & 255}`, 1000 + i, i & 255, auth(i), i)
      expect(h).toBeGreaterThanOrEqual(0)
      handles.push(h)
      if (i % 2 === 0) c.answered(h, reply(i, 20 + (i % 200)), i)
    }
    for (let i = 1; i < 1000; i += 2) c.answered(handles[i]!, reply(i, 20 + (i % 200)), 1000)
    expect(c.size).toBe(1000)
    for (let i = 0; i < 1000; i++) {
      expect(c.begin(0, `10.0.${i >> 8}.${i & 255}`, 1000 + i, i & 255, auth(i), 1000)).toBe(ANSWERED)
      expect(c.reply().equals(reply(i, 20 + (i % 200)))).toBe(true)
    }
    // At 500 + WINDOW the even entries answered at 0 … 500 have expired, the odd ones (answered at 1000) not.
    c.sweep(500 + WINDOW)
    expect(c.size).toBe(1000 - 1) // the sweep stops at the first live entry: only entry 0 was before entry 1
    expect(c.begin(0, '10.0.0.2', 1002, 2, auth(2), 500 + WINDOW + 1)).toBeGreaterThanOrEqual(0) // expired: new
    c.sweep(1000 + WINDOW + 1)
    expect(c.size).toBe(1) // only the re-registered, still in-progress request
  })

  it('stays correct over many windows of steady traffic (the ring wraps around)', () => {
    const c = createDuplicateCache(100, 64)
    for (let i = 0; i < 20_000; i++) {
      const now = i // 1 request per ms, window 100 ms → ~100 live entries in a ring that wraps ~300 times
      const h = c.begin(0, '192.168.88.1', 40000 + (i % 50), i & 255, auth(i), now)
      expect(h).toBeGreaterThanOrEqual(0)
      c.answered(h, reply(i), now)
      if (i % 10 === 0) c.sweep(now)
      if (i >= 50) {
        const j = i - 50
        expect(c.begin(0, '192.168.88.1', 40000 + (j % 50), j & 255, auth(j), now)).toBe(ANSWERED)
        expect(c.reply().equals(reply(j))).toBe(true)
      }
    }
    expect(c.size).toBeLessThanOrEqual(111)
  })
})
