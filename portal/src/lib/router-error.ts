/**
 * The router's `$(error)` (often a RADIUS Reply-Message, sometimes RouterOS's own English) in kind words. The
 * texts radiusd and RouterOS send are matched loosely; anything else is quoted as the router said it.
 */
import type { Translate } from '../i18n/index.js'

const PATTERNS: readonly [RegExp, 'router.errorExpired' | 'router.errorBusy' | 'router.errorCredentials'][] = [
  [/expired|has ended|no active plan|no time left|limit reached/i, 'router.errorExpired'],
  [/already (logged in|in use|online)|simultaneous|no more sessions|too many sessions/i, 'router.errorBusy'],
  [/invalid (username|password)|bad password|user.*not found|radius server is not responding|rejected/i, 'router.errorCredentials'],
]

export function routerErrorText(error: string, t: Translate): string {
  const text = error.trim().slice(0, 200)
  for (const [re, key] of PATTERNS) if (re.test(text)) return t(key)
  return text ? t('router.error', { message: text }) : t('router.errorGeneric')
}
