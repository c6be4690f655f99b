/**
 * What the MikroTik router hands the portal. Its `login.html` (served per hotspot by the API) redirects here with
 * the hotspot variables in the query string (`link-login-only`, `chap-id`, `mac`, …, protocol digest §4.7).
 * The newest redirect wins: the router issues a fresh CHAP challenge with every login page, so an older one
 * would be refused. The values are also kept on the device, so a reopened window that lost its query string
 * can still log in.
 */
import { readStored, writeStored } from './storage.js'

/** The router's login context. */
export interface RouterContext {
  /** Where the login form is posted (`$(link-login-only)`), e.g. http://10.5.50.1/login. */
  readonly linkLoginOnly: string
  /** The page the customer first asked for (`$(link-orig)`). */
  readonly linkOrig: string | null
  readonly mac: string | null
  readonly ip: string | null
  /** Octal-escaped text as the router renders it; empty when http-chap is off. */
  readonly chapId: string | null
  readonly chapChallenge: string | null
  /** The hotspot (NAS) id baked into that router's login.html. */
  readonly hotspotId: string | null
  readonly identity: string | null
  readonly receivedAt: number
}

/** The router's last error (`$(error)`), present only on the redirect that carried it. */
export type RouterError = string | null

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i
/** A stored context older than this is stale: the router's challenge will have changed. */
const MAX_AGE_MS = 6 * 3600_000

function clean(value: string | null, max = 512): string | null {
  const v = value?.trim()
  return v && v.length <= max ? v : null
}

/** The router context in a query string, or null when it has no usable `link-login-only`. */
export function parseRouterParams(search: URLSearchParams, now: number): RouterContext | null {
  const link = clean(search.get('link-login-only'), 2048)
  if (!link) return null
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  const mac = clean(search.get('mac'), 32)
  const hotspot = clean(search.get('hotspot'), 64)
  const origin = clean(search.get('link-orig'), 2048)
  return {
    linkLoginOnly: url.toString(),
    linkOrig: origin && /^https?:\/\//i.test(origin) ? origin : null,
    mac: mac && MAC.test(mac) ? mac : null,
    ip: clean(search.get('ip'), 64),
    chapId: clean(search.get('chap-id'), 64),
    chapChallenge: clean(search.get('chap-challenge'), 256),
    hotspotId: hotspot && UUID.test(hotspot) ? hotspot : null,
    identity: clean(search.get('identity'), 128),
    receivedAt: now,
  }
}

function storageKey(subdomain: string): string {
  return `mnetifi:router:${subdomain}`
}

/** The context from this page's URL (remembered for later), else the remembered one while still fresh. */
export function loadRouterContext(subdomain: string, search: URLSearchParams, now: number): RouterContext | null {
  const fromUrl = parseRouterParams(search, now)
  if (fromUrl) {
    writeStored(storageKey(subdomain), fromUrl)
    return fromUrl
  }
  const stored = readStored(storageKey(subdomain)) as RouterContext | undefined
  if (stored && typeof stored.linkLoginOnly === 'string' && now - stored.receivedAt < MAX_AGE_MS) return stored
  return null
}
