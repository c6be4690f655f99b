/** Daraja's rules for callback/result URLs (digest §0 item 9). */
import { DarajaError } from './errors.js'

/** Words Daraja refuses anywhere in a callback URL (digest §0 item 9). */
const FORBIDDEN_URL_WORDS = /mpesa|safaricom|sql|query|exe|exec|cmd/i

/** Throws when Daraja would refuse `url` as a callback/result URL. */
export function assertCallbackUrlAllowed(url: string, requireHttps: boolean): void {
  const parsed = new URL(url)
  if (FORBIDDEN_URL_WORDS.test(`${parsed.host}${parsed.pathname}`)) {
    throw new DarajaError('rejected', `callback URL ${url} contains a word Daraja refuses (mpesa, safaricom, sql, query, exe, exec, cmd)`)
  }
  if (requireHttps && parsed.protocol !== 'https:') throw new DarajaError('rejected', `callback URL ${url} must be https in production`)
}

