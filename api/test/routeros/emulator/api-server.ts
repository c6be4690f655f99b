/**
 * The emulated router's API service: a real TCP (or TLS, for API-SSL) server speaking the RouterOS API wire
 * protocol (digest §5.2–5.3) over an {@link EmulatedRouter}: length-encoded words, tagged sentences, `!re` / `!done`
 * / `!trap` / `!fatal`, RouterOS 7.18's `!empty`, queries with `?` words and the stack operators, `=.proplist=`,
 * and the post-6.43 plain `/login`. Faults (hang, drop mid-command, `!fatal`, silent login) are switches a test flips.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { MENUS } from './menus.js'
import type { EmulatedRouter } from './router.js'
import { RouterTrap, type Item } from './state.js'
import { encodeSentence, SentenceDecoder } from './wire.js'

/** Misbehaviour to emulate; each names a command path (`/system/resource/print`). */
export interface ApiFaults {
  /** Never answer this command (the session stays open). */
  hangOn?: string | undefined
  /** Send the first reply row (if any), then close the socket. */
  dropOn?: string | undefined
  /** Answer with `!fatal` and close, as RouterOS does when the session is killed. */
  fatalOn?: string | undefined
  /** Accept TCP but never answer `/login` (a router whose API hangs). */
  silentLogin?: boolean | undefined
}

/** Options of {@link RouterApiServer}. */
export interface RouterApiServerOptions {
  /** API-SSL: the server's key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string }
  /**
   * The source address logins are checked against (`/user address=`). In production MnetiFi reaches the API
   * through the tunnel, from its tunnel address; tests connect over loopback, so they say which address that is.
   */
  readonly tunnelSource?: string
  /** What `/tool/fetch` over the API downloads with (the router's own HTTP client). @defaultValue refuses */
  readonly fetch?: (url: string) => Promise<string>
}

type Query = (item: Record<string, string>) => boolean

/** Evaluates RouterOS query words (`?a=b`, `?a`, `?-a`, `?>a=1`, `?<a=1`, `?#|`, `?#&`, `?#!`) as its stack machine. */
export function compileQuery(words: readonly string[]): Query {
  const ops: ((stack: Query[]) => void)[] = []
  for (const w of words) {
    const q = w.slice(1)
    if (q.startsWith('#')) {
      for (const op of q.slice(1)) {
        ops.push((stack) => {
          if (op === '!') { const a = stack.pop() ?? (() => true); stack.push((i) => !a(i)) }
          else if (op === '|' || op === '&') {
            const b = stack.pop() ?? (() => true)
            const a = stack.pop() ?? (() => true)
            stack.push(op === '|' ? (i) => a(i) || b(i) : (i) => a(i) && b(i))
          } else throw new RouterTrap(`unknown query operation ${op}`)
        })
      }
      continue
    }
    let test: Query
    if (q.startsWith('-')) { const name = q.slice(1); test = (i) => i[name] === undefined }
    else if (q.startsWith('>') || q.startsWith('<')) {
      const [name, value = ''] = splitAttr(q.slice(1))
      const gt = q.startsWith('>')
      test = (i) => i[name] !== undefined && (gt ? Number(i[name]) > Number(value) : Number(i[name]) < Number(value))
    } else if (q.includes('=')) { const [name, value = ''] = splitAttr(q); test = (i) => (i[name] ?? '') === value }
    else test = (i) => i[q] !== undefined
    ops.push((stack) => stack.push(test))
  }
  return (item) => {
    const stack: Query[] = []
    for (const op of ops) op(stack)
    // Everything left on the stack is ANDed (RouterOS docs: "all values on the stack are ANDed").
    return stack.every((t) => t(item))
  }
}

function splitAttr(s: string): [string, string] {
  const eq = s.indexOf('=')
  return eq === -1 ? [s, ''] : [s.slice(0, eq), s.slice(eq + 1)]
}

function normaliseAddress(a: string | undefined): string {
  return (a ?? '').replace(/^::ffff:/, '')
}

/** The API service of one emulated router. */
export class RouterApiServer {
  readonly faults: ApiFaults = {}
  /** Every command received (path only, never the password), in order, across sessions. */
  readonly commands: string[] = []
  /** Successful logins, to check that a client reuses its session. */
  logins = 0
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  readonly #tunnelSource: string | undefined
  readonly #fetch: ((url: string) => Promise<string>) | undefined

  constructor(readonly router: EmulatedRouter, options: RouterApiServerOptions = {}) {
    this.#tunnelSource = options.tunnelSource
    this.#fetch = options.fetch
    const onSocket = (socket: Socket) => this.#serve(socket)
    this.#server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onSocket) : createTcpServer(onSocket)
  }

