import { describe, expect, it } from 'vitest'
import { format, type Translate } from '../i18n/index.js'
import { en } from '../i18n/en.js'
import { sw } from '../i18n/sw.js'
import { formatPhoneKE, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { dataText, durationText, onlineUntilText, priceText, speedText } from './format.js'

const tEn: Translate = (k, v) => format(en[k], v)
const tSw: Translate = (k, v) => format(sw[k], v)

describe('how plans read to a customer', () => {
  it.each([
    [1000, 'KES', 'KSh 10'],
    [5000, 'KES', 'KSh 50'],
    [150_000, 'KES', 'KSh 1,500'],
    [1050, 'KES', 'KSh 10.50'],
    [2000, 'USD', 'USD 20'],
  ])('price %i %s → %s', (minor, currency, text) => expect(priceText(minor, currency)).toBe(text))

  it.each([
    [5_000_000, '5 Mbps'],
    [1_500_000, '1.5 Mbps'],
    [512_000, '512 kbps'],
    [0, 'Full speed'],
  ])('speed %i → %s', (bps, text) => expect(speedText(bps, tEn)).toBe(text))

  it.each([
    [1800, '30 minutes', 'dakika 30'],
    [3600, '1 hour', 'saa 1'],
    [86_400, '24 hours', 'saa 24'],
    [172_800, '48 hours', 'saa 48'],
    [604_800, '1 week', 'wiki 1'],
    [2_592_000, '30 days', 'siku 30'],
    [90, '2 minutes', 'dakika 2'],
  ])('duration %i → %s / %s', (s, english, swahili) => {
    expect(durationText(s, tEn)).toBe(english)
    expect(durationText(s, tSw)).toBe(swahili)
  })

  it('data quotas in GB and MB', () => {
    expect(dataText(2 * 1024 ** 3)).toBe('2 GB')
    expect(dataText(500 * 1024 ** 2)).toBe('500 MB')
  })

  it("says 'online until' in the ISP's time zone, with the day when it is not today there", () => {
    const now = new Date('2026-12-02T12:00:00Z') // 15:00 in Nairobi
    expect(onlineUntilText(new Date('2026-12-02T15:42:00Z'), 'Africa/Nairobi', now, 'en', tEn)).toBe("You're online until 18:42")
    expect(onlineUntilText(new Date('2026-12-02T15:42:00Z'), 'Africa/Nairobi', now, 'sw', tSw)).toBe('Uko mtandaoni hadi saa 18:42')
    // 22:30 UTC is 01:30 the next day in Nairobi.
    expect(onlineUntilText(new Date('2026-12-02T22:30:00Z'), 'Africa/Nairobi', now, 'en', tEn)).toBe(
      "You're online until Thu, 3 Dec, 01:30",
    )
  })
})

describe('phone numbers as the portal takes and shows them (the API normalises the same way)', () => {
  it.each([
    ['0712 345 678', '254712345678', '0712 345 678'],
    ['+254 110 123 456', '254110123456', '0110 123 456'],
    ['254-722-000-111', '254722000111', '0722 000 111'],
    ['712345678', '254712345678', '0712 345 678'],
  ])('%s → %s, shown %s', (typed, msisdn, shown) => {
    expect(tryNormalizePhoneKE(typed)).toBe(msisdn)
    expect(formatPhoneKE(msisdn)).toBe(shown)
  })

  it.each(['12345', '0812345678', '07123456789', 'abc0712345678', ''])('refuses %j', (typed) =>
    expect(tryNormalizePhoneKE(typed)).toBeUndefined(),
  )
})
