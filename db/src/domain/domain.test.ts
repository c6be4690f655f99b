import { describe, expect, it } from 'vitest'
import {
  extendExpiry, formatMoney, formatRate, fromMajor, isExpired, normalizePhoneKE, renderRateLimit,
  secondsUntil, toWholeMajor, tryNormalizePhoneKE, validateRateLimit, type RateLimitFields,
} from './index.js'

const plain: RateLimitFields = {
  upload_limit: 2_000_000, download_limit: 5_000_000, burst_rate_up: null, burst_rate_down: null,
  burst_threshold_up: null, burst_threshold_down: null, burst_time: null, priority: null,
}
const burst: RateLimitFields = {
  ...plain, burst_rate_up: 4_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 1_500_000,
  burst_threshold_down: 4_000_000, burst_time: 8,
}

describe('Mikrotik-Rate-Limit rendering', () => {
  it.each([
    [1_000_000, '1M'], [512_000, '512k'], [1_500_000, '1500k'], [1234, '1234'], [100_000_000, '100M'],
  ])('formats %d bit/s as %s', (bps, text) => expect(formatRate(bps)).toBe(text))

  it('puts upload (router rx) first', () => expect(renderRateLimit(plain)).toBe('2M/5M'))

  it('renders burst rate, threshold and time in MikroTik order', () =>
    expect(renderRateLimit(burst)).toBe('2M/5M 4M/10M 1500k/4M 8/8'))

  it('appends priority after the burst fields', () =>
    expect(renderRateLimit({ ...burst, priority: 3 })).toBe('2M/5M 4M/10M 1500k/4M 8/8 3'))

  it('keeps priority positional without burst', () =>
    expect(renderRateLimit({ ...plain, priority: 5 })).toBe('2M/5M 0/0 0/0 0/0 5'))

  it('accepts a sensible burst plan', () => expect(validateRateLimit(burst)).toEqual({}))

  it('refuses burst below the limit and threshold above it', () =>
    expect(validateRateLimit({ ...burst, burst_rate_up: 1_000_000, burst_threshold_down: 6_000_000 })).toEqual({
      burst_rate_up: 'must be above upload_limit',
      burst_threshold_down: 'must be above 0 and at most download_limit, or bursting never starts',
    }))

  it('refuses a half-configured burst', () =>
    expect(validateRateLimit({ ...plain, burst_rate_up: 4_000_000 })).toEqual({
      burst: 'burst needs all of burst_rate_up/down, burst_threshold_up/down and burst_time',
    }))
})

describe('phone normalisation', () => {
  it.each([
    ['0712345678', '254712345678'], ['712345678', '254712345678'], ['+254712345678', '254712345678'],
    ['254712345678', '254712345678'], ['0112 345 678', '254112345678'], ['+254-712-345-678', '254712345678'],
  ])('%s → %s', (input, out) => expect(normalizePhoneKE(input)).toBe(out))

  it.each(['', '0812345678', '07123456', '25471234567', 'phone', '+1 555 123 4567'])('rejects %j', (input) => {
    expect(tryNormalizePhoneKE(input)).toBeUndefined()
    expect(() => normalizePhoneKE(input)).toThrowError(/is not a Kenyan mobile number/)
  })
})

describe('expiry arithmetic', () => {
  const now = new Date('2026-11-26T10:00:00.750Z')
  it('starts a new plan from now, truncated to the second', () =>
    expect(extendExpiry(null, now, 3600).toISOString()).toBe('2026-11-26T11:00:00.000Z'))
  it('adds to the end of a running plan', () =>
    expect(extendExpiry(new Date('2026-11-27T00:00:00Z'), now, 86400).toISOString()).toBe('2026-11-28T00:00:00.000Z'))
  it('starts from now when the plan already ran out', () =>
    expect(extendExpiry(new Date('2026-11-01T00:00:00Z'), now, 60).toISOString()).toBe('2026-11-26T10:01:00.000Z'))
  it('counts whole seconds left, rounding down', () =>
    expect(secondsUntil(new Date('2026-11-26T10:00:10.500Z'), now)).toBe(9))
  it('treats the expiry instant itself as expired', () => {
    expect(isExpired(new Date('2026-11-26T10:00:00.750Z'), now)).toBe(true)
    expect(isExpired(new Date('2026-11-26T10:00:01Z'), now)).toBe(false)
    expect(secondsUntil(new Date('2026-11-26T09:00:00Z'), now)).toBe(0)
  })
})

describe('money', () => {
  it('formats minor units', () => expect(formatMoney(150000)).toBe('KES 1,500.00'))
  it('converts to whole shillings for M-Pesa and back', () => {
    expect(toWholeMajor(5000)).toBe(50)
    expect(fromMajor(50)).toBe(5000)
    expect(() => toWholeMajor(5050)).toThrowError(/not a whole amount/)
  })
})
