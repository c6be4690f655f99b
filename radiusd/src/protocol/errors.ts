/**
 * Typed protocol errors (style §9): a packet we cannot accept is a value with context, never a crash.
 */

/** Why a packet was dropped; used as the `reason` label of the drop metric. */
export const MALFORMED_REASONS = Object.freeze([
  'too-short',
  'length-mismatch',
  'bad-attribute-length',
  'bad-value',
  'bad-authenticator',
  'bad-message-authenticator',
  'missing-message-authenticator',
  'unexpected-code',
] as const)
export type MalformedReason = (typeof MALFORMED_REASONS)[number]

/** A packet that RFC 2865 §3 / RFC 3579 §3.2 say to silently discard. */
export class MalformedPacketError extends Error {
  constructor(
    readonly reason: MalformedReason,
    readonly detail: string,
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${detail}${offset === undefined ? '' : ` at offset ${offset}`}`, options)
    this.name = 'MalformedPacketError'
  }
}

/** An attribute value that cannot be encoded (unknown name, wrong type, too long). A bug or bad radreply row. */
export class AttributeEncodeError extends Error {
  constructor(readonly attribute: string, readonly detail: string) {
    super(`cannot encode ${attribute}: ${detail}`)
    this.name = 'AttributeEncodeError'
  }
}
