/**
 * The RouterOS API wire format (protocol digest §5.2): a *word* is a length prefix plus that many bytes, a
 * *sentence* is words ended by a zero-length word. Pure functions and a streaming decoder for the emulator's
 * server side (the production client speaks through node-routeros, so this codec checks it independently).
 *
 * Bytes ↔ text is latin1: RouterOS carries bytes in the router's code page and node-routeros encodes with
 * windows-1252, which agrees with latin1 on every printable character MnetiFi sends.
 */

/** Thrown for bytes that cannot be RouterOS API words (a control byte ≥ 0xF8, a word too long). */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WireFormatError'
  }
}

/** The length prefix of a word of `length` bytes (1–5 bytes, big-endian; digest §5.2 table). */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new WireFormatError(`word length ${length} out of range`)
  if (length < 0x80) return Buffer.from([length])
  if (length < 0x4000) return Buffer.from([(length >> 8) | 0x80, length & 0xff])
  if (length < 0x200000) return Buffer.from([(length >> 16) | 0xc0, (length >> 8) & 0xff, length & 0xff])
  if (length < 0x10000000) return Buffer.from([((length >>> 24) & 0xff) | 0xe0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff])
  const b = Buffer.alloc(5)
  b[0] = 0xf0
  b.writeUInt32BE(length, 1)
  return b
}

/**
 * Decodes a length prefix at `offset`: `[length, prefixBytes]`, or undefined when `buf` ends inside the prefix.
 * @throws WireFormatError on a reserved control byte (≥ 0xF8).
 */
export function decodeLength(buf: Buffer, offset = 0): [number, number] | undefined {
  if (offset >= buf.length) return undefined
  const b = buf[offset]!
  const need = b < 0x80 ? 1 : b < 0xc0 ? 2 : b < 0xe0 ? 3 : b < 0xf0 ? 4 : b < 0xf8 ? 5 : 0
  if (need === 0) throw new WireFormatError(`reserved control byte 0x${b.toString(16)}`)
  if (offset + need > buf.length) return undefined
  switch (need) {
    case 1: return [b, 1]
    case 2: return [((b & 0x3f) << 8) | buf[offset + 1]!, 2]
    case 3: return [((b & 0x1f) << 16) | (buf[offset + 1]! << 8) | buf[offset + 2]!, 3]
    case 4: return [(((b & 0x0f) << 24) >>> 0) + (buf[offset + 1]! << 16) + (buf[offset + 2]! << 8) + buf[offset + 3]!, 4]
    default: return [buf.readUInt32BE(offset + 1), 5]
  }
}

/** One sentence on the wire: each word length-prefixed, then the empty word. */
export function encodeSentence(words: readonly string[]): Buffer {
  const parts: Buffer[] = []
  for (const w of words) {
    const bytes = Buffer.from(w, 'latin1')
    parts.push(encodeLength(bytes.length), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

/**
 * Accumulates socket chunks and yields complete sentences (a word may be split anywhere, even inside its
 * length prefix). `maxWordBytes` bounds memory against a peer that announces a huge word.
 */
export class SentenceDecoder {
  #buf: Buffer = Buffer.alloc(0)
  #words: string[] = []
  readonly #maxWordBytes: number

  /** @param maxWordBytes largest word accepted. @defaultValue 16 MiB */
  constructor(maxWordBytes = 16 * 1024 * 1024) {
    this.#maxWordBytes = maxWordBytes
  }

  /** Feeds bytes; returns the sentences they completed, in order. @throws WireFormatError */
  push(chunk: Buffer): string[][] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk
    const out: string[][] = []
    let off = 0
    for (;;) {
      const len = decodeLength(this.#buf, off)
      if (!len) break
      const [n, prefix] = len
      if (n > this.#maxWordBytes) throw new WireFormatError(`word of ${n} bytes exceeds ${this.#maxWordBytes}`)
      if (off + prefix + n > this.#buf.length) break
      off += prefix
      if (n === 0) {
        out.push(this.#words)
        this.#words = []
      } else {
        this.#words.push(this.#buf.toString('latin1', off, off + n))
        off += n
      }
    }
    this.#buf = this.#buf.subarray(off)
    return out
  }
}

/** A reply sentence split into its type (`!re`, `!done`, `!trap`, `!fatal`, `!empty`, …), tag and attributes. */
export interface ReplySentence {
  readonly type: string
  readonly tag: string | undefined
  readonly attributes: Readonly<Record<string, string>>
  /** Words that are neither `=a=v` nor `.tag=` (a `!fatal` carries its reason as one). */
  readonly other: readonly string[]
}

/** Parses reply words: `=name=value` (value may contain `=`), `.tag=N`. */
export function parseReply(words: readonly string[]): ReplySentence {
  const [type = '', ...rest] = words
  const attributes: Record<string, string> = {}
  const other: string[] = []
  let tag: string | undefined
  for (const w of rest) {
    if (w.startsWith('.tag=')) tag = w.slice(5)
    else if (w.startsWith('=')) {
      const eq = w.indexOf('=', 1)
      if (eq === -1) attributes[w.slice(1)] = ''
      else attributes[w.slice(1, eq)] = w.slice(eq + 1)
    } else other.push(w)
  }
  return { type, tag, attributes, other }
}