  /** Listens on 127.0.0.1 (port 0 = any free one); returns the port. */
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => resolve())
    })
    const addr = this.#server.address()
    if (!addr || typeof addr === 'string') throw new Error('no port')
    return addr.port
  }

  /** Open API sessions right now. */
  get openSessions(): number {
    return this.#sockets.size
  }

  /** Closes every session and stops listening. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket)
    // node-routeros writes word by word; without this Nagle + delayed ACK add ~40 ms per command.
    socket.setNoDelay(true)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    const decoder = new SentenceDecoder()
    let user: string | undefined
    socket.on('data', (chunk) => {
      let sentences: string[][]
      try {
        sentences = decoder.push(chunk)
      } catch {
        socket.destroy()
        return
      }
      for (const words of sentences) {
        if (socket.destroyed) return
        if (words.length === 0) continue
        const result = this.#handle(socket, words, user)
        if (result === 'stop') return
        if (typeof result === 'string') user = result
      }
    })
  }

  /** Handles one sentence; returns the logged-in user after a login, 'stop' once the socket is gone. */
  #handle(socket: Socket, words: readonly string[], user: string | undefined): string | 'stop' | undefined {
    const [path = '', ...rest] = words
    const tagWord = rest.find((w) => w.startsWith('.tag='))
    const send = (type: string, attrs: Record<string, string> = {}) => {
      socket.write(encodeSentence([type, ...Object.entries(attrs).map(([k, v]) => `=${k}=${v}`), ...(tagWord ? [tagWord] : [])]))
    }
    const attrs: Record<string, string> = {}
    const queries: string[] = []
    for (const w of rest) {
      if (w.startsWith('=')) { const [k, v] = splitAttr(w.slice(1)); attrs[k] = v }
      else if (w.startsWith('?')) queries.push(w)
    }
    this.commands.push(path)
    if (path === '/login') {
      if (this.faults.silentLogin) return undefined
      if (attrs.name !== undefined && this.router.checkLogin(attrs.name, attrs.password ?? '', this.#tunnelSource ?? normaliseAddress(socket.remoteAddress))) {
        this.logins++
        send('!done')
        return attrs.name
      }
      send('!trap', { message: 'invalid user name or password (6)' })
      send('!done')
      return undefined
    }
    if (path === '/quit') {
      socket.end(encodeSentence(['!fatal', 'session terminated on request']))
      return 'stop'
    }
    if (!user) {
      send('!trap', { message: 'not logged in' })
      send('!done')
      return undefined
    }
    if (path === this.faults.hangOn) return undefined
    if (path === this.faults.fatalOn) {
      socket.end(encodeSentence(['!fatal', 'session terminated by administrator']))
      return 'stop'
    }
    if (path === '/tool/fetch') {
      void this.#toolFetch(attrs).then(() => { send('!re', { status: 'finished' }); send('!done') }, (err: unknown) => {
        send('!trap', { message: err instanceof Error ? err.message : String(err) })
        send('!done')
      })
      return undefined
    }
    try {
      const rows = this.#execute(path, attrs, queries)
      if (path === this.faults.dropOn) {
        if (rows[0]) send('!re', rows[0])
        socket.destroy()
        return 'stop'
      }
      if ('ret' in rows) { send('!done', { ret: rows.ret as string }); return undefined }
      for (const row of rows) send('!re', row)
      if (rows.length === 0 && path.endsWith('/print') && this.#sendsEmpty()) send('!empty')
      send('!done')
    } catch (err) {
      if (!(err instanceof RouterTrap)) throw err
      send('!trap', { message: err.message, ...(err.category === undefined ? {} : { category: String(err.category) }) })
      send('!done')
    }
    return undefined
  }

  /** `/tool/fetch =url= =dst-path=`: downloads into a `/file` entry (replacing one of that name). */
  async #toolFetch(attrs: Record<string, string>): Promise<void> {
    if (!attrs.url) throw new RouterTrap('missing value for url')
    if (!this.#fetch) throw new RouterTrap('failure: could not connect')
    const body = await this.#fetch(attrs.url)
    const name = attrs['dst-path'] ?? attrs.url.split('/').pop()!
    const existing = this.router.items('/file').find((f) => f.name === name)
    if (existing) Object.assign(existing, { contents: body, size: String(Buffer.byteLength(body)) })
    else this.router.addDynamic('/file', { name, type: 'file', contents: body, size: String(Buffer.byteLength(body)) })
  }

  /** RouterOS 7.18+ answers a print that matched nothing with `!empty` before `!done`. */
  #sendsEmpty(): boolean {
    const [major = 0, minor = 0] = this.router.options.version.split(/[.\s]/).map(Number)
    return major > 7 || (major === 7 && minor >= 18)
  }

  #execute(path: string, attrs: Record<string, string>, queries: readonly string[]): Record<string, string>[] & { ret?: string } {
    const slash = path.lastIndexOf('/')
    const menu = path.slice(0, slash)
    const verb = path.slice(slash + 1)
    const spec = MENUS[menu]
    if (!spec) throw new RouterTrap('no such command prefix', 0)
    const { '.id': idList, '.proplist': proplist, ...props } = attrs
    const ids = idList?.split(',')
    switch (verb) {
      case 'print': case 'getall': {
        this.router.refreshDynamic()
        const rows: Record<string, string>[] = spec.singleton ? [{ ...this.router.setting(menu) }] : this.router.items(menu).filter(compileQuery(queries)).map((i: Item) => ({ ...i }))
        if (!proplist) return rows
        const keep = proplist.split(',')
        return rows.map((r) => Object.fromEntries(keep.filter((k) => r[k] !== undefined).map((k) => [k, r[k]!])))
      }
      case 'add': return Object.assign([], { ret: this.router.add(menu, props) })
      case 'set': this.router.set(menu, spec.singleton ? undefined : ids ?? [], props); return []
      case 'remove':
        if (!ids) throw new RouterTrap('missing value for .id', 1)
        this.router.remove(menu, ids)
        return []
      case 'enable': case 'disable':
        if (!ids) throw new RouterTrap('missing value for .id', 1)
        this.router.set(menu, ids, { disabled: verb === 'disable' ? 'yes' : 'no' })
        return []
      default: throw new RouterTrap('no such command', 0)
    }
  }
}
