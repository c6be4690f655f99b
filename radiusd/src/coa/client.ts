/**
 * Dynamic Authorization client (RFC 5176): Disconnect-Request and CoA-Request to a NAS (MikroTik
 * `/radius incoming`, UDP 3799 by default), used by radiusd's enforcement loop, the api and workers
 * (`import { createCoaClient } from '@mnetifi/radiusd/coa'`).
 *
 * Retransmission (RFC 5080 §2.2.1, RFC 5176 §2.3): identical retransmits reuse the Id, authenticator and source
 * port; the wait doubles after every attempt. Replies are authenticated with the secret before they count.
 */
import { createSocket, type Socket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import { decodePacket, encodeRequest, PacketCode, type AttributeValue } from '../protocol/codec.js'
import type { AttributeName } from '../dictionary/index.js'

/** RFC 5176 §3 attributes that identify a session (the only ones a Disconnect-Request may carry). */
export const IDENTIFICATION_ATTRIBUTES = Object.freeze([
  'User-Name', 'NAS-IP-Address', 'NAS-Identifier', 'NAS-IPv6-Address', 'NAS-Port', 'NAS-Port-Id', 'Framed-IP-Address',
  'Called-Station-Id', 'Calling-Station-Id', 'Acct-Session-Id', 'Acct-Multi-Session-Id',
  'Framed-Interface-Id', 'Framed-IPv6-Prefix',
] as const satisfies readonly AttributeName[])
export type IdentificationAttribute = (typeof IDENTIFICATION_ATTRIBUTES)[number]

type AttributeInput<K extends AttributeName> = Readonly<Partial<Record<K, AttributeValue | readonly AttributeValue[]>>>

/** Where to send and how to sign. */
export interface CoaTarget {
  /** The NAS address (hotspots.nas_ip / router's RADIUS-facing address). */
  readonly nasIp: string
  /** UDP port of the NAS's dynamic-authorization server. @defaultValue 3799 */
  readonly port?: number
  /** The NAS's RADIUS shared secret. */
  readonly secret: string
}

export interface DisconnectRequest extends CoaTarget {
  /** Session identification only (RFC 5176 §3); MikroTik hotspot wants User-Name + Framed-IP-Address. */
  readonly attributes: AttributeInput<IdentificationAttribute>
}

export interface ChangeAuthorizationRequest extends CoaTarget {
  /** Identification plus the new authorisation, e.g. `Mikrotik-Rate-Limit`, `Session-Timeout`. */
  readonly attributes: AttributeInput<AttributeName>
}

/** The NAS's answer: ACK, NAK with its Error-Cause (dictionary name, or number if unknown), or silence. */
export type CoaResult =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak'; readonly errorCause: string | number | null }
  | { readonly kind: 'timeout' }

export interface CoaClientOptions {
  /** First wait for a reply before retransmitting, in ms; doubles each attempt. @defaultValue 2000 (RFC 5080 IRT) */
  readonly retryMs?: number
  /** Transmissions in total, the first included. @defaultValue 5 (RFC 5080 MRC) */
  readonly maxAttempts?: number
  /** Optional pino-style logger. */
  readonly log?: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void }
}

export interface CoaClient {
  /** Sends a Disconnect-Request (code 40). */
  disconnect(request: DisconnectRequest): Promise<CoaResult>
  /** Sends a CoA-Request (code 43). */
  changeAuthorization(request: ChangeAuthorizationRequest): Promise<CoaResult>
  /** Closes the sockets; pending requests resolve as timeouts. */
  close(): Promise<void>
}

interface Pending {
  readonly secret: Buffer
  readonly authenticator: Buffer
  readonly finish: (result: CoaResult) => void
}

