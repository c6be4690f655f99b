/**
 * UDP sockets, client resolution, packet authentication, duplicate detection and dispatch (layeh `server.go`
 * shape: `createRadiusServer({ handler, resolveClient })`; `resolveClient` returning null means drop).
 *
 * - Unknown sources are dropped unanswered; every drop is counted by reason and logged at most once a minute
 *   per address and reason (`drop-log.ts`), so a flood cannot become a log flood.
 * - A code this port does not serve is dropped before any digest is computed (cheap under a flood).
 * - Malformed packets (RFC 2865 §3/§5, bad authenticator or Message-Authenticator) are dropped and counted,
 *   and never touch the duplicate cache (RFC 5080 §2.2.2).
 * - Duplicates (same socket, source IP/port, Identifier and Request Authenticator) within `dedupeMs` get the
 *   cached reply verbatim, or are silently dropped while the original is still being processed (RFC 5080 §2.2.1).
 * - Replies go out from the socket the request arrived on (gotcha 17) and echo every Proxy-State in order.
 * - A handler returning null sends nothing: the NAS retransmits (FreeRADIUS `fail`).
 */
import { createSocket, type Socket } from 'node:dgram'
import type { Logger } from 'pino'
import type { NasClient } from './clients.js'
import { ANSWERED, IN_PROGRESS, createDuplicateCache } from './duplicate-cache.js'
import type { RadiusMetrics } from './metrics.js'
import { createDropLog } from './drop-log.js'
import { decodePacket, encodeResponse, MalformedPacketError, PacketCode, type AttributeList, type RadiusPacket } from './protocol/codec.js'

export type SocketKind = 'auth' | 'acct'

export interface RadiusRequest {
  readonly kind: SocketKind
  readonly packet: RadiusPacket
  readonly client: NasClient
  readonly source: { readonly address: string; readonly port: number }
  /** ms since the epoch. */
  readonly receivedAt: number
}

/** What to answer; `delayMs` holds the reply back (FreeRADIUS `reject_delay`). */
export type RadiusReply = { readonly code: number; readonly attributes: AttributeList; readonly delayMs?: number } | null

export type RadiusHandler = (request: RadiusRequest) => Promise<RadiusReply>

export interface RadiusServerOptions {
  readonly handler: RadiusHandler
  readonly resolveClient: (address: string) => NasClient | null
  readonly log: Logger
  readonly metrics: RadiusMetrics
  /** How long replies stay in the duplicate cache, ms (RFC 5080 suggests 5–30 s). @defaultValue 10000 */
  readonly dedupeMs?: number
  /**
   * Message-Authenticator "auto" mode: called once per client (per process) the first time a verified
   * Access-Request from a client that does not yet require it carries one; from then on this process drops
   * that client's Access-Requests without it, and the callback persists the flag for restarts and other
   * replicas. Absent = flag mode only.
   */
  readonly onMessageAuthenticatorSeen?: (client: NasClient) => void
}

export interface RadiusServer {
  /** Binds a socket; resolves with the bound port (0 = ephemeral). */
  listen(kind: SocketKind, port: number, host: string): Promise<number>
  /** Stops taking requests (new ones are dropped as shutting-down), waits up to 5 s for those in flight to be answered, then closes. */
  close(): Promise<void>
}

const ACCEPTED_CODES: Readonly<Record<SocketKind, ReadonlySet<number>>> = {
  auth: new Set([PacketCode.AccessRequest, PacketCode.StatusServer]),
  acct: new Set([PacketCode.AccountingRequest, PacketCode.StatusServer]),
}

/** Every code RFC 2865/2866/5176 define (and 52 Protocol-Error): anything else is `unknown-code`. */
const RADIUS_CODES: ReadonlySet<number> = new Set([...Object.values(PacketCode), 52])

const SOCKET_INDEX: Readonly<Record<SocketKind, number>> = { auth: 0, acct: 1 }

