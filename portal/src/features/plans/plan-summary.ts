import type { Plan } from '../../api/portal-api.js'
import type { Translate } from '../../i18n/index.js'
import { dataText, durationText, speedText } from '../../lib/format.js'

/** "5 Mbps · 24 hours" (· "2 GB data" when the plan has a quota). */
export function planLine(plan: Plan, t: Translate): string {
  const parts = [speedText(plan.downloadLimit, t), durationText(plan.durationSeconds, t)]
  if (plan.dataQuota) parts.push(t('plans.data', { size: dataText(plan.dataQuota) }))
  return parts.join(' · ')
}
