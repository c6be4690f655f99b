import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, localDay, startOfMonth, startOfWeek } from './calendar.js'

describe('tenant calendar days', () => {
  it('counts the day on the tenant clock: 22:30 UTC is already tomorrow in Nairobi', () => {
    expect(localDay(new Date('2026-03-31T22:30:00Z'), 'Africa/Nairobi')).toBe('2026-04-01')
    expect(localDay(new Date('2026-03-31T22:30:00Z'), 'UTC')).toBe('2026-03-31')
  })
  it('moves across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
  })
  it('starts weeks on Monday', () => {
    expect(startOfWeek('2026-12-03')).toBe('2026-11-30') // a Thursday
    expect(startOfWeek('2026-11-30')).toBe('2026-11-30') // Monday itself
    expect(startOfWeek('2026-12-06')).toBe('2026-11-30') // Sunday ends the week
  })
  it('starts months on the 1st and lists days inclusively', () => {
    expect(startOfMonth('2026-12-03')).toBe('2026-12-01')
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'])
  })
})
