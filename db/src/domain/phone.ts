/**
 * Kenyan phone numbers for M-Pesa: 07…, 01…, 7…, 1…, +2547…, 2547… (with spaces or dashes) → `2547XXXXXXXX`.
 */

/** The normalised form Daraja expects: 12 digits starting 254. */
export type MsisdnKE = string

/** Why a phone number could not be normalised. */
export class InvalidPhoneError extends Error {
  constructor(readonly input: string) {
    super(`"${input}" is not a Kenyan mobile number (use 07XXXXXXXX, 01XXXXXXXX or 2547XXXXXXXX)`)
    this.name = 'InvalidPhoneError'
  }
}

/** Normalises to 2547XXXXXXXX / 2541XXXXXXXX, or returns undefined when the input is not a Kenyan mobile. */
export function tryNormalizePhoneKE(input: string): MsisdnKE | undefined {
  const digits = input.trim().replace(/[\s\-().]/g, '').replace(/^\+/, '')
  if (!/^\d+$/.test(digits)) return undefined
  let national: string
  if (digits.startsWith('254') && digits.length === 12) national = digits.slice(3)
  else if (digits.startsWith('0') && digits.length === 10) national = digits.slice(1)
  else if (digits.length === 9) national = digits
  else return undefined
  return /^[17]\d{8}$/.test(national) ? `254${national}` : undefined
}

/** Like {@link tryNormalizePhoneKE} but throws {@link InvalidPhoneError}. */
export function normalizePhoneKE(input: string): MsisdnKE {
  const normalised = tryNormalizePhoneKE(input)
  if (!normalised) throw new InvalidPhoneError(input)
  return normalised
}

/** 254712345678 → 0712 345 678, for people. */
export function formatPhoneKE(msisdn: MsisdnKE): string {
  const n = `0${msisdn.slice(3)}`
  return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`
}
