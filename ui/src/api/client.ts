/**
 * The typed API client both apps use: openapi-fetch over the types generated from the API's own OpenAPI
 * document (schema.d.ts), so a renamed field or route fails the apps' typecheck instead of a customer's page.
 */
import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './schema.js'
import { ApiError } from './errors.js'

export type { paths } from './schema.js'
/** The typed client. */
export type ApiClient = Client<paths>

/** A client for the API at `baseUrl` ('' = same origin), sending the session cookie. */
export function createApiClient(baseUrl = ''): ApiClient {
  return createClient<paths>({ baseUrl, credentials: 'same-origin' })
}

/**
 * Unwraps an openapi-fetch result: the data, or an {@link ApiError} carrying the API's `{ error, message,
 * details }` body (network failures become code NETWORK).
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await call
  } catch (cause) {
    throw new ApiError(0, { error: 'NETWORK', message: 'No connection' }, cause)
  }
  if (result.response.ok && result.data !== undefined) return result.data
  if (result.response.ok) return undefined as T
  throw new ApiError(result.response.status, result.error)
}
