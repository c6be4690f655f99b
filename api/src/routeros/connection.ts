/**
 * One logged-in RouterOS API session (plain 8728 or API-SSL 8729) over node-routeros, with what the library lacks:
 * a deadline for connect + login and for each command, and every pending command failed at once when the socket
 * dies (node-routeros leaves their promises pending forever). Commands are multiplexed on the socket by `.tag`.
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls'
import routeros, { type RouterOSAPI } from 'node-routeros'
import './node-routeros-patch.js'
import { commandError, connectError, unreachable } from './errors.js'

/** Where a router's API listens and how to log in. The password stays in memory only. */
export interface RouterTarget {
  readonly host: string
  /** @defaultValue 8728, or 8729 with `tls` */
  readonly port?: number
  /**
   * API-SSL. `true` accepts the router's self-signed certificate (RouterOS generates one; the API runs inside the
   * WireGuard tunnel, which already authenticates the router); an object pins a CA and verifies it.
   */
  readonly tls?: boolean | { readonly ca: string | Buffer; readonly servername?: string }
  readonly user: string
  readonly password: string
}

/** Deadlines, in milliseconds. */
export interface RouterTimeouts {
  /** TCP (+TLS) connect and `/login` together. @defaultValue 5000 */
  readonly connectTimeoutMs?: number
  /** From sending a command to its `!done`. @defaultValue 15000 */
  readonly commandTimeoutMs?: number
}

/** One reply row (`!re`, or `!done` carrying `=ret=`): attribute name → value, as the router sent it. */
export type RouterRow = Readonly<Record<string, string>>

/** "10.99.0.2:8728" — names the router in errors and logs. */
export function routerLabel(target: RouterTarget): string {
  return `${target.host}:${target.port ?? (target.tls ? 8729 : 8728)}`
}

function tlsOptions(tls: RouterTarget['tls']): ConnectionOptions | undefined {
  if (!tls) return undefined
  if (tls === true) return { rejectUnauthorized: false }
  return { ca: tls.ca, rejectUnauthorized: true, ...(tls.servername ? { servername: tls.servername } : {}) }
}

function deadline<T>(ms: number, onTimeout: () => Error): { promise: Promise<never>; clear: () => void; race: (p: Promise<T>) => Promise<T> } {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), ms) })
  promise.catch(() => {})
  const clear = () => clearTimeout(timer)
  return { promise, clear, race: (p) => Promise.race([p, promise]).finally(clear) }
}

/** A logged-in session; open it with {@link RouterConnection.open}. */
export class RouterConnection {
  readonly label: string
  readonly #api: RouterOSAPI
  readonly #commandTimeoutMs: number
  readonly #pending = new Set<(err: Error) => void>()
  readonly #closeListeners: (() => void)[] = []
  #open = true

