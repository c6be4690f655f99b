/**
 * Parsing of the human units operators type (CLI flags, admin forms): rates like `5M`, durations like `1h`.
 */

/** `5M` → 5 000 000, `512k` → 512 000, `1200` → 1200 bits per second; undefined when not a rate. */
export function parseRate(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:bps|bit\/s)?$/.exec(text.trim())
  if (!m) return undefined
  const factor = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g']
  const bps = Math.round(Number(m[1]) * factor)
  return bps > 0 && Number.isSafeInteger(bps) ? bps : undefined
}

const DURATION_UNITS: Readonly<Record<string, number>> = Object.freeze({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 })

/** `90s`, `30m`, `1h`, `7d`, `2w`, `1h30m` or plain seconds → seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) > 0 ? Number(trimmed) : undefined
  const parts = [...trimmed.matchAll(/(\d+)\s*([smhdw])/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed.replace(/\s+/g, '')) return undefined
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0)
  return seconds > 0 ? seconds : undefined
}

/** 3600 → `1h`, 90061 → `1d1h1m1s`, 30 days → `30d`: the inverse of {@link parseDuration} for display. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s'
  let rest = seconds
  let out = ''
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`
      rest %= size
    }
  }
  return out
}
