/**
 * A RouterOS 7 router talking RADIUS to radiusd, for tests: it sends the packets of `routeros-packets.ts` over real
 * UDP from a chosen 127.0.0.x source address, counts its Identifier up per request, and checks each answer the way
 * the router does (Identifier, Response Authenticator, and on 7.15+ a valid Message-Authenticator).
 *
 * Transport as the digest's RouterOS 7 trace shows it (§4.3, gotcha 16): a new source port per request, and an
 * unanswered Accounting-Request resent byte for byte (same Identifier, authenticator, source port and
 * Acct-Delay-Time). A retransmission with a bumped Acct-Delay-Time is a new request (RFC 2866 §5.2): new Identifier
 * and authenticator — send it as another `hotspotAccounting` call with `delay`.
 */
import { createSocket } from 'node:dgram'
import { decodePacket, PacketCode, type RadiusPacket } from '../../src/protocol/codec.js'
import {
  encodeAccessRequest, encodeAccountingRequest, hotspotAccessRequestAttributes, hotspotAccountingAttributes, listAttributes,
  pppoeAccessRequestAttributes, type HotspotAccounting, type HotspotClient, type HotspotLogin, type NasIdentity, type PppoeClient,
  type PppoeLogin, type WireAttribute,
} from './routeros-packets.js'

export * from './routeros-packets.js'

export interface RouterOsNasOptions extends NasIdentity {
  readonly secret: string
  readonly authPort: number
  readonly acctPort: number
  /**
   * RouterOS ≥ 7.15 (`/radius require-message-auth=yes-for-request-resp`, its default) puts Message-Authenticator
   * in every Access-Request and discards Access-* answers without a valid one; ≤ 7.14 sends none and checks
   * none. @defaultValue true
   */
  readonly messageAuthenticator?: boolean
  /** Where Message-Authenticator goes in Access-Requests. @defaultValue 'last' (as RouterOS 7 sends it) */
  readonly messageAuthenticatorPosition?: 'first' | 'last'
  /** The first RADIUS Identifier; RouterOS counts up by one per request (44, 45, 46 in the trace). @defaultValue random */
  readonly firstIdentifier?: number
  /** How long to wait for each answer, ms (RouterOS's own `/radius timeout` is 300 ms). @defaultValue 3000 */
  readonly timeoutMs?: number
}

export interface RouterOsReply {
  readonly raw: Buffer
  /** Authenticated with the secret against the request (Response Authenticator, Message-Authenticator). */
  readonly packet: RadiusPacket
  /** Every attribute in wire order, values decoded (hidden and salted ones revealed). */
  readonly attributes: readonly WireAttribute[]
}

export interface Exchange {
  readonly request: Buffer
  /** The checked answer, or null when none came within the timeout. */
  readonly reply: RouterOsReply | null
}

export interface PppoeExchange extends Exchange {
  readonly authChallenge: Buffer
  readonly peerChallenge: Buffer
  readonly ntResponse: Buffer
}

/**
 * Checks an answer as RouterOS does: Identifier, Response Authenticator (MD5, RFC 2865 §3) and — when the
 * request carried Message-Authenticator (7.15+, `yes-for-request-resp`) — a valid Message-Authenticator.
 * @throws Error naming why the router would discard it.
 */
export function verifyReply(raw: Buffer, request: Buffer, secret: string): RouterOsReply {
  if (raw[1] !== request[1]) throw new Error(`RouterOS would discard the answer: Identifier ${raw[1]} ≠ ${request[1]}`)
  const requestAuthenticator = request.subarray(4, 20)
  const packet = decodePacket(raw, Buffer.from(secret), { requestAuthenticator })
  const requestHadMa = listAttributes(request, secret, requestAuthenticator).some(([n]) => n === 'Message-Authenticator')
  if (requestHadMa && request[0] === PacketCode.AccessRequest && !packet.hasMessageAuthenticator) {
    throw new Error('RouterOS (require-message-auth=yes-for-request-resp) would discard an answer without Message-Authenticator')
  }
  return { raw, packet, attributes: listAttributes(raw, secret, requestAuthenticator) }
}

/**
 * Sends `request` from a new socket on `sourceAddress` to 127.0.0.1:`port` and waits for an answer; each of
 * `retransmissions` then sends the same bytes again from the same socket and waits again. Returns one entry per
 * transmission: the raw answer, or null after `timeoutMs` without one.
 */
