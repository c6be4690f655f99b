/**
 * The RFC 5080 §2.2.2 duplicate cache: (socket, source address, source port, Identifier, Request Authenticator)
 * → "in progress" or the reply sent, for `windowMs` after the reply.
 *
 * It lives in typed arrays, with no JavaScript object per entry. At 1,000 requests/s and a 10 s window the cache
 * holds 10,000 replies; kept as Map entries (key string, entry object, two Buffers each) they were most of what
 * every young-generation GC had to copy and then promote (≈250 of 330 KB per scavenge, `--trace-gc-nvp`), and
 * promoted garbage is what brings on the multi-millisecond old-generation pauses. Here an entry is a few numbers
 * in preallocated arrays; replies up to {@link INLINE_REPLY} bytes (nearly all: an Access-Accept with a rate
 * limit is ~100) are copied into a per-slot byte area, longer ones are kept as Buffers.
 *
 * Entries are numbered by a sequence: slot = seq mod capacity, a ring in arrival order. Each entry ends
 * `windowMs` after its reply (or is forgotten when no reply is sent), so the oldest entries leave first and the
 * sweep only looks at the tail. A full ring doubles. Lookup is a hash of the key into bucket chains.
 *
 * The source address is compared exactly for IPv4 (as its 32-bit value) and by a 32-bit FNV-1a hash otherwise;
 * a false match would also need the same port, Identifier and 16-byte Request Authenticator, which for an
 * Access-Request is random and for the others an MD5 over the packet.
 */

/** What {@link DuplicateCache.begin} found. A value ≥ 0 is the new entry's handle. */
export const IN_PROGRESS = -1
export const ANSWERED = -2

/** Replies up to this size are stored in the slot's own bytes. */
export const INLINE_REPLY = 256

export interface DuplicateCache {
  /**
   * Looks the request up. New (or a reused Identifier with another authenticator, or an expired entry): registers
   * it as in progress and returns its handle (≥ 0). A duplicate: {@link IN_PROGRESS}, or {@link ANSWERED} with
   * the reply readable through {@link DuplicateCache.reply}.
   */
  begin(socket: number, address: string, port: number, identifier: number, authenticator: Buffer, now: number): number
  /** The reply of the last {@link DuplicateCache.begin} that returned {@link ANSWERED}. */
  reply(): Buffer
  /** Stores the reply sent for `handle`; duplicates get it until `now + windowMs`. */
  answered(handle: number, reply: Buffer, now: number): void
  /** Drops `handle` (no reply was sent: a retransmission must be processed again). */
  forget(handle: number): void
  /** Frees the entries that expired by `now`. */
  sweep(now: number): void
  /** Live entries (in progress + answered). */
  readonly size: number
}

const FREE = 0
const PENDING = 1
const DONE = 2
const NONE = -1

function ipv4Value(address: string): number {
  let value = 0, part = 0, dots = 0, digits = 0
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || part > 255) return -1
      value = value * 256 + part; part = 0; digits = 0; dots++
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48); digits++
    } else return -1
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1
  return value * 256 + part
}

