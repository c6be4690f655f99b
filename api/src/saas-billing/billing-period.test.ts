import { describe, expect, it } from 'vitest'
import { billingPeriodAt } from './billing.service.js'

describe('billing periods', () => {
  it.each([
    ['2026-12-03T08:00:00Z', 1, { start: '2026-12-01', end: '2027-01-01', previousStart: '2026-11-01' }],
    ['2026-12-03T08:00:00Z', 15, { start: '2026-11-15', end: '2026-12-15', previousStart: '2026-10-15' }],
    ['2026-01-10T00:00:00Z', 28, { start: '2025-12-28', end: '2026-01-28', previousStart: '2025-11-28' }],
    ['2026-03-28T00:00:00Z', 28, { start: '2026-03-28', end: '2026-04-28', previousStart: '2026-02-28' }],
  ])('at %s with billing day %i', (now, day, period) => expect(billingPeriodAt(new Date(now), day)).toEqual(period))
})
