/**
 * A fast RADIUS load generator for the benchmark (loopback only, bounded by count or time), because radclient
 * is the bottleneck on this 2-core machine: it burns ~140 µs of CPU per request (more than radiusd and its
 * Postgres backends together), so every cycle it spends is taken from the server under test.
 *
 * Packets are the run.sh / latency.py ones (PAP + Message-Authenticator; accounting Start / Interim-Update /
 * Stop with distinct sessions), encoded once up front; only the Identifier and the authenticator/MA digest
 * are written at send time. Every answer's Response Authenticator is verified.
 *
 * Two modes:
 * - `window`: closed loop like `radclient -p P` (at most P requests outstanding; a timed-out request is
 *   retransmitted unchanged up to `retries` times, then counted lost) → requests/s.
 * - `rate`: open loop at a fixed send rate (sends never wait for answers: no coordinated omission) →
 *   p50/p90/p99/p99.9/max round-trip latency.
 *
 * CLI: `tsx radiusd/bench/loadgen.ts <window|rate> <auth|start|interim|stop> --port 11812 [--count 20000]
 *      [--parallel 100] [--rate 1000 --seconds 5] [--first 1] [--prefix b]` (prints one JSON line).
 */
import { randomBytes } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
// One-shot digests: Hash/Hmac objects would add weak-handle work to this process's GC pauses (see crypto.ts).
import { hmacMd5, md5 } from '../src/protocol/crypto.js'

export type LoadKind = 'auth' | 'start' | 'interim' | 'stop'

export interface LoadOptions {
  readonly kind: LoadKind
  readonly port: number
  readonly secret?: string
  /** First packet index (user = (i − 1) mod users + 1, Acct-Session-Id `<prefix>-<i>`). @defaultValue 1 */
  readonly first?: number
  readonly users?: number
  readonly prefix?: string
}

export interface WindowResult { readonly seconds: number; readonly rps: number; readonly ok: number; readonly rejected: number; readonly lost: number; readonly retransmits: number; readonly badAuth: number }
export interface RateResult { readonly sent: number; readonly seconds: number; readonly answered: number; readonly lost: number; readonly accepts: number; readonly p50: number; readonly p90: number; readonly p99: number; readonly p999: number; readonly max: number }

const HOST = '127.0.0.1'

function attr(type: number, value: Buffer | string | number): Buffer {
  const v = typeof value === 'number' ? Buffer.from([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255])
    : typeof value === 'string' ? Buffer.from(value) : value
  return Buffer.concat([Buffer.from([type, v.length + 2]), v])
}

function pap(password: string, secret: Buffer, authenticator: Buffer): Buffer {
  const p = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16))
  p.write(password)
  let prev = authenticator
  for (let i = 0; i < p.length; i += 16) {
    const b = md5(secret, prev)
    for (let j = 0; j < 16; j++) p[i + j]! ^= b[j]!
    prev = p.subarray(i, i + 16)
  }
  return p
}

/** Packet i with Identifier 0 and a zero digest; `finish` writes Identifier + digest in place. */
function encode(kind: LoadKind, i: number, users: number, secret: Buffer, prefix: string): Buffer {
  const u = ((i - 1) % users) + 1
  const mac = `02:00:00:${[(u >> 16) & 255, (u >> 8) & 255, u & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`
  const common = [attr(4, Buffer.from([127, 0, 0, 1])), attr(32, 'bench-nas'), attr(5, i), attr(61, 19)]
  if (kind === 'auth') {
    const authenticator = randomBytes(16)
    const body = Buffer.concat([attr(1, `user${u}`), attr(2, pap(`pw${u}`, secret, authenticator)), ...common, attr(31, mac),
      attr(30, 'hotspot1'), attr(6, 1), Buffer.from([80, 18]), Buffer.alloc(16)])
    const head = Buffer.from([1, 0, 0, 0]); head.writeUInt16BE(20 + body.length, 2)
    return Buffer.concat([head, authenticator, body])
  }
  const status = { start: 1, stop: 2, interim: 3 }[kind]
  const parts = [attr(1, `user${u}`), attr(40, status), attr(44, `${prefix}-${i}`), ...common, attr(31, mac), attr(30, 'hotspot1'),
    attr(8, Buffer.from([10, (i >> 16) & 255, (i >> 8) & 255, i & 255])), attr(45, 1), attr(41, 0)]
  if (kind === 'interim') parts.push(attr(46, 300), attr(42, 1000000 + i), attr(43, 5000000 + i), attr(47, 1000), attr(48, 2000))
  if (kind === 'stop') parts.push(attr(46, 600), attr(42, 2000000 + i), attr(43, 9000000 + i), attr(47, 2000), attr(48, 4000), attr(49, 1))
  const body = Buffer.concat(parts)
  const head = Buffer.from([4, 0, 0, 0]); head.writeUInt16BE(20 + body.length, 2)
  return Buffer.concat([head, Buffer.alloc(16), body])
}

