/**
 * An emulated RouterOS 7 router: its configuration ({@link RouterState}) with RouterOS's derived values
 * (WireGuard public keys, hotspot/PPP sessions, clock, resource), the `/tool fetch` + `/import` terminal, and the
 * router's RADIUS client side — logins, accounting and `/radius incoming` — through radiusd's RouterOS packet
 * builders (`radiusd/test/helpers/routeros-nas.ts`), so a test can check that what the router was told to do
 * really talks to radiusd. For tests and development only; production code never imports it.
 */
import { createHash } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { derivePublicKey } from '@mnetifi/vpn'
import { createRouterOsNas, type HotspotClient, type RouterOsNas } from '../../../../radiusd/test/helpers/routeros-nas.js'
import { parseScript, runStatements, ScriptRuntimeError, ScriptSyntaxError } from './script.js'
import { RouterState, RouterTrap, type Item } from './state.js'

/** How the router starts. */
export interface RouterOptions {
  /** `/system identity`. @defaultValue 'MikroTik' */
  readonly identity?: string
  /** `/system resource version`. 7.18+ answers an empty print with `!empty`. @defaultValue '7.18.2 (stable)' */
  readonly version?: string
  /** The admin login (`/user` admin, group full). @defaultValue admin / '' */
  readonly adminPassword?: string
  /** Router clock minus real time, ms (clock drift). @defaultValue 0 */
  readonly clockOffsetMs?: number
}

/** A hotspot session the router holds, with what accounting needs. */
export interface RouterSession {
  readonly kind: 'hotspot' | 'ppp'
  readonly id: string
  readonly user: string
  readonly client: HotspotClient
  readonly startedAt: number
  readonly class?: Buffer
}

export class EmulatedRouter extends RouterState {
  readonly options: Required<RouterOptions>
  /** Files fetched/imported, by name → the `/file` items hold them too. */
  readonly log: string[] = []
  readonly sessions = new Map<string, RouterSession>()
  /** Incoming CoA/Disconnect requests (`/radius incoming`) received: code and User-Name. */
  readonly incoming: { code: number; userName: string | undefined; acctSessionId: string | undefined }[] = []
  #sessionCounter = 0x81000000
  #incomingSocket: Socket | undefined

  constructor(options: RouterOptions = {}) {
    super()
    this.options = {
      identity: options.identity ?? 'MikroTik', version: options.version ?? '7.18.2 (stable)',
      adminPassword: options.adminPassword ?? '', clockOffsetMs: options.clockOffsetMs ?? 0,
    }
    this.setting('/system/identity').name = this.options.identity
    Object.assign(this.setting('/radius/incoming'), { accept: 'false', port: '3799' })
    Object.assign(this.setting('/ppp/aaa'), { 'use-radius': 'false', accounting: 'true', 'interim-update': '0s', 'use-circuit-id-in-nas-port-id': 'false' })
    for (const g of ['read', 'write', 'full']) this.addDynamic('/user/group', { name: g, policy: g === 'full' ? 'local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,rest-api' : `local,telnet,ssh,reboot,${g},test,winbox,password,web,api`, disabled: 'false' })
    this.addDynamic('/user', { name: 'admin', group: 'full', password: this.options.adminPassword, address: '', disabled: 'false' })
    for (const [name, port] of [['telnet', '23'], ['ftp', '21'], ['www', '80'], ['ssh', '22'], ['www-ssl', '443'], ['api', '8728'], ['winbox', '8291'], ['api-ssl', '8729']] as const) {
      this.addDynamic('/ip/service', { name, port, address: '', disabled: name === 'www-ssl' || name === 'api-ssl' ? 'true' : 'false' })
    }
    this.addDynamic('/ip/hotspot/profile', { name: 'default', 'use-radius': 'false', 'login-by': 'cookie,http-chap', 'html-directory': 'flash/hotspot', 'radius-interim-update': 'received', 'radius-accounting': 'true', 'radius-mac-format': 'XX:XX:XX:XX:XX:XX', 'nas-port-type': 'wireless-802.11', 'hotspot-address': '10.5.50.1', 'dns-name': '' })
    this.addDynamic('/ip/hotspot/profile', { name: 'hsprof1', 'use-radius': 'false', 'login-by': 'cookie,http-chap', 'html-directory': 'flash/hotspot', 'radius-interim-update': 'received', 'radius-accounting': 'true', 'radius-mac-format': 'XX:XX:XX:XX:XX:XX', 'nas-port-type': 'wireless-802.11', 'hotspot-address': '10.5.50.1', 'dns-name': '' })
    this.addDynamic('/ip/hotspot', { name: 'hotspot1', interface: 'bridge-hotspot', profile: 'hsprof1', 'address-pool': 'hs-pool-1', disabled: 'false' })
    this.addDynamic('/ip/hotspot/user/profile', { name: 'default', 'rate-limit': '', 'shared-users': '1' })
    this.addDynamic('/ppp/profile', { name: 'default', 'rate-limit': '', 'only-one': 'default' })
    this.addDynamic('/interface/pppoe-server/server', { 'service-name': 'service1', interface: 'ether2', 'default-profile': 'default', authentication: 'pap,chap,mschap1,mschap2', disabled: 'false' })
  }

