/**
 * A fake MikroTik dynamic-authorization server on a real UDP socket: verifies the request authenticator
 * (RFC 5176 §2.3), records the attributes it cares about and answers ACK (or NAK when told to).
 */
import { createHash } from 'node:crypto'
import { createSocket } from 'node:dgram'

/** One CoA/Disconnect request the NAS received. */
export interface NasRequest {
  readonly code: 'CoA-Request' | 'Disconnect-Request'
  readonly userName?: string
  readonly acctSessionId?: string
  readonly rateLimit?: string
  readonly sessionTimeout?: number
}

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest()

/** Starts the NAS on `host` (127.0.0.1) with a random port. */
export async function startFakeNas(secret: string, opts: { nakCoa?: boolean; host?: string } = {}) {
  const received: NasRequest[] = []
  const socket = createSocket('udp4')
  socket.on('message', (msg, rinfo) => {
    const code = msg[0]!
    const id = msg[1]!
    const length = msg.readUInt16BE(2)
    const auth = msg.subarray(4, 20)
    const attrs = msg.subarray(20, length)
    if (!md5(msg.subarray(0, 4), Buffer.alloc(16), attrs, Buffer.from(secret)).equals(auth)) return // forged: drop
    const req: Record<string, unknown> = { code: code === 43 ? 'CoA-Request' : 'Disconnect-Request' }
    for (let i = 0; i < attrs.length;) {
      const type = attrs[i]!, len = attrs[i + 1]!, value = attrs.subarray(i + 2, i + len)
      if (type === 1) req.userName = value.toString()
      if (type === 44) req.acctSessionId = value.toString()
      if (type === 27) req.sessionTimeout = value.readUInt32BE(0)
      if (type === 26 && value.readUInt32BE(0) === 14988 && value[4] === 8) req.rateLimit = value.subarray(6, 4 + value[5]!).toString()
      i += len
    }
    received.push(req as unknown as NasRequest)
    const replyCode = code === 43 ? (opts.nakCoa ? 45 : 44) : 41
    const header = Buffer.from([replyCode, id, 0, 20])
    const reply = Buffer.concat([header, md5(header, auth, Buffer.from(secret))])
    socket.send(reply, rinfo.port, rinfo.address)
  })
  await new Promise<void>((r) => socket.bind(0, opts.host ?? '127.0.0.1', () => r()))
  return {
    port: socket.address().port,
    received,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  }
}
