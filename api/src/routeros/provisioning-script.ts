/**
 * The one-paste RouterOS v7 provisioning script (`.rsc`) for a hotspot's router (protocol digest §4.5–4.7, §5.1,
 * §6). Every step finds MnetiFi's own item by a stable key (name, or the `MnetiFi` comment) and sets it when it
 * exists, adds it otherwise, so running the script twice leaves the router as running it once. Pure rendering.
 *
 * What it does, in order: refuses RouterOS v6 (no WireGuard: an OpenVPN variant would need certificates on every
 * router and TCP-over-TCP for RADIUS, so v7 is required); WireGuard interface, the MnetiFi server as peer (the
 * router dials out with keepalive, as it usually sits behind NAT) and the tunnel address; `/radius` at radiusd
 * over the tunnel, sourced from the tunnel address so radiusd recognises the NAS; `/radius incoming` on 3799 and
 * input-firewall rules letting only MnetiFi's tunnel address reach CoA and the API; the API user; every hotspot
 * profile on RADIUS (MAC / HTTP-CHAP / HTTP-PAP, interim updates, MnetiFi's login pages); the walled garden; the
 * PPPoE profiles and `/ppp aaa` on RADIUS.
 */

/** Everything the script bakes in. Keys and secrets are in clear here: the script is a secret itself. */
export interface ProvisioningInput {
  readonly hotspotId: string
  readonly locationName: string
  readonly tunnel: {
    readonly interfaceName: string
    readonly routerPrivateKey: string
    readonly routerAddress: string
    readonly prefix: number
    readonly serverPublicKey: string
    readonly presharedKey: string
    readonly serverAddress: string
    /** `host:port` routers dial. */
    readonly serverEndpoint: string
  }
  readonly radius: {
    readonly secret: string
    /** Acct-Interim-Interval the hotspot profile and `/ppp aaa` use, seconds. */
    readonly interimSeconds: number
    readonly macAuth: boolean
    /** radiusd's ports through the tunnel. */
    readonly authPort: number
    readonly acctPort: number
  }
  readonly api: { readonly user: string; readonly password: string }
  /** Hosts customers may reach before logging in (portal, payment pages). */
  readonly walledGardenHosts: readonly string[]
  /** Where the router fetches MnetiFi's hotspot pages (login.html…), by file name; none → pages untouched. */
  readonly hotspotPages?: Readonly<Record<string, string>>
}

/** The router-side names the script owns. */
export const PROVISIONING_NAMES = Object.freeze({
  comment: 'MnetiFi',
  apiGroup: 'mnetifi-api',
  htmlDirectory: 'mnetifi-hotspot',
})

/** A RouterOS double-quoted string: `\` `"` `$` `?` escaped (`$` would expand a variable, `?` opens help). */
export function rosString(value: string): string {
  if (/[\r\n]/.test(value)) throw new RangeError('RouterOS script strings cannot hold line breaks')
  return `"${value.replace(/[\\"$?]/g, (c) => `\\${c}`)}"`
}

/** `:if` that sets the found item(s) when present and adds otherwise (one line, so `/import` reports it as one). */
function upsert(menu: string, where: Readonly<Record<string, string>>, props: string): string {
  const cond = Object.entries(where).map(([k, v]) => `${k}=${rosString(v)}`).join(' and ')
  return `:if ([:len [${menu} find where ${cond}]] = 0) do={ ${menu} add ${props} } else={ ${menu} set [find where ${cond}] ${props} }`
}

