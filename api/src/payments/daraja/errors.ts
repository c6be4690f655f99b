/**
 * Classifying Daraja failures. The same errorCode means different things (500.001.1001 is "still processing",
 * "wrong credentials", "merchant does not exist" and "unable to lock subscriber"), so the message decides
 * (digest §0 item 2, §1.4).
 */
import type { DarajaErrorEnvelope } from './schemas.js'

/**
 * - `pending`: STK query while the customer has not answered yet (not an error for the poller).
 * - `subscriber_locked`: a prompt is already open on that phone; the customer must finish or wait ≥ 60 s.
 * - `invalid_token`: refresh the OAuth token once and retry once.
 * - `busy`: spike arrest / quota; back off (retryable, except for a push whose acceptance is unknown).
 * - `rejected`: the request is wrong (4xx, bad credentials, bad shortcode); never retried.
 * - `unavailable`: Safaricom-side 5xx; idempotent calls may retry.
 * - `not_sent`: the connection failed before the request left (refused, DNS): safe to retry even a push.
 * - `unknown_outcome`: timed out or dropped after sending; a push may have been accepted — never re-push.
 * - `malformed`: a reply we could not parse.
 */
export type DarajaErrorKind =
  | 'pending' | 'subscriber_locked' | 'invalid_token' | 'busy' | 'rejected' | 'unavailable' | 'not_sent'
  | 'unknown_outcome' | 'malformed'

/** A failed Daraja call, classified. `retryable` applies to idempotent calls (OAuth, queries), never to a push. */
export class DarajaError extends Error {
  constructor(
    readonly kind: DarajaErrorKind,
    message: string,
    readonly details: { readonly httpStatus?: number; readonly errorCode?: string; readonly errorMessage?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DarajaError'
  }

  /** Whether an idempotent call may be repeated. */
  get retryable(): boolean {
    return this.kind === 'busy' || this.kind === 'unavailable' || this.kind === 'not_sent' || this.kind === 'unknown_outcome'
  }
}

/** Classifies an error envelope (or a non-JSON error reply) by HTTP status, code and message. */
export function classifyDarajaError(httpStatus: number, envelope: DarajaErrorEnvelope | undefined): DarajaError {
  const code = envelope?.errorCode ?? ''
  const message = envelope?.errorMessage ?? ''
  const details = { httpStatus, errorCode: code, errorMessage: message }
  const text = `Daraja ${httpStatus} ${code} ${message}`.trim()
  if (code === '500.001.1001' || code === '500.001.1001.') {
    if (/being processed/i.test(message)) return new DarajaError('pending', text, details)
    if (/unable to lock subscriber|already in process/i.test(message)) return new DarajaError('subscriber_locked', text, details)
    // "Merchant does not exist", "Wrong credentials" and anything else under this code: the request is wrong.
    return new DarajaError('rejected', text, details)
  }
  if (code === '404.001.03' || code === '400.003.01' || /invalid access token/i.test(message)) {
    return new DarajaError('invalid_token', text, details)
  }
  if (code === '500.003.02' || code === '500.003.03' || /spike arrest|quota violation|system is busy/i.test(message)) {
    return new DarajaError('busy', text, details)
  }
  if (httpStatus >= 400 && httpStatus < 500) return new DarajaError('rejected', text, details)
  return new DarajaError('unavailable', text, details)
}
