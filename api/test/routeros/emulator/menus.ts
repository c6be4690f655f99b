/**
 * The RouterOS v7 menus the emulator knows, with the properties each accepts (field names from the RouterOS
 * docs / ansible's `_api_data.py`, protocol digest §4.5, §5.4, §6). A command naming a menu or property not
 * listed here is refused, as a router refuses it — so "the script parses and applies" means something.
 * Paths are in API form (`/ip/hotspot/profile`); the script parser maps the CLI form onto them.
 */

/** One menu: its writable properties, read-only ones, and whether it is a single settings object. */
export interface MenuSpec {
  readonly props: readonly string[]
  /** Shown by print, never accepted by add/set. */
  readonly readOnly?: readonly string[]
  /** `/radius/incoming`, `/ppp/aaa`, `/system/identity`…: no items, just `set`/`print`. */
  readonly singleton?: boolean
  /** Items are built in (`/ip/service`): no add/remove. */
  readonly fixed?: boolean
}

const common = ['comment', 'disabled']

export const MENUS: Readonly<Record<string, MenuSpec>> = Object.freeze({
  '/interface/wireguard': { props: ['name', 'listen-port', 'mtu', 'private-key', ...common], readOnly: ['public-key', 'running'] },
  '/interface/wireguard/peers': {
    props: ['interface', 'public-key', 'preshared-key', 'allowed-address', 'endpoint-address', 'endpoint-port', 'persistent-keepalive', 'name', ...common],
    readOnly: ['current-endpoint-address', 'current-endpoint-port', 'last-handshake', 'rx', 'tx'],
  },
  '/ip/address': { props: ['address', 'interface', 'network', ...common] },
  '/radius': {
    props: ['address', 'secret', 'service', 'authentication-port', 'accounting-port', 'timeout', 'src-address', 'require-message-auth',
      'protocol', 'realm', 'called-id', 'domain', 'accounting-backup', 'certificate', ...common],
  },
  '/radius/incoming': { props: ['accept', 'port', 'vrf'], singleton: true },
  '/ip/hotspot': { props: ['name', 'interface', 'profile', 'address-pool', 'addresses-per-mac', 'idle-timeout', ...common] },
  '/ip/hotspot/profile': {
    props: ['name', 'use-radius', 'login-by', 'radius-interim-update', 'html-directory', 'html-directory-override', 'radius-accounting',
      'radius-mac-format', 'nas-port-type', 'hotspot-address', 'dns-name', 'mac-auth-mode', 'mac-auth-password', 'http-cookie-lifetime',
      'radius-default-domain', 'radius-location-id', 'radius-location-name', 'split-user-domain', 'trial-uptime-limit'],
  },
  '/ip/hotspot/user/profile': {
    props: ['name', 'rate-limit', 'shared-users', 'session-timeout', 'idle-timeout', 'keepalive-timeout', 'address-list', 'status-autorefresh', 'transparent-proxy'],
  },
  '/ip/hotspot/user': { props: ['name', 'password', 'profile', 'server', 'mac-address', 'limit-uptime', 'limit-bytes-total', ...common] },
  '/ip/hotspot/active': {
    props: [], readOnly: ['server', 'user', 'address', 'mac-address', 'login-by', 'uptime', 'session-time-left', 'idle-time', 'bytes-in', 'bytes-out', 'radius'],
  },
  '/ip/hotspot/cookie': { props: [], readOnly: ['user', 'mac-address', 'domain', 'expires-in'] },
  '/ip/hotspot/walled-garden': { props: ['dst-host', 'dst-port', 'path', 'method', 'action', 'server', 'src-address', ...common] },
  '/ip/hotspot/walled-garden/ip': {
    props: ['dst-host', 'dst-address', 'dst-address-list', 'dst-port', 'protocol', 'action', 'server', 'src-address', 'src-address-list', ...common],
  },
  '/ppp/profile': { props: ['name', 'local-address', 'remote-address', 'rate-limit', 'only-one', 'dns-server', ...common] },
  '/ppp/secret': { props: ['name', 'password', 'profile', 'service', 'local-address', 'remote-address', ...common] },
  '/ppp/active': { props: [], readOnly: ['name', 'service', 'caller-id', 'address', 'uptime', 'session-id', 'encoding', 'radius'] },
  '/ppp/aaa': { props: ['use-radius', 'accounting', 'interim-update', 'use-circuit-id-in-nas-port-id'], singleton: true },
  '/interface/pppoe-server/server': {
    props: ['service-name', 'interface', 'default-profile', 'authentication', 'one-session-per-host', 'max-sessions', 'keepalive-timeout', ...common],
  },
  '/ip/firewall/address-list': { props: ['list', 'address', 'timeout', ...common], readOnly: ['dynamic', 'creation-time'] },
  '/ip/firewall/filter': {
    props: ['chain', 'action', 'protocol', 'dst-port', 'src-address', 'dst-address', 'in-interface', 'src-address-list', 'connection-state', 'place-before', ...common],
  },
  '/queue/simple': {
    props: ['name', 'target', 'max-limit', 'burst-limit', 'burst-threshold', 'burst-time', 'limit-at', 'priority', 'parent', ...common],
    readOnly: ['dynamic'],
  },
  '/user/group': { props: ['name', 'policy', 'skin', ...common] },
  '/user': { props: ['name', 'group', 'password', 'address', ...common], readOnly: ['last-logged-in'] },
  '/ip/service': { props: ['port', 'address', 'certificate', 'tls-version', 'vrf', 'max-sessions', ...common], readOnly: ['name'], fixed: true },
  '/system/identity': { props: ['name'], singleton: true },
  '/system/resource': {
    props: [], readOnly: ['uptime', 'version', 'build-time', 'free-memory', 'total-memory', 'cpu', 'cpu-count', 'cpu-load', 'architecture-name', 'board-name', 'platform'],
    singleton: true,
  },
  '/system/clock': { props: ['time', 'date', 'time-zone-name', 'time-zone-autodetect'], readOnly: ['gmt-offset', 'dst-active'], singleton: true },
  '/file': { props: ['contents'], readOnly: ['name', 'size', 'type', 'creation-time'] },
})

/** Commands that are not a menu verb (`/tool/fetch`, `/import`), with the arguments they accept. */
export const COMMANDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '/tool/fetch': ['url', 'dst-path', 'mode', 'check-certificate', 'output', 'http-method', 'keep-result'],
  '/import': ['file-name', 'verbose'],
})

/** Verbs a menu item list understands. */
export const VERBS = ['add', 'set', 'remove', 'print', 'enable', 'disable', 'find', 'get', 'move'] as const
export type Verb = (typeof VERBS)[number]
