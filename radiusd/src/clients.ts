/**
 * RADIUS clients (NASes) from the `nas` table joined to `hotspots` for per-hotspot flags, looked up by packet
 * source address (gotcha 17). Reloaded on `LISTEN mnetifi_nas_changed` (the mirror trigger NOTIFYs on every nas
 * or hotspot change), and every `refreshMs` as a safety net in case a notification was missed during a
 * reconnect — so NAS changes apply without a restart, and every replica converges on its own.
 */
import { BlockList, isIP } from 'node:net'
import { listNasClientsAcrossTenants, pg, type Database, type NasClientRow } from '@mnetifi/db'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'

export interface HotspotFlags {
  readonly id: string
  readonly macAuthEnabled: boolean
  /** Seconds; null = not configured on the hotspot. */
  readonly acctInterimInterval: number | null
  readonly idleTimeout: number | null
  readonly coaPort: number
}

export interface NasClient {
  /** `nas.id`. */
  readonly id: number
  /** The `nas.nasname` the client matched (an address or a CIDR). */
  readonly name: string
  readonly shortname: string
  readonly secret: Buffer
  readonly tenantId: string | null
  /** The tenant's IANA time zone (Login-Time), null without a tenant (the process's zone applies). */
  readonly timeZone: string | null
  /** Access-Requests without Message-Authenticator are dropped (the hotspot's flag, or learned in auto mode). */
  readonly requireMessageAuthenticator: boolean
  readonly hotspot: HotspotFlags | null
}

export interface ClientRegistry {
  /** The client for a packet source address, or null (= drop the packet). */
  resolve(address: string): NasClient | null
  reload(): Promise<void>
  close(): Promise<void>
}

function toClient(row: NasClientRow): NasClient {
  return Object.freeze({
    id: row.id,
    name: row.nasname,
    shortname: row.shortname,
    secret: Buffer.from(row.secret, 'utf8'),
    tenantId: row.tenant_id,
    timeZone: row.timezone,
    requireMessageAuthenticator: row.require_message_authenticator,
    hotspot: row.hotspot_id === null ? null : Object.freeze({
      id: row.hotspot_id,
      macAuthEnabled: row.mac_auth_enabled ?? false,
      acctInterimInterval: row.acct_interim_interval,
      idleTimeout: row.idle_timeout,
      coaPort: row.coa_port ?? 3799,
    }),
  })
}

interface Table {
  exact: Map<string, NasClient>
  networks: { list: BlockList; client: NasClient; bits: number }[]
}

function buildTable(rows: readonly NasClientRow[], log: Logger): Table {
  const exact = new Map<string, NasClient>()
  const networks: Table['networks'] = []
  for (const row of rows) {
    const client = toClient(row)
    const [addr, bitsText] = row.nasname.split('/')
    const family = isIP(addr ?? '')
    if (family === 0) {
      log.warn({ nasname: row.nasname }, 'nas row with a hostname is ignored: clients are matched by source address')
      continue
    }
    if (bitsText === undefined) {
      // First row wins, as with FreeRADIUS's client list (a hotspot's mirrored row precedes later duplicates).
      if (!exact.has(addr!)) exact.set(addr!, client)
      continue
    }
    const list = new BlockList()
    list.addSubnet(addr!, Number(bitsText), family === 6 ? 'ipv6' : 'ipv4')
    networks.push({ list, client, bits: Number(bitsText) })
  }
  networks.sort((a, b) => b.bits - a.bits) // longest prefix first
  return { exact, networks }
}

export interface ClientRegistryOptions {
  readonly db: Kysely<Database>
  /** For the LISTEN connection. */
  readonly connectionString: string
  readonly log: Logger
  /** Periodic full reload, ms. @defaultValue 60000 */
  readonly refreshMs?: number
}

/** Loads the clients once, then keeps them current. */
export async function createClientRegistry(options: ClientRegistryOptions): Promise<ClientRegistry> {
  const log = options.log
  let table = buildTable(await listNasClientsAcrossTenants(options.db), log)
  let closed = false
  let listener: pg.Client | undefined
  let reconnectTimer: NodeJS.Timeout | undefined

  async function reload(): Promise<void> {
    table = buildTable(await listNasClientsAcrossTenants(options.db), log)
    log.debug({ clients: table.exact.size + table.networks.length }, 'nas clients reloaded')
  }
  const reloadQuietly = (): void => { reload().catch((err: unknown) => log.error({ err }, 'nas client reload failed')) }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString, application_name: 'radiusd:listen' })
    client.on('notification', reloadQuietly)
    client.on('error', (err) => {
      log.warn({ err }, 'nas LISTEN connection lost; reconnecting')
      client.end().catch(() => {})
      scheduleReconnect()
    })
    await client.connect()
    await client.query('LISTEN mnetifi_nas_changed')
    listener = client
  }
  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      listen().then(reloadQuietly, (err: unknown) => {
        log.warn({ err }, 'nas LISTEN reconnect failed')
        scheduleReconnect()
      })
    }, 1000)
    reconnectTimer.unref()
  }
  await listen()
  const refresh = setInterval(reloadQuietly, options.refreshMs ?? 60_000)
  refresh.unref()

  return {
    resolve(address) {
      const bare = address.startsWith('::ffff:') ? address.slice(7) : address
      const hit = table.exact.get(bare)
      if (hit) return hit
      const family = isIP(bare) === 6 ? 'ipv6' : 'ipv4'
      return table.networks.find((n) => n.list.check(bare, family))?.client ?? null
    },
    reload,
    async close() {
      closed = true
      clearInterval(refresh)
      if (reconnectTimer) clearTimeout(reconnectTimer)
      await listener?.end().catch(() => {})
    },
  }
}
