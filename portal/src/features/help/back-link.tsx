import { useI18n } from '../../i18n/index.js'
import { ChevronLeftIcon } from '../../components/icons.js'

/** "Back to plans", at the top of every help screen. */
export function BackLink({ onBack }: { readonly onBack: () => void }) {
  const { t } = useI18n()
  return (
    <button
      type="button"
      onClick={onBack}
      className="-ml-1 inline-flex min-h-11 items-center gap-1 rounded-xl pr-3 text-sm font-medium text-cyan-300 hover:text-cyan-200"
    >
      <ChevronLeftIcon className="size-5" /> {t('help.back')}
    </button>
  )
}
