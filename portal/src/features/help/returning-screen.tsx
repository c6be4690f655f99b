/**
 * A returning customer on a new device: sign in with the M-Pesa code of an earlier payment, a voucher, or a
 * one-time code sent by SMS.
 */
import { GlassPanel } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'
import { BackLink } from './back-link.js'

export function ReturningScreen({
  onReceipt,
  onVoucher,
  onCode,
  onBack,
}: {
  readonly onReceipt: () => void
  readonly onVoucher: () => void
  readonly onCode: () => void
  readonly onBack: () => void
}) {
  const { t } = useI18n()
  const row = 'flex min-h-14 w-full items-center justify-between gap-3 rounded-2xl px-4 py-3 text-left font-medium'
  return (
    <section aria-labelledby="returning-title" className="flex flex-col gap-4">
      <BackLink onBack={onBack} />
      <h1 id="returning-title" className="text-2xl font-bold">
        {t('returning.title')}
      </h1>
      <p className="text-slate-300">{t('returning.body')}</p>
      <GlassPanel padding="sm" className="flex flex-col gap-1">
        <button type="button" className={`${row} hover:bg-white/5`} onClick={onReceipt}>
          {t('returning.byReceipt')} <span aria-hidden="true">›</span>
        </button>
        <button type="button" className={`${row} hover:bg-white/5`} onClick={onVoucher}>
          {t('returning.byVoucher')} <span aria-hidden="true">›</span>
        </button>
        <button type="button" className={`${row} hover:bg-white/5`} onClick={onCode}>
          {t('returning.byCode')} <span aria-hidden="true">›</span>
        </button>
      </GlassPanel>
    </section>
  )
}