  override onAdd(path: string, item: Item): void {
    if (path === '/interface/wireguard') {
      item['listen-port'] ??= '13231'
      item.mtu ??= '1420'
      item.running = 'true'
      if (item['private-key']) item['public-key'] = derivePublicKey(item['private-key'])
    }
    if (path === '/interface/wireguard/peers') item['last-handshake'] ??= ''
    if (path === '/radius') {
      item['authentication-port'] ??= '1812'
      item['accounting-port'] ??= '1813'
      item.timeout ??= '300ms'
      item.protocol ??= 'udp'
      item['src-address'] ??= '0.0.0.0'
      item['require-message-auth'] ??= 'yes-for-request-resp'
    }
  }

  override onSet(path: string, item: Item): void {
    if (path === '/interface/wireguard' && item['private-key']) item['public-key'] = derivePublicKey(item['private-key'])
  }

  override onRemove(path: string, item: Item): void {
    // An admin removing a session: RouterOS sends Accounting-Stop with Admin-Reset.
    if (path === '/ip/hotspot/active' || path === '/ppp/active') {
      const s = this.sessions.get(item['.id'])
      if (s) {
        this.sessions.delete(item['.id'])
        void this.#stop(s, 'Admin-Reset').catch((err: unknown) => this.log.push(`accounting stop failed: ${String(err)}`))
      }
    }
  }

  /** The router's clock now (real time plus the configured offset). */
  now(): Date {
    return new Date(Date.now() + this.options.clockOffsetMs)
  }

  /** Values that change by themselves: clock, resource. Called before every print of a singleton. */
  override refreshDynamic(): void {
    const now = this.now()
    Object.assign(this.setting('/system/clock'), {
      date: now.toISOString().slice(0, 10), time: now.toISOString().slice(11, 19), 'time-zone-name': 'UTC', 'gmt-offset': '+00:00', 'dst-active': 'false',
    })
    Object.assign(this.setting('/system/resource'), {
      version: this.options.version, uptime: '1d2h3m4s', 'board-name': 'hAP ac²', 'architecture-name': 'arm', platform: 'MikroTik',
      'cpu-load': '3', 'free-memory': '94371840', 'total-memory': '134217728', 'cpu-count': '4',
    })
    this.setting('/system/identity').name ??= this.options.identity
  }

  /** Checks an API/terminal login: name, password, group with the `api` policy, address restriction. */
  checkLogin(name: string, password: string, from: string): boolean {
    const user = this.items('/user').find((u) => u.name === name && u.disabled !== 'true')
    if (!user || user.password !== password) return false
    const group = this.items('/user/group').find((g) => g.name === user.group)
    if (!group?.policy?.split(',').includes('api')) return false
    if (user.address) {
      const allowed = user.address.split(',').map((a) => a.split('/')[0])
      if (!allowed.includes(from) && !allowed.includes('0.0.0.0')) return false
    }
    return true
  }

