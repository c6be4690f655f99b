/**
 * A returning customer on a new device: sign in with the M-Pesa code of an earlier payment or a voucher. The
 * one-time SMS code (notifications issue) takes the third row when it exists.
 */
import { GlassPanel } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'
import { BackLink } from './back-link.js'

export function ReturningScreen({
  onReceipt,
  onVoucher,
  onBack,
}: {
  readonly onReceipt: () => void
  readonly onVoucher: () => void
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
        <button type="button" className={`${row} text-muted`} disabled aria-describedby="otp-soon">
          {t('returning.byCode')}
          <span id="otp-soon" className="rounded-full bg-white/10 px-2.5 py-0.5 text-xs">
            {t('returning.byCodeSoon')}
          </span>
        </button>
      </GlassPanel>
    </section>
  )
}
