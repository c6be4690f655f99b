/**
 * Reading and setting router configuration that admin actions and provisioning touch: simple queues, hotspot user
 * profiles (rate limit with burst), the walled garden, `/radius` and `/radius incoming`.
 */
import type { RouterRow } from './connection.js'
import { parseBool } from './values.js'
import { commandWords, findIds, type Props } from './words.js'

type Run = (path: string, words?: readonly string[]) => Promise<RouterRow[]>

/** `/queue simple` entry (rates in RouterOS notation, upload/download: `2M/10M`). */
export interface SimpleQueue {
  readonly id: string
  readonly name: string
  readonly target: string
  readonly maxLimit: string
  readonly burstLimit: string
  readonly burstThreshold: string
  readonly burstTime: string
  readonly limitAt: string
  readonly priority: string
  readonly disabled: boolean
  readonly dynamic: boolean
}

/** Writable queue fields, in RouterOS notation. */
export interface SimpleQueueChanges {
  readonly maxLimit?: string
  readonly burstLimit?: string
  readonly burstThreshold?: string
  readonly burstTime?: string
  readonly limitAt?: string
  readonly priority?: string
}

/** `/ip hotspot user profile` entry. */
export interface HotspotUserProfile {
  readonly id: string
  readonly name: string
  /** A Mikrotik-Rate-Limit string (digest §4.2), '' for none. */
  readonly rateLimit: string
  readonly sharedUsers: string
}

/** `/ip hotspot walled-garden` (HTTP level) or `walled-garden ip` entry. */
export interface WalledGardenEntry {
  readonly id: string
  readonly dstHost: string
  readonly action: string
  readonly comment: string
}

/** `/radius` entry (the secret is read back only to compare it, never logged). */
export interface RadiusServer {
  readonly id: string
  readonly address: string
  readonly secret: string
  readonly service: readonly string[]
  readonly authenticationPort: number
  readonly accountingPort: number
  readonly timeout: string
  readonly srcAddress: string
  readonly comment: string
  readonly disabled: boolean
}

/** Writable `/radius` fields. */
export interface RadiusServerFields {
  readonly address: string
  readonly secret: string
  readonly service: readonly string[]
  readonly authenticationPort?: number
  readonly accountingPort?: number
  readonly timeout?: string
  readonly srcAddress?: string
  readonly comment?: string
}

export interface ConfigOperations {
  listSimpleQueues(): Promise<SimpleQueue[]>
  /** Changes a queue found by name; returns how many matched. */
  setSimpleQueue(name: string, changes: SimpleQueueChanges): Promise<number>
  listHotspotUserProfiles(): Promise<HotspotUserProfile[]>
  /** Sets a profile's rate limit by name; returns how many matched. */
  setHotspotUserProfileRateLimit(name: string, rateLimit: string): Promise<number>
  listWalledGarden(level: 'http' | 'ip'): Promise<WalledGardenEntry[]>
  /** Adds an allow (http) / accept (ip) entry for `dstHost` unless one exists; returns its `.id`. */
  addWalledGardenHost(level: 'http' | 'ip', dstHost: string, comment?: string): Promise<string>
  /** Removes every entry for `dstHost`; returns how many. */
  removeWalledGardenHost(level: 'http' | 'ip', dstHost: string): Promise<number>
  listRadiusServers(): Promise<RadiusServer[]>
  /** Adds a `/radius` entry, or updates the one with the same address; returns its `.id`. */
  upsertRadiusServer(fields: RadiusServerFields): Promise<string>
  getRadiusIncoming(): Promise<{ accept: boolean; port: number }>
  setRadiusIncoming(settings: { accept: boolean; port: number }): Promise<void>
}

const WALLED_GARDEN_MENU = { http: '/ip/hotspot/walled-garden', ip: '/ip/hotspot/walled-garden/ip' } as const

function radiusProps(f: Partial<RadiusServerFields>): Props {
  return {
    address: f.address, secret: f.secret, service: f.service?.join(','), 'authentication-port': f.authenticationPort?.toString(),
    'accounting-port': f.accountingPort?.toString(), timeout: f.timeout, 'src-address': f.srcAddress, comment: f.comment,
  }
}

