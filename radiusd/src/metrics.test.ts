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