/** Sets the Identifier and the Message-Authenticator (auth) or Request Authenticator (accounting). */
function finish(pkt: Buffer, id: number, secret: Buffer): void {
  pkt[1] = id
  if (pkt[0] === 1) {
    const ma = pkt.length - 16
    pkt.fill(0, ma)
    hmacMd5(secret, pkt).copy(pkt, ma)
  } else {
    pkt.fill(0, 4, 20)
    md5(pkt, secret).copy(pkt, 4)
  }
}

function responseOk(res: Buffer, req: Buffer, secret: Buffer): boolean {
  if (res.length < 20) return false
  const len = res.readUInt16BE(2)
  const digest = md5(res.subarray(0, 4), req.subarray(4, 20), res.subarray(20, len), secret)
  return digest.equals(res.subarray(4, 20))
}

interface Ctx { secret: Buffer; users: number; prefix: string; first: number }
const ctxOf = (o: LoadOptions): Ctx => ({ secret: Buffer.from(o.secret ?? 'testing123'), users: o.users ?? 10000, prefix: o.prefix ?? 'b', first: o.first ?? 1 })

async function openSockets(n: number, onMessage: (s: number, msg: Buffer) => void): Promise<Socket[]> {
  return Promise.all(Array.from({ length: n }, (_, s) => new Promise<Socket>((resolve) => {
    const sock = createSocket('udp4')
    sock.on('message', (msg) => onMessage(s, msg))
    sock.bind(0, HOST, () => {
      try { sock.setRecvBufferSize(4 << 20) } catch { /* default */ }
      resolve(sock)
    })
  })))
}

/** Closed loop: `count` requests, at most `parallel` outstanding (radclient -p). */
export async function runWindow(o: LoadOptions & { count: number; parallel: number; timeoutMs?: number; retries?: number; silenceMs?: number }): Promise<WindowResult> {
  const c = ctxOf(o)
  const packets = Array.from({ length: o.count }, (_, k) => encode(o.kind, c.first + k, c.users, c.secret, c.prefix))
  const timeoutMs = o.timeoutMs ?? 3000
  const retries = o.retries ?? 3
  // A server that answers nothing for this long is gone (someone stopped it): count the rest lost, do not wait.
  const silenceMs = o.silenceMs ?? 10_000
  const nsock = Math.ceil(o.parallel / 250)
  // slot = socket * 256 + id; the request it carries, its send time and attempt.
  const slotReq = new Int32Array(nsock * 256).fill(-1)
  const slotAt = new Float64Array(nsock * 256)
  const slotTry = new Uint8Array(nsock * 256)
  const free: number[] = []
  for (let id = 0; id < 250; id++) for (let s = 0; s < nsock; s++) free.push(s * 256 + id)
  free.reverse()
  let next = 0, done = 0, ok = 0, rejected = 0, lost = 0, retransmits = 0, badAuth = 0, lastAnswer = performance.now()
  let resolveDone!: () => void
  const finished = new Promise<void>((r) => (resolveDone = r))
  let sockets: Socket[] = []
  const send = (slot: number): void => {
    const pkt = packets[slotReq[slot]!]!
    slotAt[slot] = performance.now()
    sockets[slot >> 8]!.send(pkt, o.port, HOST)
  }
  const fill = (): void => {
    let inFlight = nsock * 250 - free.length
    while (next < packets.length && inFlight < o.parallel) {
      const slot = free.pop()!
      slotReq[slot] = next
      slotTry[slot] = 0
      finish(packets[next]!, slot & 255, c.secret)
      next++; inFlight++
      send(slot)
    }
  }
  const complete = (slot: number): void => {
    slotReq[slot] = -1
    free.push(slot)
    if (++done === packets.length) resolveDone()
    else fill()
  }
  sockets = await openSockets(nsock, (s, msg) => {
    const slot = s * 256 + msg[1]!
    const r = slotReq[slot]!
    if (r < 0) return
    if (!responseOk(msg, packets[r]!, c.secret)) { badAuth++; return }
    lastAnswer = performance.now()
    if (msg[0] === 2 || msg[0] === 5) ok++
    else rejected++
    complete(slot)
  })
  const timer = setInterval(() => {
    const now = performance.now()
    if (now - lastAnswer > silenceMs) { lost += packets.length - done; done = packets.length; resolveDone(); return }
    for (let slot = 0; slot < slotReq.length; slot++) {
      if (slotReq[slot]! < 0 || now - slotAt[slot]! < timeoutMs) continue
      if (slotTry[slot]! < retries) { slotTry[slot]!++; retransmits++; send(slot) } else { lost++; complete(slot) }
    }
  }, 100)
  const t0 = performance.now()
  fill()
  await finished
  const seconds = (performance.now() - t0) / 1000
  clearInterval(timer)
  sockets.forEach((s) => s.close())
  return { seconds, rps: Math.round(o.count / seconds), ok, rejected, lost, retransmits, badAuth }
}

