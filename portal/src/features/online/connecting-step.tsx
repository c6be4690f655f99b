/** Between "paid" and the router's answer: the login form is on its way to the router. */
import { Button, GlassPanel, Notice, Spinner } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'

export function ConnectingStep({
  routerError,
  onLoginAgain,
}: {
  /** The router's refusal, in the customer's words, when its last login attempt failed. */
  readonly routerError: string | null
  readonly onLoginAgain: (() => void) | null
}) {
  const { t } = useI18n()
  return (
    <section aria-labelledby="connecting-title" className="flex flex-col gap-4">
      <GlassPanel padding="none" className="flex flex-col items-center gap-4 px-5 py-8 text-center">
        {!routerError && <Spinner className="size-10 border-4" />}
        <h1 id="connecting-title" className="text-2xl font-bold">
          {t('connecting.title')}
        </h1>
        <p className="text-muted" role="status">
          {t('paying.confirmed')} {t('connecting.body')}
        </p>
      </GlassPanel>
      {routerError && <Notice tone="error">{routerError}</Notice>}
      {onLoginAgain && (
        <Button variant={routerError ? 'primary' : 'ghost'} onClick={onLoginAgain}>
          {t('connecting.manual')}
        </Button>
      )}
    </section>
  )
}
