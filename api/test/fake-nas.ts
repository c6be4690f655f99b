/**
 * A fake MikroTik `/radius incoming` listener on a real UDP port: answers Disconnect-Request (40) with
 * Disconnect-ACK (41) and CoA-Request (43) with CoA-ACK (44) — or NAK/silence when told — signed per
 * RFC 5176 §2.3 (Response Authenticator = MD5(Code+Id+Length+Request Authenticator+Attributes+Secret)).
 */
import { createHash } from 'node:crypto'
import { createSocket } from 'node:dgram'

/** A request the fake NAS received, with its attributes decoded as text (strings) or integers (4 bytes). */
export interface ReceivedPacket {
  code: number
  attributes: Map<number, Buffer[]>
}

export interface FakeNas {
  readonly port: number
  readonly received: ReceivedPacket[]
  /** 'ack' (default), 'nak' or 'silent'. */
  mode: 'ack' | 'nak' | 'silent'
  close(): Promise<void>
}

/** RADIUS attribute type numbers used by the tests (RFC 2865/2866). */
export const ATTR = Object.freeze({ UserName: 1, FramedIpAddress: 8, SessionTimeout: 27, AcctSessionId: 44 })

/** Starts a fake NAS on 127.0.0.1 with `secret`. */
export async function startFakeNas(secret: string): Promise<FakeNas> {
  const socket = createSocket('udp4')
  const nas: FakeNas = {
    port: 0, received: [], mode: 'ack',
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  }
  socket.on('message', (msg, rinfo) => {
    const attributes = new Map<number, Buffer[]>()
    for (let i = 20; i + 2 <= msg.length;) {
      const type = msg[i]!; const len = msg[i + 1]!
      if (len < 2) break
      attributes.set(type, [...(attributes.get(type) ?? []), msg.subarray(i + 2, i + len)])
      i += len
    }
    nas.received.push({ code: msg[0]!, attributes })
    if (nas.mode === 'silent') return
    const ack = msg[0] === 40 ? 41 : 44
    const code = nas.mode === 'ack' ? ack : ack + 1
    const reply = Buffer.alloc(20)
    reply[0] = code; reply[1] = msg[1]!; reply.writeUInt16BE(20, 2)
    const auth = createHash('md5').update(Buffer.concat([reply.subarray(0, 4), msg.subarray(4, 20), Buffer.from(secret)])).digest()
    auth.copy(reply, 4)
    socket.send(reply, rinfo.port, rinfo.address)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  ;(nas as { port: number }).port = socket.address().port
  return nas
}

/** Text value of the first attribute `type` in a received packet. */
export function text(packet: ReceivedPacket, type: number): string | undefined {
  return packet.attributes.get(type)?.[0]?.toString('utf8')
}

/** Integer value of the first attribute `type` in a received packet. */
export function integer(packet: ReceivedPacket, type: number): number | undefined {
  return packet.attributes.get(type)?.[0]?.readUInt32BE(0)
}
