/**
 * Config rendering for a router's management tunnel: the RouterOS commands an admin pastes into the router
 * (which initiates, being behind NAT) and the server-side peer for wg-quick.
 */

export interface TunnelPeer {
  /** The router's tunnel address, e.g. 10.99.0.2. */
  readonly routerAddress: string
  readonly prefix: number
  readonly routerPrivateKey: string
  readonly routerPublicKey: string
  readonly serverPublicKey: string
  /** Server's tunnel address, e.g. 10.99.0.1 (RADIUS and the API are reached through it). */
  readonly serverAddress: string
  /** Public host:port of the MnetiFi WireGuard endpoint. */
  readonly serverEndpoint: string
  readonly presharedKey: string
  readonly comment: string
}

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`

/** RouterOS v7 commands: interface, peer (router initiates with keepalive, for NAT), address, RADIUS source. */
export function renderRouterOsConfig(p: TunnelPeer): string {
  const [host, port] = splitEndpoint(p.serverEndpoint)
  return [
    `/interface wireguard add name=wg-mnetifi listen-port=13231 mtu=1420 private-key=${quote(p.routerPrivateKey)} comment=${quote(p.comment)}`,
    `/interface wireguard peers add interface=wg-mnetifi public-key=${quote(p.serverPublicKey)} preshared-key=${quote(p.presharedKey)} ` +
      `allowed-address=${p.serverAddress}/32 endpoint-address=${host} endpoint-port=${port} persistent-keepalive=25s comment=${quote('MnetiFi')}`,
    `/ip address add address=${p.routerAddress}/${p.prefix} interface=wg-mnetifi comment=${quote('MnetiFi management')}`,
    `/radius set [find] src-address=${p.routerAddress}`,
  ].join('\n')
}

/** The `[Peer]` section for the server's wg-quick config. */
export function renderServerPeer(p: TunnelPeer): string {
  return [`# ${p.comment}`, '[Peer]', `PublicKey = ${p.routerPublicKey}`, `PresharedKey = ${p.presharedKey}`, `AllowedIPs = ${p.routerAddress}/32`, ''].join('\n')
}

function splitEndpoint(endpoint: string): [string, string] {
  const m = /^(.+):(\d{1,5})$/.exec(endpoint)
  if (!m) throw new RangeError(`${endpoint} is not host:port`)
  return [m[1]!, m[2]!]
}
