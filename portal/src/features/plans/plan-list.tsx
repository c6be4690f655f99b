/** The first screen: the ISP's plans, each a large tap target. */
import { GlassPanel, Notice, Spinner } from '@mnetifi/ui'
import type { Plan } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import { priceText } from '../../lib/format.js'
import { planLine } from './plan-summary.js'

export function PlanList({
  plans,
  error,
  onChoose,
}: {
  readonly plans: readonly Plan[] | null
  readonly error: string | null
  readonly onChoose: (plan: Plan) => void
}) {
  const { t } = useI18n()
  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title" className="text-2xl font-bold">
        {t('plans.title')}
      </h1>
      <p className="mt-1 text-muted">{t('plans.subtitle')}</p>
      {error ? (
        <Notice tone="error" className="mt-5">
          {error}
        </Notice>
      ) : plans === null ? (
        <p className="mt-6 flex items-center gap-3 text-muted" role="status">
          <Spinner /> {t('plans.loading')}
        </p>
      ) : plans.length === 0 ? (
        <Notice className="mt-5">{t('plans.empty')}</Notice>
      ) : (
        <ul className="mt-5 flex flex-col gap-3">
          {plans.map((plan) => (
            <li key={plan.id}>
              <GlassPanel padding="none">
                <button
                  type="button"
                  onClick={() => onChoose(plan)}
                  className="flex w-full items-center gap-3 rounded-[24px] p-4 text-left transition hover:bg-white/5"
                >
                  <span className="min-w-0 flex-1">
                    <span className="block text-lg leading-snug font-semibold">{plan.name}</span>
                    <span className="mt-0.5 block text-sm text-slate-300">{planLine(plan, t)}</span>
                    {plan.description && <span className="mt-1 block text-sm text-muted">{plan.description}</span>}
                  </span>
                  <span className="flex shrink-0 flex-col items-end gap-1.5">
                    <span className="text-xl font-bold whitespace-nowrap">{priceText(plan.price, plan.currency)}</span>
                    <span className="accent-ink rounded-full px-3.5 py-1 text-sm font-semibold text-white">{t('plans.buy')}</span>
                  </span>
                </button>
              </GlassPanel>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
