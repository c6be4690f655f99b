/**
 * Tunnel addresses: the MnetiFi side is the first host of the management network, each router gets the lowest
 * free host after it.
 */

function toInt(ip: string): number {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`${ip} is not an IPv4 address`)
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** Network, server address and usable host range of an IPv4 CIDR such as `10.99.0.0/24`. */
export function parseCidr(cidr: string): { network: number; prefix: number; server: string; firstHost: number; lastHost: number } {
  const [ip, bits] = cidr.split('/')
  const prefix = Number(bits)
  if (!ip || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new RangeError(`${cidr} is not an IPv4 network between /8 and /30`)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  const network = (toInt(ip) & mask) >>> 0
  const broadcast = (network | (~mask >>> 0)) >>> 0
  return { network, prefix, server: toIp(network + 1), firstHost: network + 2, lastHost: broadcast - 1 }
}

/** The lowest address of `cidr` that is neither the server's nor in `taken`; undefined when the network is full. */
export function allocateTunnelAddress(cidr: string, taken: Iterable<string>): string | undefined {
  const { firstHost, lastHost } = parseCidr(cidr)
  const used = new Set([...taken].map((a) => toInt(a.split('/')[0]!)))
  for (let n = firstHost; n <= lastHost; n++) if (!used.has(n)) return toIp(n)
  return undefined
}