export async function transmit(sourceAddress: string, port: number, request: Buffer,
  options: { retransmissions?: number; timeoutMs?: number } = {}): Promise<(Buffer | null)[]> {
  const socket = createSocket('udp4')
  const inbox: Buffer[] = []
  let wake: (() => void) | undefined
  socket.on('message', (m) => {
    if (m.length >= 20 && m[1] === request[1]) inbox.push(m)
    wake?.()
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, sourceAddress, () => { socket.off('error', reject); resolve() })
  })
  const answers: (Buffer | null)[] = []
  try {
    for (let i = 0; i <= (options.retransmissions ?? 0); i++) {
      await new Promise<void>((resolve, reject) => socket.send(request, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())))
      if (inbox.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.timeoutMs ?? 3000)
          wake = () => { clearTimeout(timer); resolve() }
        })
        wake = undefined
      }
      answers.push(inbox.shift() ?? null)
    }
  } finally {
    await new Promise<void>((r) => socket.close(() => r()))
  }
  return answers
}

export interface RouterOsNas {
  readonly options: RouterOsNasOptions
  /** The Identifier the next request will use (then it counts up, wrapping at 256). */
  nextIdentifier(): number
  hotspotLogin(client: HotspotClient, login: HotspotLogin, options?: { authenticator?: Buffer }): Promise<Exchange>
  pppoeLogin(client: PppoeClient, login: PppoeLogin): Promise<PppoeExchange>
  /** One accounting request; `retransmissions` resend its bytes unchanged. `reply` is the first answer. */
  hotspotAccounting(client: HotspotClient, userName: string, acct: HotspotAccounting, options?: { retransmissions?: number }):
    Promise<Exchange & { replies: (RouterOsReply | null)[] }>
  /** Sends already-encoded bytes (a fixture) to the auth or accounting port; answers checked. */
  send(kind: 'auth' | 'acct', request: Buffer, options?: { retransmissions?: number }): Promise<(RouterOsReply | null)[]>
}

/** A RouterOS router with these settings. */
export function createRouterOsNas(options: RouterOsNasOptions): RouterOsNas {
  let identifier = options.firstIdentifier ?? Math.floor(Math.random() * 256)
  const nextIdentifier = (): number => {
    const id = identifier
    identifier = (identifier + 1) & 0xff
    return id
  }
  const maPosition = options.messageAuthenticator === false ? false : options.messageAuthenticatorPosition ?? 'last'

  async function send(kind: 'auth' | 'acct', request: Buffer, opts: { retransmissions?: number } = {}): Promise<(RouterOsReply | null)[]> {
    const port = kind === 'auth' ? options.authPort : options.acctPort
    const answers = await transmit(options.sourceAddress, port, request,
      { retransmissions: opts.retransmissions ?? 0, timeoutMs: options.timeoutMs ?? 3000 })
    return answers.map((a) => (a ? verifyReply(a, request, options.secret) : null))
  }

  return {
    options,
    nextIdentifier,
    async hotspotLogin(client, login, opts = {}) {
      const request = encodeAccessRequest(hotspotAccessRequestAttributes(options, client, login),
        { identifier: nextIdentifier(), secret: options.secret, authenticator: opts.authenticator, messageAuthenticator: maPosition })
      const [reply] = await send('auth', request)
      return { request, reply: reply ?? null }
    },
    async pppoeLogin(client, login) {
      const built = pppoeAccessRequestAttributes(options, client, login)
      const request = encodeAccessRequest(built.attributes, { identifier: nextIdentifier(), secret: options.secret, messageAuthenticator: maPosition })
      const [reply] = await send('auth', request)
      return { request, reply: reply ?? null, authChallenge: built.authChallenge, peerChallenge: built.peerChallenge, ntResponse: built.ntResponse }
    },
    async hotspotAccounting(client, userName, acct, opts = {}) {
      const request = encodeAccountingRequest(hotspotAccountingAttributes(options, client, userName, acct),
        { identifier: nextIdentifier(), secret: options.secret })
      const replies = await send('acct', request, opts)
      return { request, reply: replies[0] ?? null, replies }
    },
    send,
  }
}
