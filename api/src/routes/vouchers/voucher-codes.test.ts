import { describe, expect, it } from 'vitest'
import { generateVoucherCode, normaliseVoucherCode, VOUCHER_ALPHABET } from './voucher-codes.js'

describe('voucher codes', () => {
  it('use 23 symbols with no look-alike characters', () => {
    expect(VOUCHER_ALPHABET).toHaveLength(23)
    for (const c of '0O1IL2Z5S8BQD') expect(VOUCHER_ALPHABET).not.toContain(c)
  })

  it('are 12 symbols in three groups and do not repeat over 20,000 draws', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const code = generateVoucherCode()
      expect(code).toMatch(/^[ACEFGHJKMNPRTUVWXY34679]{4}-[ACEFGHJKMNPRTUVWXY34679]{4}-[ACEFGHJKMNPRTUVWXY34679]{4}$/)
      seen.add(code)
    }
    expect(seen.size).toBe(20_000)
  })

  it('normalise what people type, and reject impossible input', () => {
    expect(normaliseVoucherCode(' k7hm 3wxa-9rtc ')).toBe('K7HM-3WXA-9RTC')
    expect(normaliseVoucherCode('K7HM3WXA9RTC')).toBe('K7HM-3WXA-9RTC')
    expect(normaliseVoucherCode('K7HM-3WXA-9RT0')).toBeUndefined()
    expect(normaliseVoucherCode('K7HM-3WXA')).toBeUndefined()
  })
})
