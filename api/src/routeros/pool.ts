/**
 * One RouterOS API session per router, shared by every caller and closed after it has been idle a while.
 * RouterOS limits API sessions (`/ip service api max-sessions`, 20 by default since 7.16) and a login costs a round
 * trip or two through the tunnel, so opening one per action would be slow and could lock admins out.
 */
import { createRouterOsClient, type RouterOsClient } from './client.js'
import { RouterConnection, routerLabel, type RouterRow, type RouterTarget, type RouterTimeouts } from './connection.js'

/** Options of {@link RouterPool}. */
export interface RouterPoolOptions extends RouterTimeouts {
  /** A session unused this long is logged out. @defaultValue 60000 (1 min) */
  readonly idleTimeoutMs?: number
}

interface Entry {
  /** The session being opened or open; undefined between a failure and the next use. */
  connection: Promise<RouterConnection>
  /** Credentials the session was opened with: a changed password must not reuse it. */
  fingerprint: string
  idleTimer: NodeJS.Timeout | undefined
  busy: number
}

/** Runs commands on routers through pooled sessions. */
export class RouterPool {
  readonly #entries = new Map<string, Entry>()
  readonly #options: Required<RouterPoolOptions>
  #closed = false

  constructor(options: RouterPoolOptions = {}) {
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      commandTimeoutMs: options.commandTimeoutMs ?? 15_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    }
  }

  /** How many routers have a session open or opening (for health output and tests). */
  get size(): number {
    return this.#entries.size
  }

  /**
   * Runs a command on `target`'s shared session, opening it first if needed. A session that died is replaced on
   * the next call, so one dropped connection does not make a router unusable.
   * @throws AppError ROUTER_UNREACHABLE / ROUTER_AUTH_FAILED / ROUTER_COMMAND_REFUSED
   */
  async run(target: RouterTarget, path: string, words: readonly string[] = []): Promise<RouterRow[]> {
    if (this.#closed) throw new Error('RouterPool is closed')
    const key = routerLabel(target)
    const entry = this.#entry(key, target)
    entry.busy++
    clearTimeout(entry.idleTimer)
    try {
      const connection = await entry.connection
      return await connection.run(path, words)
    } finally {
      entry.busy--
      if (entry.busy === 0 && this.#entries.get(key) === entry) {
        entry.idleTimer = setTimeout(() => void this.#drop(key, entry), this.#options.idleTimeoutMs)
        entry.idleTimer.unref()
      }
    }
  }

  /** The typed operations on `target`, through this pool. */
  clientFor(target: RouterTarget): RouterOsClient {
    return createRouterOsClient((path, words) => this.run(target, path, words))
  }

  /** Logs out of one router (e.g. after its credentials changed). */
  async release(target: RouterTarget): Promise<void> {
    const key = routerLabel(target)
    const entry = this.#entries.get(key)
    if (entry) await this.#drop(key, entry)
  }

  /** Logs out of every router; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.all([...this.#entries].map(([key, entry]) => this.#drop(key, entry)))
  }

  #entry(key: string, target: RouterTarget): Entry {
    const fingerprint = `${target.user}\0${target.password}\0${JSON.stringify(target.tls ?? false)}`
    const existing = this.#entries.get(key)
    if (existing && existing.fingerprint === fingerprint) return existing
    if (existing) void this.#drop(key, existing)
    const entry: Entry = { connection: RouterConnection.open(target, this.#options), fingerprint, idleTimer: undefined, busy: 0 }
    this.#entries.set(key, entry)
    entry.connection.then(
      (c) => c.onClose(() => { if (this.#entries.get(key) === entry) this.#forget(key, entry) }),
      () => { if (this.#entries.get(key) === entry) this.#forget(key, entry) },
    )
    return entry
  }

  #forget(key: string, entry: Entry): void {
    clearTimeout(entry.idleTimer)
    if (this.#entries.get(key) === entry) this.#entries.delete(key)
  }

  async #drop(key: string, entry: Entry): Promise<void> {
    this.#forget(key, entry)
    try {
      await (await entry.connection).close()
    } catch {
      // It never opened; nothing to log out of.
    }
  }
}
