/**
 * wg-quick configurations: the MnetiFi server's `wg0.conf` with one `[Peer]` per router, and a router-side config
 * for routers (or development boxes) that run Linux WireGuard instead of RouterOS. `Address`/`ListenPort` are
 * wg-quick's; `wg-quick strip` turns the file into what `wg syncconf` takes.
 */
import { derivePublicKey } from './keys.js'

/** One router as a peer of the server. */
export interface ServerPeer {
  /** Written as a comment above the peer (hotspot name and id); newlines are flattened. */
  readonly comment: string
  readonly publicKey: string
  readonly presharedKey: string | null
  /** The router's tunnel address (a /32 on the server side). */
  readonly address: string
}

/** The server's interface. */
export interface ServerInterface {
  readonly privateKey: string
  /** The server's tunnel address with the network prefix, e.g. `10.99.0.1/24`. */
  readonly address: string
  /** UDP port routers dial. @defaultValue 51820 */
  readonly listenPort?: number
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ')

/** The whole server config, peers sorted by address so the file only changes when the peer set does. */
export function renderServerConfig(iface: ServerInterface, peers: readonly ServerPeer[]): string {
  derivePublicKey(iface.privateKey) // refuses a malformed key before it reaches the file
  const lines = ['# Rendered by MnetiFi: edits are overwritten.', '[Interface]', `PrivateKey = ${iface.privateKey}`, `Address = ${iface.address}`, `ListenPort = ${iface.listenPort ?? 51820}`, '']
  const sorted = [...peers].sort((a, b) => ipOrder(a.address) - ipOrder(b.address))
  for (const p of sorted) {
    lines.push(`# ${oneLine(p.comment)}`, '[Peer]', `PublicKey = ${p.publicKey}`)
    if (p.presharedKey) lines.push(`PresharedKey = ${p.presharedKey}`)
    lines.push(`AllowedIPs = ${p.address}/32`, '')
  }
  return lines.join('\n')
}

/** A Linux router's wg-quick config: its address, the server as the only peer, keepalive for NAT. */
export function renderRouterWgQuickConfig(p: {
  readonly routerPrivateKey: string
  readonly routerAddress: string
  readonly prefix: number
  readonly serverPublicKey: string
  readonly presharedKey: string | null
  readonly serverAddress: string
  readonly serverEndpoint: string
}): string {
  return [
    '[Interface]', `PrivateKey = ${p.routerPrivateKey}`, `Address = ${p.routerAddress}/${p.prefix}`, '',
    '[Peer]', `PublicKey = ${p.serverPublicKey}`, ...(p.presharedKey ? [`PresharedKey = ${p.presharedKey}`] : []),
    `AllowedIPs = ${p.serverAddress}/32`, `Endpoint = ${p.serverEndpoint}`, 'PersistentKeepalive = 25', '',
  ].join('\n')
}

function ipOrder(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}