function fnv1a(address: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export function createDuplicateCache(windowMs: number, initialCapacity = 4096): DuplicateCache {
  let cap = 1
  while (cap < initialCapacity) cap *= 2
  let mask = cap - 1
  // Per slot. seq is a float64 (exact to 2^53: centuries at a million requests per second).
  let seqOf = new Float64Array(cap).fill(NONE)
  let state = new Uint8Array(cap)
  let expires = new Float64Array(cap)
  let keyHash = new Uint32Array(cap)
  let addr = new Uint32Array(cap)
  let meta = new Uint32Array(cap) // socket << 24 | identifier << 16 | port
  let auth = new Uint8Array(cap * 16)
  let next = new Float64Array(cap) // next seq in the bucket chain, NONE at the end
  let replyLen = new Uint16Array(cap)
  let replies = Buffer.alloc(cap * INLINE_REPLY)
  let buckets = new Float64Array(cap).fill(NONE) // head seq per bucket
  const longReplies = new Map<number, Buffer>() // seq → reply longer than INLINE_REPLY (rare)
  let head = 0 // next seq to hand out
  let tail = 0 // oldest seq that may still be live
  let live = 0
  let found: Buffer = Buffer.alloc(0)

  const slotOf = (seq: number): number => seq % cap // seq ≥ 0; cap a power of two
  /** Bucket hash of (address, socket‖Identifier‖port, the authenticator's first word). */
  const keyOf = (addrValue: number, m: number, authenticator: Buffer): number => {
    let h = Math.imul(addrValue ^ 0x9e3779b9, 0x85ebca6b) ^ m
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= authenticator.readUInt32LE(0)
    return (h ^ (h >>> 16)) >>> 0
  }

  function unlink(seq: number): void {
    const slot = slotOf(seq)
    const b = keyHash[slot]! & mask
    let prev = NONE
    for (let s = buckets[b]!; s !== NONE; s = next[slotOf(s)]!) {
      if (s === seq) {
        if (prev === NONE) buckets[b] = next[slot]!
        else next[slotOf(prev)] = next[slot]!
        return
      }
      prev = s
    }
  }

  function release(seq: number): void {
    const slot = slotOf(seq)
    unlink(seq)
    if (state[slot] === DONE && replyLen[slot] === 0) longReplies.delete(seq)
    state[slot] = FREE
    seqOf[slot] = NONE
    live--
  }

  /** Doubles the ring; live seqs keep their handles (slot = seq mod the new capacity). */
  function grow(): void {
    const oldCap = cap, o = { seqOf, state, expires, keyHash, addr, meta, auth, replyLen, replies }
    cap *= 2
    mask = cap - 1
    seqOf = new Float64Array(cap).fill(NONE); state = new Uint8Array(cap); expires = new Float64Array(cap)
    keyHash = new Uint32Array(cap); addr = new Uint32Array(cap); meta = new Uint32Array(cap); auth = new Uint8Array(cap * 16)
    next = new Float64Array(cap); replyLen = new Uint16Array(cap); replies = Buffer.alloc(cap * INLINE_REPLY)
    buckets = new Float64Array(cap).fill(NONE)
    for (let seq = tail; seq < head; seq++) {
      const from = seq % oldCap
      if (o.state[from] === FREE || o.seqOf[from] !== seq) continue
      const to = seq % cap
      seqOf[to] = seq; state[to] = o.state[from]!; expires[to] = o.expires[from]!; keyHash[to] = o.keyHash[from]!
      addr[to] = o.addr[from]!; meta[to] = o.meta[from]!; replyLen[to] = o.replyLen[from]!
      auth.set(o.auth.subarray(from * 16, from * 16 + 16), to * 16)
      o.replies.copy(replies, to * INLINE_REPLY, from * INLINE_REPLY, from * INLINE_REPLY + o.replyLen[from]!)
      const b = keyHash[to]! & mask
      next[to] = buckets[b]!
      buckets[b] = seq
    }
  }

  return {
    begin(socket, address, port, identifier, authenticator, now) {
      const v4 = ipv4Value(address)
      const addrValue = v4 >= 0 ? v4 : fnv1a(address)
      const m = (socket << 24 | identifier << 16 | port) >>> 0
      const h = keyOf(addrValue, m, authenticator)
      for (let s = buckets[h & mask]!; s !== NONE; s = next[slotOf(s)]!) {
        const slot = slotOf(s)
        if (keyHash[slot] !== h || meta[slot] !== m || addr[slot] !== addrValue) continue
        if (authenticator.compare(auth, slot * 16, slot * 16 + 16, 0, 16) !== 0) continue
        if (state[slot] === PENDING) return IN_PROGRESS
        if (expires[slot]! >= now) {
          const len = replyLen[slot]!
          // A copy: the slot's bytes may be reused while the send is still queued.
          found = len > 0 ? Buffer.from(replies.subarray(slot * INLINE_REPLY, slot * INLINE_REPLY + len)) : longReplies.get(s)!
          return ANSWERED
        }
        release(s) // expired but not swept yet: a new request
        break
      }
      while (head - tail >= cap) {
        // The oldest slot is still live (a long-running request, or a burst): make room.
        if (state[slotOf(tail)] === FREE || seqOf[slotOf(tail)] !== tail) tail++
        else grow()
      }
      const seq = head++
      const slot = slotOf(seq)
      seqOf[slot] = seq; state[slot] = PENDING; expires[slot] = Infinity; keyHash[slot] = h; addr[slot] = addrValue
      meta[slot] = m; replyLen[slot] = 0
      authenticator.copy(auth, slot * 16, 0, 16)
      next[slot] = buckets[h & mask]!
      buckets[h & mask] = seq
      live++
      return seq
    },
    reply: () => found,
    answered(handle, reply, now) {
      const slot = slotOf(handle)
      if (seqOf[slot] !== handle || state[slot] !== PENDING) return
      state[slot] = DONE
      expires[slot] = now + windowMs
      if (reply.length <= INLINE_REPLY) {
        reply.copy(replies, slot * INLINE_REPLY)
        replyLen[slot] = reply.length
      } else {
        replyLen[slot] = 0
        longReplies.set(handle, reply)
      }
    },
    forget(handle) {
      const slot = slotOf(handle)
      if (seqOf[slot] === handle && state[slot] !== FREE) release(handle)
    },
    sweep(now) {
      // Oldest first; stop at the first entry still live: in-progress ones and later replies hold the rest.
      while (tail < head) {
        const slot = slotOf(tail)
        if (state[slot] !== FREE && seqOf[slot] === tail) {
          if (state[slot] === PENDING || expires[slot]! >= now) break
          release(tail)
        }
        tail++
      }
    },
    get size() { return live },
  }
}
