/** "Check your phone": the prompt is out; the status follows the purchase-status route live. */
import { Button, GlassPanel, Notice, Spinner } from '@mnetifi/ui'
import { formatPhoneKE, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { useI18n } from '../../i18n/index.js'
import { PhoneIcon } from '../../components/icons.js'

export function PayingStep({
  phone,
  slow,
  onStartAgain,
  onRecover,
}: {
  readonly phone: string
  /** No answer for a while: say so, and point at recovery instead of a second payment. */
  readonly slow: boolean
  readonly onStartAgain: () => void
  readonly onRecover: () => void
}) {
  const { t } = useI18n()
  const msisdn = tryNormalizePhoneKE(phone)
  return (
    <section aria-labelledby="paying-title" className="flex flex-col gap-4">
      <GlassPanel padding="none" className="flex flex-col items-center gap-4 px-5 py-7 text-center">
        <span className="relative grid size-20 place-items-center rounded-full bg-mpesa/15 text-mpesa">
          <span className="absolute inset-0 animate-ping rounded-full bg-mpesa/20" aria-hidden="true" />
          <PhoneIcon className="relative size-10" />
        </span>
        <h1 id="paying-title" className="text-2xl font-bold">
          {t('paying.title')}
        </h1>
        {msisdn && <p className="text-slate-200">{t('paying.body', { phone: formatPhoneKE(msisdn) })}</p>}
        <p className="flex items-center gap-2.5 text-sm text-muted" role="status" aria-live="polite">
          <Spinner className="size-4" /> {t('paying.waiting')}
        </p>
      </GlassPanel>
      {slow && (
        <Notice tone="warning">
          <p>{t('paying.slow')}</p>
          <Button variant="link" className="mt-1 text-amber-100" onClick={onRecover}>
            {t('help.recover')}
          </Button>
        </Notice>
      )}
      <Button variant="ghost" onClick={onStartAgain}>
        {t('paying.wrongNumber')}
      </Button>
    </section>
  )
}
