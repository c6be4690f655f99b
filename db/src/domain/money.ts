/** Money is integer minor units (cents) everywhere; these helpers are the only place it becomes text. */

/** Minor units per major unit for the currencies we bill in. */
const MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({ KES: 100, UGX: 1, TZS: 100, USD: 100 })

/** 150000 KES → "KES 1,500.00". */
export function formatMoney(minor: number, currency = 'KES'): string {
  const per = MINOR_UNITS[currency] ?? 100
  const digits = per === 1 ? 0 : 2
  const major = (minor / per).toLocaleString('en-KE', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return `${currency} ${major}`
}

/** Major units as M-Pesa takes them (whole shillings) from minor units; throws if not whole. */
export function toWholeMajor(minor: number, currency = 'KES'): number {
  const per = MINOR_UNITS[currency] ?? 100
  if (!Number.isSafeInteger(minor) || minor % per !== 0) {
    throw new RangeError(`${minor} minor units of ${currency} is not a whole amount`)
  }
  return minor / per
}

/** Whole major units (as M-Pesa reports amounts) to minor units. */
export function fromMajor(major: number, currency = 'KES'): number {
  const per = MINOR_UNITS[currency] ?? 100
  const minor = Math.round(major * per)
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${major} is not a representable amount`)
  return minor
}
