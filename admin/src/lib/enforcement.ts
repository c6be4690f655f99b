/**
 * What an admin action did on the network, in words: the API answers each suspend / recharge / move with what
 * RADIUS now answers and which path reached the live sessions: the RouterOS API first, RADIUS CoA/Disconnect
 * (with the router's ACK/NAK/timeout) where the API was not set up or did not answer.
 */

interface Enforcement {
  readonly radius?: string
  readonly liveSession?: {
    readonly path?: string
    readonly reason?: string
    readonly sessions?: number
    readonly outcomes?: readonly string[]
  }
  readonly routerApi?: { readonly path: string; readonly sessions?: number; readonly routers?: number; readonly reason?: string }
}

const ROUTER_API_NOT_USED: Readonly<Record<string, string>> = {
  'not-configured': 'Router API not set up for this router; RADIUS was used instead.',
  unreachable: 'Router API did not answer; RADIUS was used instead.',
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
  const r = e.routerApi
  if (r?.path === 'router-api') {
    const n = r.sessions ?? 0
    out.push(
      `${n} live session${n === 1 ? '' : 's'} removed through the RouterOS API on ${r.routers ?? 1} router${r.routers === 1 ? '' : 's'}.`,
    )
  } else if (r?.reason && ROUTER_API_NOT_USED[r.reason]) out.push(ROUTER_API_NOT_USED[r.reason]!)
  const s = e.liveSession
  if (s?.path === 'none' && s.reason === 'handled-by-router-api') {
    // Said above, by the router API line.
  } else if (s?.path === 'none') out.push('No live session to change.')
  else if (s?.path === 'unavailable')
    out.push('Live sessions could not be reached (no CoA client configured); they end at their next re-login.')
  else if (s?.path) {
    const counts = tally(s.outcomes ?? [])
    const n = s.sessions ?? s.outcomes?.length ?? 0
    out.push(`${n} live session${n === 1 ? '' : 's'} via ${PATH_NAMES[s.path] ?? s.path}: ${counts}.`)
  }
  return out
}

function tally(outcomes: readonly string[]): string {
  const words: Record<string, string> = { ack: 'acknowledged', nak: 'refused by the router', timeout: 'no answer from the router' }
  const counts = new Map<string, number>()
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1)
  if (!counts.size) return 'nothing sent'
  return [...counts].map(([o, n]) => (outcomes.length > 1 ? `${n} ${words[o] ?? o}` : (words[o] ?? o))).join(', ')
}
