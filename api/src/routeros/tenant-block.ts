/**
 * What a BLOCKED tenant (unpaid MnetiFi bill) looks like on each of its routers, and how ACTIVE undoes it exactly.
 *
 * Blocking points every hotspot server profile's `html-directory` at a directory holding one "service suspended"
 * login page (fetched from MnetiFi), so every customer who opens a page lands there, and removes the live hotspot
 * and PPP sessions (radiusd already rejects new logins with a Reply-Message). The profiles' own directories are
 * saved *before* anything changes, and saving merges with what an earlier, interrupted attempt saved — a retried
 * block never mistakes the suspended directory for the router's own. Restoring puts each saved value back and
 * deletes the suspended page, leaving the configuration exactly as it was.
 */
import type { SavedRouterConfig } from '@mnetifi/db'
import type { RouterOsClient } from './client.js'

/** The router directory that holds the suspended page. */
export const SUSPENDED_DIRECTORY = 'mnetifi-suspended'
const SUSPENDED_FILE = `${SUSPENDED_DIRECTORY}/login.html`

/**
 * Blocks one router. `persist` must durably store the saved configuration; it runs before the router changes.
 * @returns the saved configuration (the router's own values).
 */
export async function blockRouter(
  client: RouterOsClient, previouslySaved: SavedRouterConfig | null, suspendedPageUrl: string, persist: (saved: SavedRouterConfig) => Promise<void>,
): Promise<SavedRouterConfig> {
  const profiles = await client.run('/ip/hotspot/profile/print', ['=.proplist=.id,name,html-directory'])
  const saved = [...(previouslySaved?.hotspotProfiles ?? [])]
  for (const p of profiles) {
    const id = p['.id'] ?? ''
    if (saved.some((s) => s.id === id) || p['html-directory'] === SUSPENDED_DIRECTORY) continue
    saved.push({ id, name: p.name ?? '', htmlDirectory: p['html-directory'] ?? '' })
  }
  const config: SavedRouterConfig = { hotspotProfiles: saved }
  await persist(config)
  await client.run('/tool/fetch', [`=url=${suspendedPageUrl}`, `=dst-path=${SUSPENDED_FILE}`])
  const ids = profiles.map((p) => p['.id']).filter((id): id is string => Boolean(id))
  if (ids.length) await client.run('/ip/hotspot/profile/set', [`=.id=${ids.join(',')}`, `=html-directory=${SUSPENDED_DIRECTORY}`])
  await client.removeHotspotActive((await client.listHotspotActive()).map((s) => s.id))
  await client.removePppActive((await client.listPppActive()).map((s) => s.id))
  return config
}

/** Restores what {@link blockRouter} saved (profiles that no longer exist are skipped) and deletes the page. */
export async function restoreRouter(client: RouterOsClient, saved: SavedRouterConfig): Promise<void> {
  const existing = new Set((await client.run('/ip/hotspot/profile/print', ['=.proplist=.id'])).map((p) => p['.id']))
  for (const p of saved.hotspotProfiles) {
    if (existing.has(p.id)) await client.run('/ip/hotspot/profile/set', [`=.id=${p.id}`, `=html-directory=${p.htmlDirectory}`])
  }
  const files = await client.run('/file/print', ['=.proplist=.id', `?name=${SUSPENDED_FILE}`])
  const ids = files.map((f) => f['.id']).filter((id): id is string => Boolean(id))
  if (ids.length) await client.run('/file/remove', [`=.id=${ids.join(',')}`])
}
