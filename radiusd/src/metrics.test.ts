import { describe, expect, it } from 'vitest'
import { createMetrics, DROP_REASONS } from './metrics.js'
import { MALFORMED_REASONS } from './protocol/errors.js'

describe('drop metrics', () => {
  it('exports every drop reason at 0 before the first drop, the decoder\'s and the server\'s', async () => {
    const metrics = createMetrics()
    const { values } = (await metrics.drops.get())
    expect(values.map((v) => [v.labels.reason, v.value]).sort()).toEqual([...DROP_REASONS].sort().map((r) => [r, 0]))
    expect(DROP_REASONS).toEqual(expect.arrayContaining([...MALFORMED_REASONS, 'unknown-client', 'unknown-code', 'duplicate-in-progress']))
  })

  it('counts drops by reason', async () => {
    const metrics = createMetrics()
    metrics.drop('unknown-code')
    metrics.drop('unknown-code')
    metrics.drop('bad-value')
    const counts = Object.fromEntries((await metrics.drops.get()).values.map((v) => [v.labels.reason, v.value]))
    expect(counts).toMatchObject({ 'unknown-code': 2, 'bad-value': 1, 'too-short': 0 })
  })
})

describe('health endpoints on the metrics port', () => {
  it('answers /health, /ready while the database answers, 503 when it does not, and /metrics', async () => {
    const { serveMetrics } = await import('./metrics.js')
    let dbUp = true
    const { server, port } = await serveMetrics(createMetrics(), 0, '127.0.0.1', async () => {
      if (!dbUp) throw new Error('connection refused')
    })
    try {
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`)
        return [res.status, await res.text()] as const
      }
      expect(await get('/health')).toEqual([200, '{"status":"ok"}'])
      expect(await get('/ready')).toEqual([200, '{"status":"ready","postgres":"ok"}'])
      dbUp = false
      expect(await get('/ready')).toEqual([503, '{"status":"not-ready","postgres":"failed"}'])
      expect((await get('/metrics'))[1]).toContain('radiusd_dropped_packets_total')
      expect((await get('/nothing'))[0]).toBe(404)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