function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`
}

function splitEndpoint(endpoint: string): [string, string] {
  const m = /^(.+):(\d{1,5})$/.exec(endpoint)
  if (!m) throw new RangeError(`${endpoint} is not host:port`)
  return [m[1]!, m[2]!]
}

/** Renders the `.rsc`. */
export function renderProvisioningScript(input: ProvisioningInput): string {
  const t = input.tunnel
  const c = rosString(PROVISIONING_NAMES.comment)
  const [host, port] = splitEndpoint(t.serverEndpoint)
  const loginBy = [...(input.radius.macAuth ? ['mac'] : []), 'http-chap', 'http-pap'].join(',')
  const interim = duration(input.radius.interimSeconds)
  const lines = [
    `# MnetiFi provisioning for hotspot ${input.locationName.replace(/[\r\n]+/g, ' ')} (${input.hotspotId}), RouterOS v7.`,
    '# Safe to run again: every step updates what an earlier run created. The file holds secrets: delete it after import.',
    ':if ([:pick [/system resource get version] 0 2] = "6.") do={ :error "MnetiFi needs RouterOS v7 (WireGuard); this router runs v6. Upgrade RouterOS, then run this script again." }',
    '# Management tunnel: the router dials MnetiFi (it is usually behind NAT).',
    upsert('/interface wireguard', { name: t.interfaceName }, `name=${t.interfaceName} listen-port=13231 mtu=1420 private-key=${rosString(t.routerPrivateKey)} comment=${c}`),
    upsert('/interface wireguard peers', { interface: t.interfaceName, comment: PROVISIONING_NAMES.comment },
      `interface=${t.interfaceName} public-key=${rosString(t.serverPublicKey)} preshared-key=${rosString(t.presharedKey)} allowed-address=${t.serverAddress}/32 endpoint-address=${host} endpoint-port=${port} persistent-keepalive=25s comment=${c}`),
    upsert('/ip address', { interface: t.interfaceName }, `address=${t.routerAddress}/${t.prefix} interface=${t.interfaceName} comment=${c}`),
    '# RADIUS over the tunnel; 2 s per try fits a tunnel (the 300 ms default does not).',
    upsert('/radius', { comment: PROVISIONING_NAMES.comment },
      `address=${t.serverAddress} secret=${rosString(input.radius.secret)} service=hotspot,ppp authentication-port=${input.radius.authPort} accounting-port=${input.radius.acctPort} timeout=2s src-address=${t.routerAddress} require-message-auth=yes-for-request-resp comment=${c}`),
    '/radius incoming set accept=yes port=3799',
    '# Only MnetiFi, through the tunnel, may send CoA/Disconnect or use the API.',
    upsert('/ip firewall filter', { comment: 'MnetiFi CoA' }, `chain=input action=accept protocol=udp dst-port=3799 src-address=${t.serverAddress} in-interface=${t.interfaceName} comment=${rosString('MnetiFi CoA')}`),
    upsert('/ip firewall filter', { comment: 'MnetiFi API' }, `chain=input action=accept protocol=tcp dst-port=8728 src-address=${t.serverAddress} in-interface=${t.interfaceName} comment=${rosString('MnetiFi API')}`),
    `:if ([:len [/ip firewall filter find where comment="MnetiFi CoA"]] > 0) do={ /ip firewall filter move [find where comment="MnetiFi CoA"] destination=0 }`,
    `:if ([:len [/ip firewall filter find where comment="MnetiFi API"]] > 0) do={ /ip firewall filter move [find where comment="MnetiFi API"] destination=0 }`,
    '# The API user MnetiFi logs in as (plain API inside the encrypted tunnel, from MnetiFi only).',
    upsert('/user group', { name: PROVISIONING_NAMES.apiGroup }, `name=${PROVISIONING_NAMES.apiGroup} policy=read,write,api,test,sensitive comment=${c}`),
    upsert('/user', { name: input.api.user }, `name=${input.api.user} group=${PROVISIONING_NAMES.apiGroup} password=${rosString(input.api.password)} address=${t.serverAddress}/32 comment=${c}`),
    '/ip service set [find where name="api"] disabled=no',
    '# Hotspot: every server profile on RADIUS with MnetiFi\'s login pages.',
    ...Object.entries(input.hotspotPages ?? {}).map(([file, url]) => `/tool fetch url=${rosString(url)} dst-path=${rosString(`${PROVISIONING_NAMES.htmlDirectory}/${file}`)}`),
    `/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=${interim} login-by=${loginBy}` +
      (input.hotspotPages ? ` html-directory=${PROVISIONING_NAMES.htmlDirectory}` : ''),
    '# Walled garden: what customers reach before logging in (HTTP and, for HTTPS, IP level).',
    ...input.walledGardenHosts.flatMap((h) => [
      upsert('/ip hotspot walled-garden', { 'dst-host': h, comment: PROVISIONING_NAMES.comment }, `dst-host=${rosString(h)} action=allow comment=${c}`),
      // IP-level entries resolve the name; a wildcard cannot be resolved, so those stay HTTP-level only.
      ...(h.includes('*') ? [] : [upsert('/ip hotspot walled-garden ip', { 'dst-host': h, comment: PROVISIONING_NAMES.comment }, `dst-host=${rosString(h)} action=accept comment=${c}`)]),
    ]),
    '# PPPoE: sessions authenticate and account through RADIUS.',
    `/ppp aaa set use-radius=yes accounting=yes interim-update=${interim}`,
    ':log info "MnetiFi provisioning applied"',
  ]
  return `${lines.join('\n')}\n`
}
