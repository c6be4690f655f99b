/**
 * A fake NAS for tests: a UDP listener on an ephemeral port that records every Disconnect/CoA-Request it gets
 * and answers according to a scripted behaviour (ACK, NAK with an Error-Cause, or silence).
 */
import { createSocket } from 'node:dgram'
import { decodePacket, encodeResponse, type AttributeList, type RadiusPacket } from '../../src/protocol/codec.js'

export type FakeNasBehaviour = { kind: 'ack' } | { kind: 'nak'; errorCause?: number } | { kind: 'silent' }

export interface FakeNas {
  readonly port: number
  /** Every request received, decoded with the NAS's secret, raw bytes alongside. */
  readonly received: { packet: RadiusPacket; raw: Buffer }[]
  behave(b: FakeNasBehaviour | ((p: RadiusPacket) => FakeNasBehaviour)): void
  close(): Promise<void>
}

export async function startFakeNas(secret: string, replySecret = secret): Promise<FakeNas> {
  const socket = createSocket('udp4')
  const received: FakeNas['received'] = []
  let behaviour: FakeNasBehaviour | ((p: RadiusPacket) => FakeNasBehaviour) = { kind: 'ack' }
  socket.on('message', (raw, rinfo) => {
    const packet = decodePacket(raw, Buffer.from(secret))
    received.push({ packet, raw })
    const b = typeof behaviour === 'function' ? behaviour(packet) : behaviour
    if (b.kind === 'silent') return
    const attributes: AttributeList = b.kind === 'nak' && b.errorCause ? [['Error-Cause', b.errorCause]] : []
    const code = packet.code + (b.kind === 'ack' ? 1 : 2)
    socket.send(encodeResponse({ code, identifier: packet.identifier, requestAuthenticator: packet.authenticator,
      attributes, secret: Buffer.from(replySecret), messageAuthenticator: false }), rinfo.port, rinfo.address)
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  return {
    port: socket.address().port,
    received,
    behave(b) { behaviour = b },
    close: () => new Promise((r) => socket.close(() => r())),
  }
}
