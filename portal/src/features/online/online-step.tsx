/** The end of the road: "You're online until 18:42" in the ISP's time zone. */
import { Button, GlassPanel } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'
import { onlineUntilText } from '../../lib/format.js'
import { CheckIcon } from '../../components/icons.js'

export function OnlineStep({
  expiresAt,
  timeZone,
  planName,
  continueUrl,
  onBuyMore,
}: {
  readonly expiresAt: string | null
  readonly timeZone: string
  readonly planName: string | null
  readonly continueUrl: string | null
  readonly onBuyMore: () => void
}) {
  const { t, lang } = useI18n()
  const until = expiresAt ? onlineUntilText(new Date(expiresAt), timeZone, new Date(), lang, t) : t('online.title')
  return (
    <section aria-labelledby="online-title" className="flex flex-col gap-4">
      <GlassPanel padding="none" className="flex flex-col items-center gap-3 px-5 py-8 text-center">
        <span className="grid size-20 place-items-center rounded-full bg-green-400/15 text-green-300">
          <CheckIcon className="size-11" />
        </span>
        <div role="status">
          <h1 id="online-title" className="text-2xl font-bold">
            {until}
          </h1>
        </div>
        {planName && <p className="text-muted">{t('online.plan', { name: planName })}</p>}
      </GlassPanel>
      {continueUrl && (
        <a
          href={continueUrl}
          className="accent-ink inline-flex min-h-12 items-center justify-center rounded-2xl px-5 text-lg font-semibold text-white"
        >
          {t('online.continue')}
        </a>
      )}
      <Button variant="ghost" onClick={onBuyMore}>
        {t('online.buyMore')}
      </Button>
    </section>
  )
}
