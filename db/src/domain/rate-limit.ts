/**
 * Plan → `Mikrotik-Rate-Limit` string (protocol digest §4.2):
 * `rx/tx [rx-burst/tx-burst rx-threshold/tx-threshold rx-time/tx-time [priority]]`.
 * rx is what the router receives, i.e. the subscriber's upload; tx is the download.
 * The SQL twin is mnetifi_rate_limit() in the mirror-triggers migration; a parity test keeps them equal.
 */

/** The plan fields the rate limit is made of. Rates in bits per second, burst_time in seconds. */
export interface RateLimitFields {
  readonly upload_limit: number
  readonly download_limit: number
  readonly burst_rate_up: number | null
  readonly burst_rate_down: number | null
  readonly burst_threshold_up: number | null
  readonly burst_threshold_down: number | null
  readonly burst_time: number | null
  readonly priority: number | null
}

/** A rate in bits/s in RouterOS notation: `10M`, `512k`, or plain bits when not a round number. */
export function formatRate(bps: number): string {
  if (bps % 1_000_000 === 0) return `${bps / 1_000_000}M`
  if (bps % 1_000 === 0) return `${bps / 1_000}k`
  return String(bps)
}

/** Renders the `Mikrotik-Rate-Limit` value for a plan. */
export function renderRateLimit(plan: RateLimitFields): string {
  let out = `${formatRate(plan.upload_limit)}/${formatRate(plan.download_limit)}`
  if (plan.burst_rate_up !== null && plan.burst_rate_down !== null && plan.burst_threshold_up !== null
    && plan.burst_threshold_down !== null && plan.burst_time !== null) {
    out += ` ${formatRate(plan.burst_rate_up)}/${formatRate(plan.burst_rate_down)}`
    out += ` ${formatRate(plan.burst_threshold_up)}/${formatRate(plan.burst_threshold_down)}`
    out += ` ${plan.burst_time}/${plan.burst_time}`
  } else if (plan.priority !== null) {
    // Priority is positional: without burst the three burst fields are zero (= no burst).
    out += ' 0/0 0/0 0/0'
  }
  if (plan.priority !== null) out += ` ${plan.priority}`
  return out
}

/** Why a plan's speed settings are invalid, as field → message; empty when valid. */
export function validateRateLimit(plan: RateLimitFields): Record<string, string> {
  const errors: Record<string, string> = {}
  const burst = [plan.burst_rate_up, plan.burst_rate_down, plan.burst_threshold_up, plan.burst_threshold_down, plan.burst_time]
  if (!(plan.upload_limit > 0)) errors.upload_limit = 'must be a positive rate in bits per second'
  if (!(plan.download_limit > 0)) errors.download_limit = 'must be a positive rate in bits per second'
  if (burst.some((v) => v !== null) && burst.some((v) => v === null)) {
    errors.burst = 'burst needs all of burst_rate_up/down, burst_threshold_up/down and burst_time'
    return errors
  }
  if (plan.burst_rate_up !== null && plan.burst_rate_up <= plan.upload_limit) errors.burst_rate_up = 'must be above upload_limit'
  if (plan.burst_rate_down !== null && plan.burst_rate_down <= plan.download_limit) errors.burst_rate_down = 'must be above download_limit'
  if (plan.burst_threshold_up !== null && !(plan.burst_threshold_up > 0 && plan.burst_threshold_up <= plan.upload_limit)) {
    errors.burst_threshold_up = 'must be above 0 and at most upload_limit, or bursting never starts'
  }
  if (plan.burst_threshold_down !== null && !(plan.burst_threshold_down > 0 && plan.burst_threshold_down <= plan.download_limit)) {
    errors.burst_threshold_down = 'must be above 0 and at most download_limit, or bursting never starts'
  }
  if (plan.burst_time !== null && !(Number.isInteger(plan.burst_time) && plan.burst_time > 0)) errors.burst_time = 'must be whole seconds above 0'
  if (plan.priority !== null && !(Number.isInteger(plan.priority) && plan.priority >= 1 && plan.priority <= 8)) errors.priority = 'must be 1 (highest) to 8'
  return errors
}

/**
 * The API's (and the admin form's) name of each field {@link validateRateLimit} reports, so both put a message
 * on the same field. A half-configured burst is reported on burstRateUp, the first burst field.
 */
export const RATE_LIMIT_FIELD_NAMES: Readonly<Record<string, string>> = Object.freeze({
  upload_limit: 'uploadLimit', download_limit: 'downloadLimit', burst_rate_up: 'burstRateUp', burst_rate_down: 'burstRateDown',
  burst_threshold_up: 'burstThresholdUp', burst_threshold_down: 'burstThresholdDown', burst_time: 'burstTime', priority: 'priority', burst: 'burstRateUp',
})
