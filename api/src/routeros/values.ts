/**
 * RouterOS value formats as the API prints them: booleans `true`/`false`, durations `1w2d3h4m5s` / `300ms`, the
 * v7.10+ ISO clock (`2026-12-03` + `08:41:00` + `gmt-offset=+03:00`; older builds print `dec/03/2026`) and versions
 * like `7.18.2 (stable)`.
 */

/** `true`/`yes` → true (RouterOS accepts yes/no, prints true/false). */
export function parseBool(value: string | undefined): boolean {
  return value === 'true' || value === 'yes'
}

const UNIT_SECONDS: Readonly<Record<string, number>> = Object.freeze({ w: 604_800, d: 86_400, h: 3600, m: 60, s: 1, ms: 0.001 })

/**
 * A RouterOS duration in seconds: `1w2d3h4m5s`, `5m`, `300ms`, `00:05:00`, `2d 03:04:05`; undefined for an empty
 * value (e.g. a WireGuard peer that never shook hands).
 */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  let rest = value.trim()
  let total = 0
  const clock = /(?:^|\s)(\d+):(\d{2}):(\d{2})$/.exec(rest)
  if (clock) {
    total += Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
    rest = rest.slice(0, clock.index).trim()
  }
  const re = /(\d+)(ms|w|d|h|m|s)/gy
  let consumed = 0
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!
    consumed = re.lastIndex
  }
  if (consumed !== rest.length) throw new RangeError(`${JSON.stringify(value)} is not a RouterOS duration`)
  return total
}

/** Seconds → the RouterOS form (`1h30m`, `25s`, `0s`). */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`${seconds} is not a whole number of seconds`)
  if (seconds === 0) return '0s'
  let out = ''
  let rest = seconds
  for (const [unit, size] of [['w', 604_800], ['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size)
    if (n) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** `/system clock` fields → the instant they denote (local date-time minus `gmt-offset`). */
export function parseRouterClock(clock: { date?: string; time?: string; 'gmt-offset'?: string }): Date {
  const { date = '', time = '' } = clock
  let ymd: string
  const legacy = /^([a-z]{3})\/(\d{2})\/(\d{4})$/.exec(date)
  if (legacy) {
    const month = MONTHS.indexOf(legacy[1]!) + 1
    if (month === 0) throw new RangeError(`unknown month in ${date}`)
    ymd = `${legacy[3]}-${String(month).padStart(2, '0')}-${legacy[2]}`
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(date)) ymd = date
  else throw new RangeError(`${JSON.stringify(date)} is not a RouterOS date`)
  if (!/^\d{2}:\d{2}:\d{2}$/.test(time)) throw new RangeError(`${JSON.stringify(time)} is not a RouterOS time`)
  const offset = clock['gmt-offset'] ?? '+00:00'
  if (!/^[+-]\d{2}:\d{2}$/.test(offset)) throw new RangeError(`${JSON.stringify(offset)} is not a GMT offset`)
  const instant = new Date(`${ymd}T${time}${offset}`)
  if (Number.isNaN(instant.getTime())) throw new RangeError(`${ymd} ${time} is not a valid time`)
  return instant
}

/** The major version of `7.18.2 (stable)` / `6.49.10 (long-term)`. */
export function routerOsMajorVersion(version: string): number {
  const m = /^(\d+)\./.exec(version.trim())
  if (!m) throw new RangeError(`${JSON.stringify(version)} is not a RouterOS version`)
  return Number(m[1])
}
