/**
 * Typed RouterOS operations MnetiFi needs (protocol digest §5.4), over any command runner — a pooled session
 * ({@link RouterPool.clientFor}) or one connection. Reads name their `.proplist` so a router does not send every
 * column; writes look items up by a stable key (user, name, address) right before acting, because `.id`s change
 * (hotspot active ids change with every login).
 */
import type { RouterRow } from './connection.js'
import { parseBool, parseDuration, parseRouterClock } from './values.js'
import { commandWords, findIds, type Props } from './words.js'
import { createConfigOperations, type ConfigOperations } from './client-config.js'

/** Runs one API command: path and words → reply rows. */
export type RunCommand = (path: string, words?: readonly string[]) => Promise<RouterRow[]>

/** `/ip hotspot active` entry. */
export interface HotspotActiveSession {
  readonly id: string
  readonly server: string
  readonly user: string
  readonly address: string
  readonly macAddress: string
  readonly loginBy: string
  /** Seconds. */
  readonly uptimeSeconds: number
  readonly bytesIn: bigint
  readonly bytesOut: bigint
  /** Authenticated through RADIUS (not a local /ip hotspot user). */
  readonly radius: boolean
}

/** `/ppp active` entry. */
export interface PppActiveSession {
  readonly id: string
  readonly name: string
  readonly service: string
  readonly callerId: string
  readonly address: string
  readonly uptimeSeconds: number
  /** Looks like the Acct-Session-Id in hex (`0x81A00005`), per digest §5.4. */
  readonly sessionId: string
  readonly radius: boolean
}

/** `/interface wireguard peers` entry with its handshake age. */
export interface WireguardPeer {
  readonly id: string
  readonly interface: string
  readonly publicKey: string
  readonly allowedAddress: string
  readonly endpoint: string
  /** Seconds since the last handshake; undefined when there was none. */
  readonly lastHandshakeSeconds: number | undefined
}

/** `/system resource` essentials. */
export interface RouterResource {
  readonly version: string
  readonly uptimeSeconds: number
  readonly boardName: string
  readonly architecture: string
  readonly cpuLoadPercent: number
  readonly freeMemoryBytes: number
  readonly totalMemoryBytes: number
}

const HOTSPOT_ACTIVE_PROPS = '.id,server,user,address,mac-address,login-by,uptime,bytes-in,bytes-out,radius'
const PPP_ACTIVE_PROPS = '.id,name,service,caller-id,address,uptime,session-id,radius'

function toHotspotSession(r: RouterRow): HotspotActiveSession {
  return {
    id: r['.id'] ?? '', server: r.server ?? '', user: r.user ?? '', address: r.address ?? '', macAddress: r['mac-address'] ?? '',
    loginBy: r['login-by'] ?? '', uptimeSeconds: parseDuration(r.uptime) ?? 0, bytesIn: BigInt(r['bytes-in'] || '0'),
    bytesOut: BigInt(r['bytes-out'] || '0'), radius: parseBool(r.radius),
  }
}

function toPppSession(r: RouterRow): PppActiveSession {
  return {
    id: r['.id'] ?? '', name: r.name ?? '', service: r.service ?? '', callerId: r['caller-id'] ?? '', address: r.address ?? '',
    uptimeSeconds: parseDuration(r.uptime) ?? 0, sessionId: r['session-id'] ?? '', radius: parseBool(r.radius),
  }
}

/** Every operation, bound to one router. */
export interface RouterOsClient extends ConfigOperations {
  listHotspotActive(filter?: { user?: string; macAddress?: string; address?: string }): Promise<HotspotActiveSession[]>
  /** Kicks sessions by `.id` (RouterOS sends Accounting-Stop, cause Admin-Reset). Returns how many. */
  removeHotspotActive(ids: readonly string[]): Promise<number>
  listPppActive(filter?: { name?: string }): Promise<PppActiveSession[]>
  removePppActive(ids: readonly string[]): Promise<number>
  /** Enables/disables a local `/ip hotspot user` by name; returns how many matched (0 or 1). */
  setHotspotUserDisabled(name: string, disabled: boolean): Promise<number>
  /** Enables/disables a `/ppp secret` by name; returns how many matched. */
  setPppSecretDisabled(name: string, disabled: boolean): Promise<number>
  listAddressList(list: string): Promise<{ id: string; address: string; timeout: string; comment: string; dynamic: boolean }[]>
  /** Adds `address` to `list` unless it is already there; returns the entry's `.id`. */
  addAddressListEntry(entry: { list: string; address: string; timeout?: string; comment?: string }): Promise<string>
  /** Removes every entry of `address` in `list`; returns how many. */
  removeAddressListEntry(list: string, address: string): Promise<number>
  getIdentity(): Promise<string>
  getResource(): Promise<RouterResource>
  /** The router's clock as an instant. */
  getClock(): Promise<Date>
  listWireguardPeers(iface?: string): Promise<WireguardPeer[]>
  /** Raw access for what has no typed operation yet (provisioning drift checks, the emulator tests). */
  run: RunCommand
}

