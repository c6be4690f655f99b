/** The typed API client and its error type (`@mnetifi/ui/api`). */
export { createApiClient, unwrap, type ApiClient, type paths } from './client.js'
export { ApiError, fieldErrors, isApiError } from './errors.js'
