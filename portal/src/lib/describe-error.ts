/** An error from a portal call, as a sentence in the customer's language. */
import { isApiError } from '@mnetifi/ui/api'
import type { Translate } from '../i18n/index.js'

export function describeError(err: unknown, t: Translate): string {
  if (!isApiError(err)) return t('error.generic')
  switch (err.code) {
    case 'NETWORK':
      return t('error.network')
    case 'RATE_LIMITED':
      return t('error.rateLimited')
    case 'PROVIDER_UNAVAILABLE':
    case 'PROVIDER_REJECTED':
      return t('reason.PROVIDER_BUSY')
    case 'INTERNAL':
    case 'UNKNOWN':
      return t('error.generic')
    default:
      // The API's sentence is written for customers; it is English only, so it is the fallback.
      return err.message
  }
}