  /** Pastes a terminal line (e.g. the one-line `/tool fetch …; /import …`). */
  async terminal(line: string, fetchUrl: (url: string) => Promise<string> = defaultFetch): Promise<void> {
    await runStatements(this, parseScript(line), this.#env(fetchUrl))
  }

  /** `/import file-name=…` of a file already on the router. */
  async importFile(name: string, fetchUrl: (url: string) => Promise<string> = defaultFetch): Promise<void> {
    const file = this.items('/file').find((f) => f.name === name)
    if (!file) throw new RouterTrap(`no such file ${name}`)
    const statements = parseScript(file.contents ?? '')
    await runStatements(this, statements, this.#env(fetchUrl))
  }

  #env(fetchUrl: (url: string) => Promise<string>) {
    return {
      fetch: fetchUrl, log: this.log,
      importFile: async (name: string) => {
        try {
          await this.importFile(name, fetchUrl)
        } catch (err) {
          if (err instanceof ScriptSyntaxError || err instanceof ScriptRuntimeError) throw new RouterTrap(`import of ${name} failed: ${err.message}`)
          throw err
        }
      },
    }
  }

  // ── RADIUS client side ──

  /** The `/radius` entry RouterOS would use for `service`, as a RADIUS client to radiusd. */
  radiusClient(service: 'hotspot' | 'ppp'): RouterOsNas {
    const entry = this.items('/radius').find((r) => r.disabled !== 'true' && (r.service ?? '').split(',').includes(service))
    if (!entry) throw new Error(`no /radius entry for ${service}`)
    const src = entry['src-address'] && entry['src-address'] !== '0.0.0.0' ? entry['src-address'] : '127.0.0.1'
    return createRouterOsNas({
      identity: this.setting('/system/identity').name ?? this.options.identity, sourceAddress: src,
      secret: entry.secret ?? '', authPort: Number(entry['authentication-port']), acctPort: Number(entry['accounting-port']),
      timeoutMs: 2000,
      // Tests reach radiusd at the entry's address only when it is local; it is sent there.
    })
  }

  /**
   * A hotspot client logs in (http-pap) through RADIUS; on Access-Accept the router adds the `/ip hotspot active`
   * entry and sends Accounting-Start. Returns the Access-Accept's Reply-Message on reject.
   */
  async hotspotLogin(user: string, password: string, client: { mac: string; ip: string }): Promise<{ ok: true; id: string; sessionId: string } | { ok: false; replyMessage: string | undefined }> {
    const profile = this.#hotspotProfile()
    if (profile['use-radius'] !== 'true') throw new Error('hotspot profile does not use RADIUS')
    const nas = this.radiusClient('hotspot')
    const sessionId = (this.#sessionCounter++).toString(16)
    const hc: HotspotClient = { mac: client.mac, ip: client.ip, server: 'hotspot1', interface: 'bridge-hotspot', sessionId, gateway: profile['hotspot-address'] ?? '10.5.50.1' }
    const { reply } = await nas.hotspotLogin(hc, { method: 'http-pap', username: user, password })
    if (!reply) throw new Error('no RADIUS answer')
    if (reply.packet.code !== 2) {
      const msg = reply.attributes.find(([n]) => n === 'Reply-Message')?.[1]
      return { ok: false, replyMessage: msg === undefined ? undefined : String(msg) }
    }
    const cls = reply.attributes.find(([n]) => n === 'Class')?.[1]
    const item = this.addDynamic('/ip/hotspot/active', {
      server: 'hotspot1', user, address: client.ip, 'mac-address': client.mac, 'login-by': 'http-pap', uptime: '0s', 'bytes-in': '0', 'bytes-out': '0', radius: 'true',
    })
    const session: RouterSession = { kind: 'hotspot', id: item['.id'], user, client: hc, startedAt: Math.floor(Date.now() / 1000), ...(Buffer.isBuffer(cls) ? { class: cls } : {}) }
    this.sessions.set(item['.id'], session)
    const start = await nas.hotspotAccounting(hc, user, { status: 'Start', eventTimestamp: session.startedAt, ...(session.class ? { class: session.class } : {}) })
    if (!start.reply) throw new Error('no answer to Accounting-Start')
    return { ok: true, id: item['.id'], sessionId }
  }

  /** Sends an Interim-Update for a session. */
  async interim(id: string): Promise<void> {
    const s = this.sessions.get(id)
    if (!s) throw new Error(`no session ${id}`)
    const now = Math.floor(Date.now() / 1000)
    await this.radiusClient('hotspot').hotspotAccounting(s.client, s.user, { status: 'Interim-Update', eventTimestamp: now, sessionTime: now - s.startedAt, ...(s.class ? { class: s.class } : {}) })
  }

  /** The session disappears without an Accounting-Stop (a reboot, a lost packet): a ghost in radacct. */
  forgetSession(id: string): void {
    this.sessions.delete(id)
    const list = this.items('/ip/hotspot/active')
    const at = list.findIndex((i) => i['.id'] === id)
    if (at !== -1) list.splice(at, 1)
  }

  /** A session the router has but accounting never heard of (no Start sent). */
  addUnaccountedSession(user: string, client: { mac: string; ip: string }): Item {
    return this.addDynamic('/ip/hotspot/active', { server: 'hotspot1', user, address: client.ip, 'mac-address': client.mac, 'login-by': 'mac', uptime: '5m', 'bytes-in': '0', 'bytes-out': '0', radius: 'true' })
  }

  async #stop(s: RouterSession, cause: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000)
    await this.radiusClient('hotspot').hotspotAccounting(s.client, s.user, { status: 'Stop', eventTimestamp: now, sessionTime: now - s.startedAt, terminateCause: cause, ...(s.class ? { class: s.class } : {}) })
  }

  #hotspotProfile(): Item {
    const server = this.items('/ip/hotspot')[0]
    const profile = this.items('/ip/hotspot/profile').find((p) => p.name === server?.profile)
    if (!profile) throw new Error('no hotspot profile')
    return profile
  }