/** Creates a client with its own UDP sockets (one per address family, opened on first use). */
export function createCoaClient(options: CoaClientOptions = {}): CoaClient {
  const retryMs = options.retryMs ?? 2000
  const maxAttempts = options.maxAttempts ?? 5
  const sockets = new Map<'udp4' | 'udp6', Socket>()
  const pending = new Map<string, Pending>()
  const nextId = new Map<string, number>()
  let closed = false

  function socketFor(family: 'udp4' | 'udp6'): Socket {
    let s = sockets.get(family)
    if (s) return s
    s = createSocket(family)
    s.on('error', (err) => options.log?.warn({ err }, 'coa socket error'))
    s.on('message', (msg, rinfo) => {
      const key = `${rinfo.address}:${rinfo.port}:${msg[1]}`
      const p = pending.get(key)
      if (!p) return
      try {
        const reply = decodePacket(msg, p.secret, { requestAuthenticator: p.authenticator })
        if (reply.code === PacketCode.DisconnectAck || reply.code === PacketCode.CoaAck) return p.finish({ kind: 'ack' })
        if (reply.code === PacketCode.DisconnectNak || reply.code === PacketCode.CoaNak) {
          return p.finish({ kind: 'nak', errorCause: reply.attributes.get('Error-Cause')?.[0] as string | number | undefined ?? null })
        }
      } catch (err) {
        // A forged or corrupted reply is ignored: the real one (or a timeout) will settle the request.
        options.log?.warn({ err, nasIp: rinfo.address }, 'dropped invalid CoA/Disconnect reply')
      }
    })
    s.unref()
    sockets.set(family, s)
    return s
  }

  function allocateId(dest: string): number | undefined {
    const start = nextId.get(dest) ?? Math.floor(Math.random() * 256)
    for (let i = 0; i < 256; i++) {
      const id = (start + i) % 256
      if (!pending.has(`${dest}:${id}`)) {
        nextId.set(dest, (id + 1) % 256)
        return id
      }
    }
    return undefined
  }

  function send(code: number, target: CoaTarget, input: AttributeInput<AttributeName>): Promise<CoaResult> {
    if (closed) return Promise.resolve({ kind: 'timeout' })
    const port = target.port ?? 3799
    const dest = `${target.nasIp}:${port}`
    const id = allocateId(dest)
    if (id === undefined) return Promise.resolve({ kind: 'timeout' })
    const secret = Buffer.from(target.secret, 'utf8')
    const attributes: [AttributeName, AttributeValue][] = []
    for (const [name, value] of Object.entries(input) as [AttributeName, AttributeValue | readonly AttributeValue[] | undefined][]) {
      if (value === undefined) continue
      for (const v of Array.isArray(value) ? value : [value]) attributes.push([name, v])
    }
    // Message-Authenticator is optional in CoA/DM (RFC 5176 §3.4) and some RouterOS builds reject it; omit.
    const packet = encodeRequest({ code, identifier: id, attributes, secret, messageAuthenticator: false })
    const socket = socketFor(isIPv6(target.nasIp) ? 'udp6' : 'udp4')
    const key = `${dest}:${id}`
    return new Promise<CoaResult>((resolve) => {
      let attempt = 0
      let timer: NodeJS.Timeout | undefined
      const finish = (result: CoaResult): void => {
        if (timer) clearTimeout(timer)
        pending.delete(key)
        options.log?.debug({ nasIp: target.nasIp, port, code, result }, 'coa finished')
        resolve(result)
      }
      pending.set(key, { secret, authenticator: packet.subarray(4, 20), finish })
      const transmit = (): void => {
        if (!pending.has(key)) return
        if (attempt >= maxAttempts) return finish({ kind: 'timeout' })
        attempt++
        socket.send(packet, port, target.nasIp, (err) => {
          if (err) options.log?.warn({ err, nasIp: target.nasIp }, 'coa send failed')
        })
        timer = setTimeout(transmit, retryMs * 2 ** (attempt - 1))
      }
      transmit()
    })
  }

  return {
    disconnect(request) {
      for (const name of Object.keys(request.attributes)) {
        if (!(IDENTIFICATION_ATTRIBUTES as readonly string[]).includes(name)) {
          throw new TypeError(`${name} is not a session identification attribute (RFC 5176 §3); a NAS would NAK it`)
        }
      }
      return send(PacketCode.DisconnectRequest, request, request.attributes)
    },
    changeAuthorization(request) {
      return send(PacketCode.CoaRequest, request, request.attributes)
    },
    async close() {
      closed = true
      for (const p of [...pending.values()]) p.finish({ kind: 'timeout' })
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((r) => s.close(() => r()))))
      sockets.clear()
    },
  }
}
