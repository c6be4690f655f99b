/**
 * Voucher codes: 12 symbols from a 23-symbol alphabet without look-alikes, grouped XXXX-XXXX-XXXX.
 * 23^12 ≈ 2·10^16 (54 bits) from crypto.randomInt, so guessing a live code is hopeless even across
 * every tenant's unused stock.
 */
import { randomInt } from 'node:crypto'

/** No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B: codes are read off paper and typed on phones. */
export const VOUCHER_ALPHABET = 'ACEFGHJKMNPRTUVWXY34679'
const GROUPS = 3
const GROUP_LENGTH = 4

/** A new random voucher code, e.g. `K7HM-3WXA-9RTC`. */
export function generateVoucherCode(): string {
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    let group = ''
    for (let i = 0; i < GROUP_LENGTH; i++) group += VOUCHER_ALPHABET[randomInt(VOUCHER_ALPHABET.length)]
    groups.push(group)
  }
  return groups.join('-')
}

/** What a person typed → the stored form: upper-case, separators dropped, regrouped; undefined if it cannot be a code. */
export function normaliseVoucherCode(input: string): string | undefined {
  const symbols = input.toUpperCase().replace(/[\s-]/g, '')
  if (symbols.length !== GROUPS * GROUP_LENGTH || [...symbols].some((c) => !VOUCHER_ALPHABET.includes(c))) return undefined
  return symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-')
}