/** Binds the operations to a command runner. */
export function createRouterOsClient(run: RunCommand): RouterOsClient {
  const one = async (path: string): Promise<RouterRow> => (await run(path))[0] ?? {}
  return {
    run,
    ...createConfigOperations(run),
    async listHotspotActive(filter = {}) {
      const q = [...(filter.user ? [`?user=${filter.user}`] : []), ...(filter.macAddress ? [`?mac-address=${filter.macAddress}`] : []),
        ...(filter.address ? [`?address=${filter.address}`] : [])]
      return (await run('/ip/hotspot/active/print', [`=.proplist=${HOTSPOT_ACTIVE_PROPS}`, ...q])).map(toHotspotSession)
    },
    async removeHotspotActive(ids) {
      if (ids.length) await run('/ip/hotspot/active/remove', [`=.id=${ids.join(',')}`])
      return ids.length
    },
    async listPppActive(filter = {}) {
      return (await run('/ppp/active/print', [`=.proplist=${PPP_ACTIVE_PROPS}`, ...(filter.name ? [`?name=${filter.name}`] : [])])).map(toPppSession)
    },
    async removePppActive(ids) {
      if (ids.length) await run('/ppp/active/remove', [`=.id=${ids.join(',')}`])
      return ids.length
    },
    async setHotspotUserDisabled(name, disabled) {
      return setDisabled(run, '/ip/hotspot/user', name, disabled)
    },
    async setPppSecretDisabled(name, disabled) {
      return setDisabled(run, '/ppp/secret', name, disabled)
    },
    async listAddressList(list) {
      const rows = await run('/ip/firewall/address-list/print', ['=.proplist=.id,list,address,timeout,comment,dynamic', `?list=${list}`])
      return rows.map((r) => ({ id: r['.id'] ?? '', address: r.address ?? '', timeout: r.timeout ?? '', comment: r.comment ?? '', dynamic: parseBool(r.dynamic) }))
    },
    async addAddressListEntry(entry) {
      const existing = await findIds(run, '/ip/firewall/address-list', { list: entry.list, address: entry.address })
      if (existing[0]) return existing[0]
      const props: Props = { list: entry.list, address: entry.address, timeout: entry.timeout, comment: entry.comment }
      const rows = await run('/ip/firewall/address-list/add', commandWords(props))
      return rows[0]?.ret ?? ''
    },
    async removeAddressListEntry(list, address) {
      const ids = await findIds(run, '/ip/firewall/address-list', { list, address })
      if (ids.length) await run('/ip/firewall/address-list/remove', [`=.id=${ids.join(',')}`])
      return ids.length
    },
    async getIdentity() {
      return (await one('/system/identity/print')).name ?? ''
    },
    async getResource() {
      const r = await one('/system/resource/print')
      return {
        version: r.version ?? '', uptimeSeconds: parseDuration(r.uptime) ?? 0, boardName: r['board-name'] ?? '', architecture: r['architecture-name'] ?? '',
        cpuLoadPercent: Number(r['cpu-load'] ?? 0), freeMemoryBytes: Number(r['free-memory'] ?? 0), totalMemoryBytes: Number(r['total-memory'] ?? 0),
      }
    },
    async getClock() {
      return parseRouterClock(await one('/system/clock/print'))
    },
    async listWireguardPeers(iface) {
      const rows = await run('/interface/wireguard/peers/print', [
        '=.proplist=.id,interface,public-key,allowed-address,current-endpoint-address,current-endpoint-port,last-handshake',
        ...(iface ? [`?interface=${iface}`] : []),
      ])
      return rows.map((r) => ({
        id: r['.id'] ?? '', interface: r.interface ?? '', publicKey: r['public-key'] ?? '', allowedAddress: r['allowed-address'] ?? '',
        endpoint: r['current-endpoint-address'] ? `${r['current-endpoint-address']}:${r['current-endpoint-port'] ?? ''}` : '',
        lastHandshakeSeconds: parseDuration(r['last-handshake']),
      }))
    },
  }
}

async function setDisabled(run: RunCommand, menu: string, name: string, disabled: boolean): Promise<number> {
  const ids = await findIds(run, menu, { name })
  if (ids.length) await run(`${menu}/set`, [`=.id=${ids.join(',')}`, `=disabled=${disabled ? 'yes' : 'no'}`])
  return ids.length
}
