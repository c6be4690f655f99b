/**
 * What an admin action did on the network, in words: the API answers each suspend / recharge / move with what
 * RADIUS now answers and what happened to live sessions (CoA or Disconnect, and the router's ACK/NAK/timeout).
 */

interface Enforcement {
  readonly radius?: string
  readonly liveSession?: {
    readonly path?: string
    readonly reason?: string
    readonly sessions?: number
    readonly outcomes?: readonly string[]
  }
  readonly routerApi?: unknown
}

const PATH_NAMES: Readonly<Record<string, string>> = {
  'radius-disconnect': 'RADIUS Disconnect-Request',
  'radius-coa': 'RADIUS CoA-Request',
  'router-api': 'the RouterOS API',
}

/** One sentence per effect, e.g. ["RADIUS now rejects this user.", "1 live session: RADIUS Disconnect-Request — acknowledged."] */
export function describeEnforcement(e: Enforcement | undefined): string[] {
  if (!e) return []
  const out: string[] = []
  if (e.radius) out.push(`RADIUS now ${e.radius === 'accepts' ? 'accepts' : 'rejects'} this user.`)
  const s = e.liveSession
  if (s?.path === 'none') out.push('No live session to change.')
  else if (s?.path === 'unavailable')
    out.push('Live sessions could not be reached (no CoA client configured); they end at their next re-login.')
  else if (s?.path) {
    const counts = tally(s.outcomes ?? [])
    const n = s.sessions ?? s.outcomes?.length ?? 0
    out.push(`${n} live session${n === 1 ? '' : 's'} via ${PATH_NAMES[s.path] ?? s.path}: ${counts}.`)
  }
  if (typeof e.routerApi === 'string' && e.routerApi !== 'not-available') out.push(`Router API: ${e.routerApi}.`)
  return out
}

function tally(outcomes: readonly string[]): string {
  const words: Record<string, string> = { ack: 'acknowledged', nak: 'refused by the router', timeout: 'no answer from the router' }
  const counts = new Map<string, number>()
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1)
  if (!counts.size) return 'nothing sent'
  return [...counts].map(([o, n]) => (outcomes.length > 1 ? `${n} ${words[o] ?? o}` : (words[o] ?? o))).join(', ')
}
