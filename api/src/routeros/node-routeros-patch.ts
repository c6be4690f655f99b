/**
 * node-routeros 1.6.9 (the last release) predates RouterOS 7.18's `!empty` reply word, sent before `!done` when a
 * print matches nothing. Its Channel treats any unknown reply word by *throwing inside a socket event handler*,
 * which would crash the process on the first empty print. This patch makes a channel skip `!empty` (the `!done`
 * that follows completes the command with no rows), the way librouteros, go-routeros and tik4net fixed it.
 * Imported once, by connection.ts, before any channel exists.
 */
import routeros from 'node-routeros'

interface PatchableChannel {
  processPacket(packet: string[]): void
}

const proto = routeros.Channel.prototype as unknown as PatchableChannel & { __mnetifiEmptyPatched?: boolean }
if (!proto.__mnetifiEmptyPatched) {
  const original = proto.processPacket
  proto.processPacket = function processPacket(this: PatchableChannel, packet: string[]) {
    if (packet[0] === '!empty') return
    original.call(this, packet)
  }
  proto.__mnetifiEmptyPatched = true
}
