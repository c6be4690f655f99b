/**
 * The portal: which ISP (from the path, /portal/<subdomain>/), what the router sent, and which screen shows.
 * Screens are plain components; the purchase logic is in hooks/use-purchase-flow.ts.
 */
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import { GlassPanel, Notice, Spinner } from '@mnetifi/ui'
import { isApiError } from '@mnetifi/ui/api'
import { fetchIsp, fetchPlans, type Isp, type Plan } from './api/portal-api.js'
import { isMessageKey, useI18n, type MessageKey } from './i18n/index.js'
import { usePurchaseFlow } from './hooks/use-purchase-flow.js'
import { loadRouterContext } from './lib/router-params.js'
import { routerErrorText } from './lib/router-error.js'
import { describeError } from './lib/describe-error.js'
import { applyBranding } from './lib/branding.js'
import { PortalShell, type Brand } from './components/layout/portal-shell.js'
import { StepTransition } from './components/step-transition.js'
import { PlanList } from './features/plans/plan-list.js'
import {
  CodeScreen,
  ConnectingStep,
  FailedStep,
  OnlineStep,
  PayingStep,
  PhoneStep,
  RecoverScreen,
  ReturningScreen,
  VoucherScreen,
  prefetchScreens,
} from './screens.js'

type View = 'flow' | 'recover' | 'voucher' | 'returning' | 'code'
const VIEWS: readonly View[] = ['flow', 'recover', 'voucher', 'returning', 'code']

/** `/portal/demo/…` → "demo". */
export function subdomainFromPath(pathname: string): string | null {
  const m = /^\/portal\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\/|$)/i.exec(pathname)
  return m ? m[1]!.toLowerCase() : null
}