/** Open loop: `rate` requests/s for `seconds`, each timed from its send to its answer. */
export async function runRate(o: LoadOptions & { rate: number; seconds: number; timeoutMs?: number
  /** Called for every answer: ms since the start at which it was sent, and its round trip (for stall hunting). */
  onSample?: (sentMs: number, rttMs: number) => void }): Promise<RateResult> {
  const c = ctxOf(o)
  const total = Math.round(o.rate * o.seconds)
  const packets = Array.from({ length: total }, (_, k) => encode(o.kind, c.first + k, c.users, c.secret, c.prefix))
  const nsock = 16
  const slotReq = new Int32Array(nsock * 256).fill(-1)
  const slotAt = new Float64Array(nsock * 256)
  const rtts: number[] = []
  let accepts = 0
  let t0 = performance.now()
  const sockets = await openSockets(nsock, (s, msg) => {
    const t = performance.now()
    const slot = s * 256 + msg[1]!
    const r = slotReq[slot]!
    if (r < 0 || !responseOk(msg, packets[r]!, c.secret)) return
    rtts.push(t - slotAt[slot]!)
    o.onSample?.(slotAt[slot]! - t0, t - slotAt[slot]!)
    if (msg[0] === 2 || msg[0] === 5) accepts++
    slotReq[slot] = -1
  })
  t0 = performance.now()
  let n = 0
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * o.rate) + 1)
      for (; n < due; n++) {
        const slot = (n % nsock) * 256 + (Math.floor(n / nsock) & 255)
        slotReq[slot] = n
        finish(packets[n]!, slot & 255, c.secret)
        slotAt[slot] = performance.now()
        sockets[slot >> 8]!.send(packets[n]!, o.port, HOST)
      }
      // Sleep until the next send is due (timers have ~1 ms resolution; late ticks catch up): a busy loop
      // here would take a core from the server under test.
      if (n < total) setTimeout(tick, Math.max(0, t0 + (n / o.rate) * 1000 - performance.now()))
      else resolve()
    }
    tick()
  })
  const seconds = (performance.now() - t0) / 1000
  await new Promise((r) => setTimeout(r, o.timeoutMs ?? 1000))
  sockets.forEach((s) => s.close())
  const sorted = rtts.sort((a, b) => a - b)
  const q = (p: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) * 100) / 100
  return { sent: total, seconds: Math.round(seconds * 100) / 100, answered: rtts.length, lost: total - rtts.length, accepts,
    p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: q(1) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, kind] = process.argv.slice(2, 4) as ['window' | 'rate', LoadKind]
  const arg = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? Number(process.argv[i + 1]) : dflt
  }
  const pi = process.argv.indexOf('--prefix')
  const base = { kind, port: arg('port', kind === 'auth' ? 11812 : 11813), first: arg('first', 1), prefix: pi > 0 ? process.argv[pi + 1]! : 'b' }
  const res = mode === 'rate'
    ? await runRate({ ...base, rate: arg('rate', 1000), seconds: arg('seconds', 5) })
    : await runWindow({ ...base, count: arg('count', 20000), parallel: arg('parallel', 100) })
  console.log(JSON.stringify(res))
}
