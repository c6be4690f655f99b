/**
 * One error type for expected failures, with stable string codes grouped by area. The API maps codes to HTTP
 * statuses in exactly one place (api/src/plugins/error-handler.ts); workers and the CLI print `message`.
 * Add codes to the union of their area, each with a line saying when it is thrown.
 */

export type CommonErrorCode =
  /** Input failed validation; `details` holds field paths. */
  | 'VALIDATION_FAILED'
  /** The object does not exist in the caller's tenant (never "exists but is someone else's"). */
  | 'NOT_FOUND'
  /** A unique value is already taken, or the object is in a state that forbids the change. */
  | 'CONFLICT'
  /** Too many requests from one client. */
  | 'RATE_LIMITED'
  /** A dependency (database, Redis, provider) is unavailable. */
  | 'UNAVAILABLE'
  /** A bug: never shown in detail to clients. */
  | 'INTERNAL'

export type AuthErrorCode =
  /** No valid session or credentials. */
  | 'UNAUTHENTICATED'
  /** Signed in, but the role may not do this. */
  | 'FORBIDDEN'
  /** Wrong email or password (one message for both). */
  | 'INVALID_CREDENTIALS'

export type TenantErrorCode =
  /** The ISP's MnetiFi subscription is blocked; its customers cannot buy or log in. */
  | 'TENANT_BLOCKED'

export type PaymentErrorCode =
  /** The phone number is not a Kenyan mobile number. */
  | 'INVALID_PHONE'
  /** Daraja refused the request (bad shortcode, credentials…); not retried. */
  | 'PROVIDER_REJECTED'
  /** Daraja did not answer in time or failed with 5xx; safe to retry later. */
  | 'PROVIDER_UNAVAILABLE'
  /** A prompt for this phone is still open on the handset. */
  | 'PAYMENT_IN_PROGRESS'
  /** A receipt was already used to activate a plan. */
  | 'RECEIPT_ALREADY_USED'
  /** A receipt is unknown to us and to M-Pesa, or belongs to another business. */
  | 'RECEIPT_NOT_FOUND'

export type RouterErrorCode =
  /** The router's API did not answer: refused, no route, timed out, or the connection dropped mid-command. */
  | 'ROUTER_UNREACHABLE'
  /** The router refused the API user name or password (or the user lacks the `api` policy). */
  | 'ROUTER_AUTH_FAILED'
  /** The router answered a command with `!trap` (no such item, bad value, missing permission…). */
  | 'ROUTER_COMMAND_REFUSED'
  /** The hotspot has no router API address, user or password configured yet. */
  | 'ROUTER_NOT_CONFIGURED'
  /** The router runs RouterOS v6: MnetiFi provisioning needs v7 (WireGuard). */
  | 'ROUTEROS_V7_REQUIRED'

export type AppErrorCode = CommonErrorCode | AuthErrorCode | TenantErrorCode | PaymentErrorCode | RouterErrorCode

/** An expected failure with a stable code. `message` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: AppErrorCode
  readonly details: unknown

  constructor(code: AppErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }

  toJSON(): { error: AppErrorCode; message: string; details?: unknown } {
    return { error: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) }
  }
}

/** Narrowing helper that works across package copies. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && error.name === 'AppError' && 'code' in error)
}