export function App() {
  const { t } = useI18n()
  const subdomain = subdomainFromPath(window.location.pathname) ?? ''
  const search = useMemo(() => new URLSearchParams(window.location.search), [])
  const [router] = useState(() => loadRouterContext(subdomain, search, Date.now()))
  const routerError = search.get('error')?.trim() || null

  const [isp, setIsp] = useState<Isp | null>(null)
  const [plans, setPlans] = useState<Plan[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [view, setViewState] = useState<View>(() => {
    const v = search.get('view') as View | null
    return v && VIEWS.includes(v) ? v : 'flow'
  })
  const setView = useCallback((next: View) => {
    setViewState(next)
    const url = new URL(window.location.href)
    if (next === 'flow') url.searchParams.delete('view')
    else url.searchParams.set('view', next)
    window.history.replaceState(null, '', url)
    window.scrollTo(0, 0)
  }, [])

  useEffect(() => {
    if (!subdomain) return
    // Both at once: on a 150 ms link, one round trip is most of the wait.
    fetchIsp(subdomain).then((i) => {
      setIsp(i)
      applyBranding(i)
    }, setLoadError)
    fetchPlans(subdomain).then(setPlans, setLoadError)
  }, [subdomain])

  // Once the plans are on screen, fetch the other screens (they must not compete with the plan screen's files).
  useEffect(() => {
    if (plans) prefetchScreens()
  }, [plans])

  const purchase = usePurchaseFlow({ subdomain, router, routerRefused: routerError !== null, t })
  const { flow } = purchase
  const planOf = (id: string | null) => plans?.find((p) => p.id === id) ?? null

  const brand: Brand = isp
    ? { name: isp.name, logoUrl: isp.logoUrl, isDefault: false }
    : { name: 'MnetiFi', logoUrl: null, isDefault: true }
  const unknownIsp = !subdomain || (isApiError(loadError) && loadError.code === 'NOT_FOUND')
  const connectFromHelp = useCallback(
    (login: Parameters<typeof purchase.connectWith>[0], expiresAt: string | null, tx: string | null) => {
      setView('flow')
      purchase.connectWith(login, expiresAt, tx)
    },
    [purchase, setView],
  )

  const helpLinks = (
    <nav aria-label={t('help.title')}>
      {/* On a help screen its own link would only lead back to it: the panel shows on the purchase screens. */}
      {view === 'flow' && (
        <GlassPanel padding="sm" className="flex flex-col">
          {(['recover', 'voucher', 'returning'] as const).map((v) => (
            <button
              key={v}
              type="button"
              onClick={() => setView(v)}
              className="flex min-h-12 items-center justify-between rounded-2xl px-4 text-left font-medium text-cyan-200 hover:bg-white/5"
            >
              {t(`help.${v}` as MessageKey)} <span aria-hidden="true">›</span>
            </button>
          ))}
        </GlassPanel>
      )}
      {isp?.supportPhone && (
        <a href={`tel:${isp.supportPhone}`} className="mt-3 inline-flex min-h-11 items-center px-3 text-slate-300 hover:text-white">
          {t('help.contact', { phone: isp.supportPhone })}
        </a>
      )}
    </nav>
  )

  let screen: React.ReactNode
  let screenKey: string = view
  if (unknownIsp) {
    screen = <Notice tone="error">{t('error.unknownIsp')}</Notice>
  } else if (loadError && !plans) {
    screen = (
      <Notice tone="error">
        {describeError(loadError, t) === t('error.network') ? t('plans.loadFailed') : describeError(loadError, t)}
      </Notice>
    )
  } else if (!isp || !plans) {
    screen = <Loading text={t('plans.loading')} />
  } else if (view === 'recover') {
    screen = (
      <RecoverScreen
        subdomain={subdomain}
        ispName={isp.name}
        hotspotId={router?.hotspotId ?? null}
        mac={router?.mac ?? null}
        onActivated={connectFromHelp}
        onBack={() => setView('flow')}
      />
    )
  } else if (view === 'voucher') {
    screen = (
      <VoucherScreen
        subdomain={subdomain}
        mac={router?.mac ?? null}
        onRedeemed={(login, expiresAt) => connectFromHelp(login, expiresAt, null)}
        onBack={() => setView('flow')}
      />
    )
  } else if (view === 'returning') {
    screen = (
      <ReturningScreen
        onReceipt={() => setView('recover')}
        onVoucher={() => setView('voucher')}
        onCode={() => setView('code')}
        onBack={() => setView('flow')}
      />
    )
  } else if (view === 'code') {
    screen = (
      <CodeScreen
        subdomain={subdomain}
        mac={router?.mac ?? null}
        onSignedIn={(login, expiresAt) => connectFromHelp(login, expiresAt, null)}
        onBack={() => setView('returning')}
      />
    )
  } else {
    screenKey = flow.step
    switch (flow.step) {
      case 'plans':
        screen = <PlanList plans={plans} error={null} onChoose={(p) => purchase.choosePlan(p.id)} />
        break
      case 'phone': {
        const plan = planOf(flow.planId)
        screen = plan ? (
          <PhoneStep
            plan={plan}
            initialPhone={flow.phone}
            busy={purchase.busy}
            fieldError={purchase.phoneError}
            formError={purchase.formError}
            onPay={purchase.pay}
            onChangePlan={purchase.backToPlans}
          />
        ) : (
          <PlanList plans={plans} error={null} onChoose={(p) => purchase.choosePlan(p.id)} />
        )
        break
      }
      case 'paying':
        screen = (
          <PayingStep
            phone={flow.phone}
            slow={purchase.slow}
            onStartAgain={() => (flow.planId ? purchase.choosePlan(flow.planId) : purchase.backToPlans())}
            onRecover={() => setView('recover')}
          />
        )
        break
      case 'failed': {
        const key = `reason.${flow.reason}` as MessageKey
        const message = isMessageKey(key) ? t(key) : flow.message || t('reason.UNKNOWN')
        screen = (
          <FailedStep
            message={message}
            canRetry={flow.canRetry && flow.phone !== ''}
            busy={purchase.busy}
            onRetry={() => purchase.pay(flow.phone)}
            onOtherPlan={purchase.backToPlans}
          />
        )
        break
      }
      case 'connecting':
        screen = (
          <ConnectingStep
            routerError={routerError ? routerErrorText(routerError, t) : null}
            onLoginAgain={router ? purchase.loginAgain : null}
          />
        )
        break
      case 'online':
        screen = (
          <OnlineStep
            expiresAt={flow.expiresAt}
            timeZone={isp.timezone}
            planName={planOf(flow.planId)?.name ?? null}
            continueUrl={search.get('link-orig') ?? router?.linkOrig ?? null}
            onBuyMore={purchase.backToPlans}
          />
        )
        break
    }
  }

  const showRouterError = routerError && !unknownIsp && flow.step !== 'connecting'
  return (
    <PortalShell brand={brand} footer={unknownIsp ? null : helpLinks}>
      {showRouterError && (
        <Notice tone="warning" className="mb-4">
          {routerErrorText(routerError, t)}
        </Notice>
      )}
      <StepTransition stepKey={screenKey}>
        <Suspense fallback={<Loading text={t('plans.loading')} />}>{screen}</Suspense>
      </StepTransition>
    </PortalShell>
  )
}

function Loading({ text }: { readonly text: string }) {
  return (
    <p className="mt-6 flex items-center gap-3 text-muted" role="status">
      <Spinner /> {text}
    </p>
  )
}