/** Binds the configuration operations to a command runner. */
export function createConfigOperations(run: Run): ConfigOperations {
  return {
    async listSimpleQueues() {
      const rows = await run('/queue/simple/print', ['=.proplist=.id,name,target,max-limit,burst-limit,burst-threshold,burst-time,limit-at,priority,disabled,dynamic'])
      return rows.map((r) => ({
        id: r['.id'] ?? '', name: r.name ?? '', target: r.target ?? '', maxLimit: r['max-limit'] ?? '', burstLimit: r['burst-limit'] ?? '',
        burstThreshold: r['burst-threshold'] ?? '', burstTime: r['burst-time'] ?? '', limitAt: r['limit-at'] ?? '', priority: r.priority ?? '',
        disabled: parseBool(r.disabled), dynamic: parseBool(r.dynamic),
      }))
    },
    async setSimpleQueue(name, c) {
      const ids = await findIds(run, '/queue/simple', { name })
      const props = commandWords({
        'max-limit': c.maxLimit, 'burst-limit': c.burstLimit, 'burst-threshold': c.burstThreshold, 'burst-time': c.burstTime, 'limit-at': c.limitAt, priority: c.priority,
      })
      if (ids.length && props.length) await run('/queue/simple/set', [`=.id=${ids.join(',')}`, ...props])
      return ids.length
    },
    async listHotspotUserProfiles() {
      const rows = await run('/ip/hotspot/user/profile/print', ['=.proplist=.id,name,rate-limit,shared-users'])
      return rows.map((r) => ({ id: r['.id'] ?? '', name: r.name ?? '', rateLimit: r['rate-limit'] ?? '', sharedUsers: r['shared-users'] ?? '' }))
    },
    async setHotspotUserProfileRateLimit(name, rateLimit) {
      const ids = await findIds(run, '/ip/hotspot/user/profile', { name })
      if (ids.length) await run('/ip/hotspot/user/profile/set', [`=.id=${ids.join(',')}`, `=rate-limit=${rateLimit}`])
      return ids.length
    },
    async listWalledGarden(level) {
      const rows = await run(`${WALLED_GARDEN_MENU[level]}/print`, ['=.proplist=.id,dst-host,action,comment'])
      return rows.map((r) => ({ id: r['.id'] ?? '', dstHost: r['dst-host'] ?? '', action: r.action ?? '', comment: r.comment ?? '' }))
    },
    async addWalledGardenHost(level, dstHost, comment) {
      const menu = WALLED_GARDEN_MENU[level]
      const existing = await findIds(run, menu, { 'dst-host': dstHost })
      if (existing[0]) return existing[0]
      const rows = await run(`${menu}/add`, commandWords({ 'dst-host': dstHost, action: level === 'http' ? 'allow' : 'accept', comment }))
      return rows[0]?.ret ?? ''
    },
    async removeWalledGardenHost(level, dstHost) {
      const menu = WALLED_GARDEN_MENU[level]
      const ids = await findIds(run, menu, { 'dst-host': dstHost })
      if (ids.length) await run(`${menu}/remove`, [`=.id=${ids.join(',')}`])
      return ids.length
    },
    async listRadiusServers() {
      const rows = await run('/radius/print', ['=.proplist=.id,address,secret,service,authentication-port,accounting-port,timeout,src-address,comment,disabled'])
      return rows.map((r) => ({
        id: r['.id'] ?? '', address: r.address ?? '', secret: r.secret ?? '', service: (r.service ?? '').split(',').filter(Boolean),
        authenticationPort: Number(r['authentication-port'] ?? 1812), accountingPort: Number(r['accounting-port'] ?? 1813),
        timeout: r.timeout ?? '', srcAddress: r['src-address'] ?? '', comment: r.comment ?? '', disabled: parseBool(r.disabled),
      }))
    },
    async upsertRadiusServer(fields) {
      const ids = await findIds(run, '/radius', { address: fields.address })
      if (ids[0]) {
        await run('/radius/set', [`=.id=${ids[0]}`, ...commandWords(radiusProps(fields))])
        return ids[0]
      }
      const rows = await run('/radius/add', commandWords(radiusProps(fields)))
      return rows[0]?.ret ?? ''
    },
    async getRadiusIncoming() {
      const r = (await run('/radius/incoming/print'))[0] ?? {}
      return { accept: parseBool(r.accept), port: Number(r.port ?? 3799) }
    },
    async setRadiusIncoming(s) {
      await run('/radius/incoming/set', [`=accept=${s.accept ? 'yes' : 'no'}`, `=port=${s.port}`])
    },
  }
}