export function createRadiusServer(options: RadiusServerOptions): RadiusServer {
  const { handler, resolveClient, log, metrics, onMessageAuthenticatorSeen } = options
  // Clients (by nas name) that sent a valid Message-Authenticator: they must keep sending one (BlastRADIUS).
  const maLearned = new Set<string>()
  const dedupeMs = options.dedupeMs ?? 10_000
  const sockets: Socket[] = []
  const cache = createDuplicateCache(dedupeMs)
  const dropLog = createDropLog(log)
  // The sweep frees only what expired, oldest first, in small steps (every 100 ms).
  const sweep = setInterval(() => {
    const now = Date.now()
    cache.sweep(now)
    dropLog.sweep(now)
    metrics.dedupeEntries.set(cache.size)
  }, 100)
  sweep.unref()
  // Graceful shutdown (SIGTERM): stop taking requests, let those in flight reach their reply, then close.
  let closing = false
  let inFlight = 0
  let drained: (() => void) | undefined
  const settled = () => {
    inFlight--
    if (closing && inFlight === 0) drained?.()
  }
  const SHUTDOWN_GRACE_MS = 5000

  function onMessage(kind: SocketKind, socket: Socket, msg: Buffer, rinfo: { address: string; port: number }): void {
    const receivedAt = Date.now()
    if (closing) {
      // The router retransmits to its next /radius server.
      metrics.drop('shutting-down')
      return
    }
    const client = resolveClient(rinfo.address)
    if (!client) {
      metrics.drop('unknown-client')
      dropLog.dropped(rinfo.address, 'unknown-client', { port: rinfo.port }, receivedAt)
      return
    }
    // The code is read before decoding (a shorter datagram is the decoder's too-short).
    const code = msg.length >= 20 ? msg[0]! : -1
    if (code >= 0 && !ACCEPTED_CODES[kind].has(code)) {
      const reason = RADIUS_CODES.has(code) ? 'unexpected-code' : 'unknown-code'
      metrics.drop(reason)
      dropLog.dropped(rinfo.address, reason, { code, kind }, receivedAt)
      return
    }
    let packet: RadiusPacket
    try {
      const required = client.requireMessageAuthenticator || maLearned.has(client.name)
      packet = decodePacket(msg, client.secret, { requireMessageAuthenticator: required })
      if (!required && onMessageAuthenticatorSeen && packet.hasMessageAuthenticator && packet.code === PacketCode.AccessRequest) {
        maLearned.add(client.name)
        log.info({ nasIp: rinfo.address, nas: client.name }, 'NAS sent Message-Authenticator: requiring it from now on')
        onMessageAuthenticatorSeen(client)
      }
    } catch (err) {
      if (!(err instanceof MalformedPacketError)) {
        metrics.handlerErrors.inc({ type: kind })
        log.error({ err, nasIp: rinfo.address }, 'unexpected error decoding packet')
        return
      }
      metrics.drop(err.reason)
      dropLog.dropped(rinfo.address, err.reason, { detail: err.detail, offset: err.offset }, receivedAt)
      return
    }

    const handle = cache.begin(SOCKET_INDEX[kind], rinfo.address, rinfo.port, packet.identifier, packet.authenticator, receivedAt)
    if (handle === ANSWERED) {
      metrics.duplicates.inc({ type: kind })
      socket.send(cache.reply(), rinfo.port, rinfo.address)
      return
    }
    if (handle === IN_PROGRESS) {
      metrics.drop('duplicate-in-progress')
      return
    }

    const request: RadiusRequest = { kind, packet, client, source: rinfo, receivedAt }
    inFlight++
    handler(request).then((reply) => {
      if (!reply) {
        cache.forget(handle) // nothing was sent: a retransmission must be processed again
        settled()
        return
      }
      const proxyState = packet.attributes.get('Proxy-State')
      const attributes = proxyState === undefined ? reply.attributes
        : [...reply.attributes, ...proxyState.map((v) => ['Proxy-State', v] as const)]
      const bytes = encodeResponse({ code: reply.code, identifier: packet.identifier, requestAuthenticator: packet.authenticator,
        secret: client.secret, attributes })
      const send = (): void => {
        cache.answered(handle, bytes, Date.now())
        socket.send(bytes, rinfo.port, rinfo.address, settled)
        metrics.latency.observe({ type: kind }, (Date.now() - receivedAt) / 1000)
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref()
      else send()
    }).catch((err: unknown) => {
      settled()
      cache.forget(handle)
      metrics.handlerErrors.inc({ type: kind })
      log.error({ err, nasIp: rinfo.address, id: packet.identifier }, 'handler failed; no reply sent')
    })
  }

  return {
    async listen(kind, port, host) {
      const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false })
      socket.on('message', (msg, rinfo) => {
        try {
          onMessage(kind, socket, msg, rinfo)
        } catch (err) {
          metrics.handlerErrors.inc({ type: kind })
          log.error({ err }, 'packet processing failed')
        }
      })
      socket.on('error', (err) => log.error({ err, kind }, 'socket error'))
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        socket.bind(port, host, () => { socket.off('error', reject); resolve() })
      })
      // A radclient burst of -p 200 fills the default 208 KiB buffer; ask for more (capped by rmem_max).
      try { socket.setRecvBufferSize(8 * 1024 * 1024) } catch { /* keep the default */ }
      sockets.push(socket)
      return socket.address().port
    },
    async close() {
      closing = true
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve
          setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()
        })
      }
      clearInterval(sweep)
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))))
      sockets.length = 0
    },
  }
}
