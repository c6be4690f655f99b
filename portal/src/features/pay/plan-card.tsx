/** The chosen plan, shown above the payment steps. */
import { GlassPanel } from '@mnetifi/ui'
import type { Plan } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import { priceText } from '../../lib/format.js'
import { planLine } from '../plans/plan-summary.js'

export function PlanCard({ plan, action }: { readonly plan: Plan; readonly action?: React.ReactNode }) {
  const { t } = useI18n()
  return (
    <GlassPanel padding="md" className="flex items-center gap-3">
      <div className="min-w-0 flex-1">
        <p className="font-semibold">{plan.name}</p>
        <p className="text-sm text-slate-300">{planLine(plan, t)}</p>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-1">
        <p className="text-lg font-bold whitespace-nowrap">{priceText(plan.price, plan.currency)}</p>
        {action}
      </div>
    </GlassPanel>
  )
}
