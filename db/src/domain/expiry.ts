/**
 * Plan expiry arithmetic, exact to the second. Times are UTC instants; display converts to the tenant's zone.
 */

/**
 * New expiry after buying `durationSeconds`: a user still within a plan gets the time added to the end of it,
 * an expired (or new) user gets it from now. `max(now, expiry) + duration`, truncated to whole seconds.
 */
export function extendExpiry(current: Date | null, now: Date, durationSeconds: number): Date {
  const base = current && current.getTime() > now.getTime() ? current.getTime() : now.getTime()
  return new Date(Math.floor(base / 1000) * 1000 + durationSeconds * 1000)
}

/**
 * Whole seconds left until `expiry` (the `Session-Timeout` to send); 0 when expired.
 * Rounded down so the router never keeps a session past the expiry second.
 */
export function secondsUntil(expiry: Date, now: Date): number {
  return Math.max(0, Math.floor((expiry.getTime() - now.getTime()) / 1000))
}

/** Whether the plan has run out at `now` (the expiry second itself is already expired). */
export function isExpired(expiry: Date | null, now: Date): boolean {
  return expiry === null || expiry.getTime() <= now.getTime()
}
