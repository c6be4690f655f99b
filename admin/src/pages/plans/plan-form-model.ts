/**
 * The plan form's model: what the admin types (rates like "5M", durations like "1d", shillings) ↔ the API's
 * plan body (bits/s, seconds, cents). The live Mikrotik-Rate-Limit preview and the burst checks are the
 * domain's own renderRateLimit / validateRateLimit, so the form says exactly what the API will say.
 */
import {
  ACCOUNT_TYPES,
  RATE_LIMIT_FIELD_NAMES,
  formatDuration,
  formatRate,
  fromMajor,
  parseDuration,
  parseRate,
  renderRateLimit,
  validateRateLimit,
  type RateLimitFields,
} from '@mnetifi/db/domain'

export type AccountType = (typeof ACCOUNT_TYPES)[number]

/** Every field as the inputs hold it (strings), plus the checkboxes. */
export interface PlanFormValues {
  name: string
  description: string
  price: string
  duration: string
  uploadLimit: string
  downloadLimit: string
  burst: boolean
  burstRateUp: string
  burstRateDown: string
  burstThresholdUp: string
  burstThresholdDown: string
  burstTime: string
  priority: string
  dataQuotaMb: string
  accountTypes: AccountType[]
  simultaneousUse: string
  isActive: boolean
}

/** The API's plan body. */
export interface PlanBody {
  name: string
  description: string
  price: number
  durationSeconds: number
  uploadLimit: number
  downloadLimit: number
  burstRateUp: number | null
  burstRateDown: number | null
  burstThresholdUp: number | null
  burstThresholdDown: number | null
  burstTime: number | null
  priority: number | null
  dataQuota: number | null
  accountTypes: AccountType[]
  simultaneousUse: number
  isActive: boolean
}

/** An existing plan as the API returns it (only what the form edits). */
export type PlanLike = Omit<PlanBody, 'description'> & { description: string }

export const EMPTY_PLAN: PlanFormValues = {
  name: '',
  description: '',
  price: '',
  duration: '1h',
  uploadLimit: '2M',
  downloadLimit: '5M',
  burst: false,
  burstRateUp: '',
  burstRateDown: '',
  burstThresholdUp: '',
  burstThresholdDown: '',
  burstTime: '',
  priority: '',
  dataQuotaMb: '',
  accountTypes: ['HOTSPOT'],
  simultaneousUse: '1',
  isActive: true,
}

const MB = 1_000_000

/** Form values of an existing plan. */
export function toFormValues(plan: PlanLike): PlanFormValues {
  const rate = (v: number | null) => (v === null ? '' : formatRate(v))
  return {
    name: plan.name,
    description: plan.description,
    price: String(plan.price / 100),
    duration: formatDuration(plan.durationSeconds),
    uploadLimit: formatRate(plan.uploadLimit),
    downloadLimit: formatRate(plan.downloadLimit),
    burst: plan.burstRateUp !== null,
    burstRateUp: rate(plan.burstRateUp),
    burstRateDown: rate(plan.burstRateDown),
    burstThresholdUp: rate(plan.burstThresholdUp),
    burstThresholdDown: rate(plan.burstThresholdDown),
    burstTime: plan.burstTime === null ? '' : String(plan.burstTime),
    priority: plan.priority === null ? '' : String(plan.priority),
    dataQuotaMb: plan.dataQuota === null ? '' : String(plan.dataQuota / MB),
    accountTypes: [...plan.accountTypes],
    simultaneousUse: String(plan.simultaneousUse),
    isActive: plan.isActive,
  }
}

/** The outcome of reading the form: the body to send, or the field errors to show (keyed like the API's). */
export type PlanFormResult =
  { ok: true; body: PlanBody; rateLimit: string } | { ok: false; errors: Record<string, string>; rateLimit: string | null }

