/**
 * The page frame: the ISP's brand and the language switch on top, one narrow column (a phone's width even on a
 * desktop), help links and the provider's contact at the bottom. Presentational: takes what it shows.
 */
import type { ReactNode } from 'react'
import { cn } from '@mnetifi/ui'
import { useI18n } from '../../i18n/index.js'
import { WifiIcon } from '../icons.js'

export interface Brand {
  readonly name: string
  readonly logoUrl: string | null
  readonly isDefault: boolean
}

export function PortalShell({
  brand,
  footer,
  children,
  className,
}: {
  readonly brand: Brand
  readonly footer?: ReactNode
  readonly children: ReactNode
  readonly className?: string
}) {
  const { t, lang, setLang } = useI18n()
  return (
    <div className="mesh-bg flex min-h-dvh flex-col">
      <header className="mx-auto flex w-full max-w-md items-center justify-between gap-3 px-4 pt-4">
        <div className="flex min-w-0 items-center gap-2.5">
          {brand.logoUrl ? (
            <img src={brand.logoUrl} alt="" className="size-10 shrink-0 rounded-xl bg-white/10 object-contain" />
          ) : (
            <span className="accent-gradient grid size-10 shrink-0 place-items-center rounded-xl text-white shadow-lg shadow-cyan-500/20">
              <WifiIcon className="size-6" />
            </span>
          )}
          <div className="min-w-0">
            <p className="truncate text-lg leading-tight font-bold">{brand.name}</p>
            <p className="truncate text-xs text-muted">{t('brand.tagline')}</p>
          </div>
        </div>
        <button
          type="button"
          onClick={() => setLang(lang === 'en' ? 'sw' : 'en')}
          aria-label={t('lang.switchLabel')}
          lang={lang === 'en' ? 'sw' : 'en'}
          className="min-h-11 shrink-0 rounded-full border border-white/15 bg-white/5 px-3.5 text-sm font-medium text-slate-100 hover:bg-white/10"
        >
          {t('lang.switch')}
        </button>
      </header>
      <main id="main" className={cn('mx-auto w-full max-w-md px-4 pt-5 pb-6', className)}>
        {children}
      </main>
      <footer className="mx-auto w-full max-w-md px-4 pb-8 text-center text-sm text-muted">
        {footer}
        {!brand.isDefault && <p className="mt-3 text-xs text-slate-400">{t('footer.poweredBy')}</p>}
      </footer>
    </div>
  )
}
