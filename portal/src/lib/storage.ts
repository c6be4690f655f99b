/**
 * localStorage that never throws: captive-network browsers (Android's CaptivePortalLogin, iOS's CNA) may
 * refuse storage or wipe it between openings, so every read has a fallback and a failed write is not an error.
 */

/** The parsed JSON stored under `key`, or undefined. */
export function readStored(key: string): unknown {
  try {
    const raw = window.localStorage.getItem(key)
    return raw === null ? undefined : (JSON.parse(raw) as unknown)
  } catch {
    return undefined
  }
}

/** Stores `value` as JSON (undefined removes the key). */
export function writeStored(key: string, value: unknown): void {
  try {
    if (value === undefined) window.localStorage.removeItem(key)
    else window.localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage refused (private mode, captive browser): the URL still carries the step.
  }
}
