/** A payment that did not complete: why, in plain words, and a one-tap retry with the same plan and number. */
import { Button, GlassPanel } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'
import { AlertIcon } from '../../components/icons.js'

export function FailedStep({
  message,
  canRetry,
  busy,
  onRetry,
  onOtherPlan,
}: {
  readonly message: string
  readonly canRetry: boolean
  readonly busy: boolean
  readonly onRetry: () => void
  readonly onOtherPlan: () => void
}) {
  const { t } = useI18n()
  return (
    <section aria-labelledby="failed-title" className="flex flex-col gap-4">
      <GlassPanel padding="none" className="flex flex-col items-center gap-3 px-5 py-7 text-center">
        <span className="grid size-16 place-items-center rounded-full bg-rose-500/15 text-rose-300">
          <AlertIcon className="size-9" />
        </span>
        <h1 id="failed-title" className="text-2xl font-bold">
          {t('failed.title')}
        </h1>
        <p role="alert" className="text-slate-100">
          {message}
        </p>
      </GlassPanel>
      {canRetry && (
        <Button variant="mpesa" busy={busy} className="min-h-13 w-full text-lg" onClick={onRetry}>
          {t('failed.retry')}
        </Button>
      )}
      <Button variant="ghost" onClick={onOtherPlan}>
        {t('failed.other')}
      </Button>
    </section>
  )
}
