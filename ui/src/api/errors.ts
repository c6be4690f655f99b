/**
 * The one place an API error body (`{ error, message, details? }`, api/src/plugins/error-handler.ts) becomes
 * something the UI can show: a sentence, and field errors keyed by the field's name.
 */

/** An API answer that was not 2xx, or no answer at all (status 0, code NETWORK). */
export class ApiError extends Error {
  override name = 'ApiError'
  /** Stable code from the API (VALIDATION_FAILED, INVALID_PHONE, …) or NETWORK. */
  readonly code: string
  readonly details: unknown
  constructor(
    readonly status: number,
    body: unknown,
    cause?: unknown,
  ) {
    const b = (body ?? {}) as { error?: unknown; message?: unknown; details?: unknown }
    super(typeof b.message === 'string' ? b.message : `Request failed (${status})`, { cause })
    this.code = typeof b.error === 'string' ? b.error : status === 0 ? 'NETWORK' : 'UNKNOWN'
    this.details = b.details
  }
}

/** Whether `err` is an {@link ApiError}. */
export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError
}

/**
 * Field errors of a VALIDATION_FAILED answer, keyed by the last segment of each path (`body.phone` → `phone`),
 * so a form can put each message next to its field. The first message per field wins.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isApiError(err) || !Array.isArray(err.details)) return out
  for (const d of err.details as { path?: unknown; message?: unknown }[]) {
    if (typeof d?.path !== 'string' || typeof d.message !== 'string') continue
    const key = d.path
      .split('.')
      .filter((s) => s !== 'body' && s !== 'querystring' && s !== 'params')
      .join('.')
    if (key && !(key in out)) out[key] = d.message
  }
  return out
}