/** Reads the form: parses every unit, applies the domain's burst rules, renders the rate-limit string. */
export function readPlanForm(v: PlanFormValues): PlanFormResult {
  const errors: Record<string, string> = {}
  const rate = (field: keyof PlanFormValues, text: string, required: boolean): number | null => {
    if (!text.trim()) {
      if (required) errors[field] = 'required, e.g. 5M or 512k'
      return null
    }
    const bps = parseRate(text)
    if (bps === undefined) errors[field] = 'a rate like 5M, 512k or 1500000'
    return bps ?? null
  }
  const whole = (field: keyof PlanFormValues, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number | null => {
    if (!text.trim()) return null
    const n = Number(text)
    if (!Number.isInteger(n) || n < min || n > max)
      errors[field] = max === Number.MAX_SAFE_INTEGER ? `a whole number, at least ${min}` : `a whole number from ${min} to ${max}`
    return Number.isInteger(n) ? n : null
  }

  if (!v.name.trim()) errors.name = 'required'
  let price: number | null = null
  const shillings = Number(v.price)
  if (!v.price.trim() || !Number.isFinite(shillings) || shillings < 0) errors.price = 'the price in shillings, e.g. 50'
  else price = fromMajor(shillings)
  const durationSeconds = parseDuration(v.duration)
  if (durationSeconds === undefined) errors.durationSeconds = 'a duration like 30m, 1h, 1d or 30d'

  const uploadLimit = rate('uploadLimit', v.uploadLimit, true)
  const downloadLimit = rate('downloadLimit', v.downloadLimit, true)
  const burstRateUp = v.burst ? rate('burstRateUp', v.burstRateUp, true) : null
  const burstRateDown = v.burst ? rate('burstRateDown', v.burstRateDown, true) : null
  const burstThresholdUp = v.burst ? rate('burstThresholdUp', v.burstThresholdUp, true) : null
  const burstThresholdDown = v.burst ? rate('burstThresholdDown', v.burstThresholdDown, true) : null
  let burstTime = v.burst ? whole('burstTime', v.burstTime, 1) : null
  if (v.burst && burstTime === null && !errors.burstTime) {
    errors.burstTime = 'seconds, e.g. 8'
    burstTime = null
  }
  const priority = whole('priority', v.priority, 1, 8)
  const quotaMb = v.dataQuotaMb.trim() ? Number(v.dataQuotaMb) : null
  if (quotaMb !== null && !(quotaMb > 0)) errors.dataQuotaMb = 'megabytes above 0, or empty for unlimited'
  const simultaneousUse = whole('simultaneousUse', v.simultaneousUse, 1) ?? 1
  if (!v.accountTypes.length) errors.accountTypes = 'pick at least one'

  let rateLimit: string | null = null
  if (uploadLimit !== null && downloadLimit !== null) {
    const fields: RateLimitFields = {
      upload_limit: uploadLimit,
      download_limit: downloadLimit,
      burst_rate_up: burstRateUp,
      burst_rate_down: burstRateDown,
      burst_threshold_up: burstThresholdUp,
      burst_threshold_down: burstThresholdDown,
      burst_time: burstTime,
      priority,
    }
    const complete = !v.burst || [burstRateUp, burstRateDown, burstThresholdUp, burstThresholdDown, burstTime].every((x) => x !== null)
    if (complete) {
      for (const [field, message] of Object.entries(validateRateLimit(fields))) {
        const key = RATE_LIMIT_FIELD_NAMES[field] ?? field
        errors[key] ??= message.replace(/\b(upload|download)_limit\b/g, (m) =>
          m === 'upload_limit' ? 'the upload limit' : 'the download limit',
        )
      }
      rateLimit = renderRateLimit(fields)
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors, rateLimit }
  return {
    ok: true,
    rateLimit: rateLimit!,
    body: {
      name: v.name.trim(),
      description: v.description.trim(),
      price: price!,
      durationSeconds: durationSeconds!,
      uploadLimit: uploadLimit!,
      downloadLimit: downloadLimit!,
      burstRateUp,
      burstRateDown,
      burstThresholdUp,
      burstThresholdDown,
      burstTime,
      priority,
      dataQuota: quotaMb === null ? null : Math.round(quotaMb * MB),
      accountTypes: v.accountTypes,
      simultaneousUse,
      isActive: v.isActive,
    },
  }
}