  private constructor(api: RouterOSAPI, label: string, commandTimeoutMs: number) {
    this.#api = api
    this.label = label
    this.#commandTimeoutMs = commandTimeoutMs
    // After login node-routeros reports a dead socket as 'error' (reset, socket timeout) or 'close' (FIN, !fatal).
    api.on('error', () => this.#lost('the connection failed'))
    api.on('close', () => this.#lost('the router closed the connection'))
  }

  /**
   * Connects and logs in (post-6.43 `/login =name= =password=`; node-routeros falls back to the MD5 challenge).
   * @throws AppError ROUTER_UNREACHABLE (refused, timed out, TLS failure) or ROUTER_AUTH_FAILED.
   */
  static async open(target: RouterTarget, timeouts: RouterTimeouts = {}): Promise<RouterConnection> {
    const label = routerLabel(target)
    const connectTimeoutMs = timeouts.connectTimeoutMs ?? 5000
    const commandTimeoutMs = timeouts.commandTimeoutMs ?? 15_000
    const tls = tlsOptions(target.tls)
    const api = new routeros.RouterOSAPI({
      host: target.host, port: target.port ?? (tls ? 8729 : 8728), user: target.user, password: target.password,
      // node-routeros's own timeout (seconds) is a socket-silence limit; while a command is pending it pings the
      // router every timeout/2, so the command deadline below is what bounds a command. Ours fire first.
      timeout: Math.max(connectTimeoutMs, commandTimeoutMs) / 1000 + 1,
      // node-routeros types this as server TlsOptions but hands it to tls.connect(), which takes ConnectionOptions.
      ...(tls ? { tls: tls as TlsOptions } : {}),
    })
    // Errors after a failed connect would otherwise be unhandled 'error' events.
    api.on('error', () => {})
    const connecting = api.connect()
    const limit = deadline<RouterOSAPI>(connectTimeoutMs, () => unreachable(label, `no API answer within ${connectTimeoutMs} ms`))
    try {
      await limit.race(connecting)
    } catch (err) {
      if (err instanceof Error && err.name === 'AppError') {
        // Timed out: node-routeros has no abort, so destroy its socket and log out if it connects after all.
        destroySocket(api)
        connecting.then(() => api.close(), () => {}).catch(() => {})
        throw err
      }
      throw connectError(label, err)
    }
    noDelay(api)
    return new RouterConnection(api, label, commandTimeoutMs)
  }

  /** Whether the session is still usable. */
  get isOpen(): boolean {
    return this.#open
  }

  /** Calls `listener` once when the session ends, for whatever reason. */
  onClose(listener: () => void): void {
    if (!this.#open) listener()
    else this.#closeListeners.push(listener)
  }

  /**
   * Runs one command: `path` in API form (`/ip/hotspot/active/print`) and its words (`=name=value`, `?query`,
   * `=.proplist=…`). Resolves with the `!re` rows (and a `!done` that carries `=ret=`).
   * @throws AppError ROUTER_COMMAND_REFUSED on `!trap`; ROUTER_UNREACHABLE when the command times out or the
   *   connection drops before `!done` — then the session is closed, since the router's state is unknown.
   */
  async run(path: string, words: readonly string[] = []): Promise<RouterRow[]> {
    if (!this.#open) throw unreachable(this.label, `the connection is closed (before ${path})`)
    let failPending!: (err: Error) => void
    const lost = new Promise<never>((_, reject) => { failPending = reject })
    lost.catch(() => {})
    this.#pending.add(failPending)
    const limit = deadline<RouterRow[]>(this.#commandTimeoutMs, () => unreachable(this.label, `no answer to ${path} within ${this.#commandTimeoutMs} ms`))
    try {
      const rows = this.#api.write(path, [...words]) as Promise<RouterRow[]>
      return await limit.race(Promise.race([rows, lost]))
    } catch (err) {
      if (err instanceof Error && err.name === 'AppError') {
        if ((err as { code?: string }).code === 'ROUTER_UNREACHABLE') this.#lost('a command timed out', true)
        throw err
      }
      throw commandError(this.label, path, err)
    } finally {
      this.#pending.delete(failPending)
    }
  }

  /** Logs out and closes the socket (idempotent). */
  async close(): Promise<void> {
    if (!this.#open) return
    this.#markClosed()
    this.#failPending('the connection was closed')
    try {
      await this.#api.close()
    } catch {
      destroySocket(this.#api)
    }
  }

  #lost(why: string, destroy = false): void {
    if (!this.#open) return
    this.#markClosed()
    this.#failPending(why)
    if (destroy) destroySocket(this.#api)
  }

  #failPending(why: string): void {
    for (const fail of this.#pending) fail(unreachable(this.label, `${why} before the command finished`))
    this.#pending.clear()
  }

  #markClosed(): void {
    this.#open = false
    for (const l of this.#closeListeners.splice(0)) l()
  }
}

/**
 * node-routeros writes a sentence word by word; with Nagle's algorithm each command then waits for the router's
 * delayed ACK (~40 ms, more through a tunnel). Its socket is private, hence the reach-in.
 */
function noDelay(api: RouterOSAPI): void {
  const socket = (api as unknown as { connector?: { socket?: { setNoDelay?(v: boolean): unknown } } | null }).connector?.socket
  socket?.setNoDelay?.(true)
}

/** node-routeros keeps its socket private and has no abort; reaching in is the only way to stop a connect. */
function destroySocket(api: RouterOSAPI): void {
  const connector = (api as unknown as { connector?: { destroy(): void } | null }).connector
  try {
    connector?.destroy()
  } catch {
    // Already destroyed.
  }
  Object.assign(api, { connected: false, connecting: false })
}
