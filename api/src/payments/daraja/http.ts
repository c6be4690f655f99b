/**
 * One HTTP exchange with Daraja: timeout, optional retries with jitter (idempotent calls only), and an audit
 * record of every request and response with secrets redacted.
 */
import type { ProviderLogEntry } from '@mnetifi/db'
import { DarajaError, classifyDarajaError } from './errors.js'
import { DarajaErrorEnvelopeSchema } from './schemas.js'

/** Receives audit entries (request, response, error) as they happen. */
export type ProviderLogSink = (entry: ProviderLogEntry) => void

/** Request/response fields that carry secrets (OAuth token, STK password, initiator credential). */
const SECRET_KEYS = new Set(['Password', 'SecurityCredential', 'access_token', 'authorization', 'Authorization'])

/** A deep copy of `value` with secret fields replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : redactSecrets(v)]))
  }
  return value
}

/** Retry policy for idempotent calls. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number
  /** Base delay in ms; attempt n waits base·2^(n-1) with full jitter. */
  readonly baseMs: number
}

/** Options of {@link darajaRequest}. */
export interface DarajaRequest {
  /** Audit label, e.g. 'stk.push'. */
  readonly kind: string
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: unknown
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number
  /** Omit for calls that must never be repeated automatically (STK push). */
  readonly retry?: RetryPolicy
  readonly log?: ProviderLogSink
}

/** A successful (2xx) reply's JSON. */
export interface DarajaReply { readonly status: number; readonly json: unknown }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Connection errors where the request never left this machine, so even a push can be re-sent. */
function isNotSent(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } })?.cause?.code
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET_BEFORE_SEND'
}

async function attempt(req: DarajaRequest): Promise<DarajaReply> {
  const at = () => new Date().toISOString()
  req.log?.({ at: at(), kind: `${req.kind}.request`, data: { method: req.method, url: req.url, body: redactSecrets(req.body) } })
  let res: Response
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { ...req.headers, ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal: AbortSignal.timeout(req.timeoutMs),
    })
  } catch (err) {
    const kind = isNotSent(err) ? 'not_sent' : 'unknown_outcome'
    const message = err instanceof Error ? err.message : String(err)
    req.log?.({ at: at(), kind: `${req.kind}.error`, data: { error: kind, message } })
    throw new DarajaError(kind, `Daraja ${req.kind}: ${message}`, {}, { cause: err })
  }
  const text = await res.text()
  let json: unknown
  try { json = text ? JSON.parse(text) : undefined } catch { json = undefined }
  req.log?.({ at: at(), kind: `${req.kind}.response`, data: { status: res.status, body: redactSecrets(json ?? text.slice(0, 500)) } })
  if (res.ok) {
    if (json === undefined) throw new DarajaError('malformed', `Daraja ${req.kind}: HTTP ${res.status} with a non-JSON body`, { httpStatus: res.status })
    return { status: res.status, json }
  }
  const envelope = DarajaErrorEnvelopeSchema.safeParse(json)
  throw classifyDarajaError(res.status, envelope.success ? envelope.data : undefined)
}

/**
 * Sends one request. With `retry`, repeats retryable failures (network, 5xx, spike arrest) with exponential
 * backoff and full jitter; never repeats 4xx, "rejected", "pending" or "subscriber_locked".
 */
export async function darajaRequest(req: DarajaRequest): Promise<DarajaReply> {
  const attempts = req.retry?.attempts ?? 1
  for (let n = 1; ; n++) {
    try {
      return await attempt(req)
    } catch (err) {
      if (!(err instanceof DarajaError) || !err.retryable || n >= attempts) throw err
      await sleep(Math.random() * req.retry!.baseMs * 2 ** (n - 1))
    }
  }
}