  /**
   * `/radius incoming`: listens for Disconnect/CoA on `address`:`port` (the router's tunnel address in tests) and
   * answers with the secret of the `/radius` entry whose address is the packet's source (digest §4.6).
   * A Disconnect-Request matching an active session removes it (Stop with Admin-Reset) and is ACKed; else NAK 503.
   */
  async listenIncoming(address: string): Promise<number> {
    const inc = this.setting('/radius/incoming')
    if (inc.accept !== 'true') throw new Error('/radius incoming accept=no')
    const socket = createSocket('udp4')
    this.#incomingSocket = socket
    socket.on('message', (msg, rinfo) => {
      const entry = this.items('/radius').find((r) => r.address === rinfo.address)
      if (!entry || msg.length < 20) return
      const attrs = new Map<number, Buffer>()
      for (let i = 20; i + 2 <= msg.length;) { const t = msg[i]!; const l = msg[i + 1]!; if (l < 2) break; attrs.set(t, msg.subarray(i + 2, i + l)); i += l }
      const userName = attrs.get(1)?.toString()
      const acctSessionId = attrs.get(44)?.toString()
      this.incoming.push({ code: msg[0]!, userName, acctSessionId })
      let ok = false
      if (msg[0] === 40) {
        const hit = [...this.sessions.values()].find((s) => s.user === userName && (!acctSessionId || s.client.sessionId === acctSessionId))
        if (hit) { ok = true; this.remove(hit.kind === 'hotspot' ? '/ip/hotspot/active' : '/ppp/active', [hit.id]) }
      } else if (msg[0] === 43) ok = [...this.sessions.values()].some((s) => s.user === userName)
      const code = msg[0] === 40 ? (ok ? 41 : 42) : (ok ? 44 : 45)
      const body = ok ? Buffer.alloc(0) : Buffer.from([101, 6, 0, 0, 0x01, 0xf7])
      const head = Buffer.from([code, msg[1]!, 0, 0])
      head.writeUInt16BE(20 + body.length, 2)
      const auth = createHash('md5').update(Buffer.concat([head, msg.subarray(4, 20), body, Buffer.from(entry.secret ?? '')])).digest()
      socket.send(Buffer.concat([head, auth, body]), rinfo.port, rinfo.address)
    })
    await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(Number(inc.port), address, () => resolve()) })
    return socket.address().port
  }

  /** Stops the `/radius incoming` listener. */
  async close(): Promise<void> {
    const s = this.#incomingSocket
    this.#incomingSocket = undefined
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }
}

async function defaultFetch(url: string): Promise<string> {
  const res = await fetch(url)
  if (!res.ok) throw new RouterTrap(`failure: closing connection: <${res.status} ${res.statusText}> ${url}`)
  return res.text()
}
