/**
 * Runs the purchase state machine (lib/purchase-flow.ts) in React: keeps it on the device and in the URL,
 * polls the purchase status while paying, and logs the device in to the router once the plan is active.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { isApiError, fieldErrors } from '@mnetifi/ui/api'
import { fetchPurchase, startPurchase } from '../api/portal-api.js'
import {
  INITIAL_FLOW,
  flowFromQuery,
  flowToQuery,
  persistableFlow,
  reduceFlow,
  restoreFlow,
  type Flow,
  type RouterLogin,
} from '../lib/purchase-flow.js'
import type { RouterContext } from '../lib/router-params.js'
import { readStored, writeStored } from '../lib/storage.js'
import { describeError } from '../lib/describe-error.js'
import type { Translate } from '../i18n/index.js'

/** Seconds between status polls while the customer enters the PIN. */
const POLL_MS = 2500
/** After this long without an answer the page says so and points at recovery. */
const SLOW_AFTER_MS = 45_000

function flowKey(subdomain: string): string {
  return `mnetifi:flow:${subdomain}`
}

/** The flow to start from: the device's own record, else the URL's; `?step=online` after the router login. */
export function initialFlow(subdomain: string, search: URLSearchParams, now: number): Flow {
  const stored = restoreFlow(readStored(flowKey(subdomain)))
  const fromUrl = flowFromQuery(search, now)
  let flow = stored.step !== 'plans' ? stored : fromUrl
  // A URL that names another attempt than the stored one is newer (a link, another tab): follow it.
  if ('transactionId' in fromUrl && fromUrl.transactionId && 'transactionId' in stored && fromUrl.transactionId !== stored.transactionId)
    flow = fromUrl
  // The router sends the browser back to `dst` (?step=online) after a successful login.
  if (search.get('step') === 'online' && !search.get('error') && flow.step === 'connecting')
    flow = reduceFlow(flow, { type: 'online', expiresAt: null })
  return flow
}

export interface PurchaseFlow {
  readonly flow: Flow
  readonly busy: boolean
  readonly phoneError: string | null
  readonly formError: string | null
  readonly slow: boolean
  choosePlan(planId: string): void
  backToPlans(): void
  pay(phone: string): void
  /** Sends the router login again (after a router refusal, or when the customer taps "not connected?"). */
  loginAgain(): void
  /** A login from outside the purchase (voucher, recovery): connect with it. */
  connectWith(login: RouterLogin | null, expiresAt: string | null, transactionId: string | null): void
}

export function usePurchaseFlow(opts: {
  readonly subdomain: string
  readonly router: RouterContext | null
  /** The router refused the last login (its redirect carried `error`): retry once by itself, then wait for a tap. */
  readonly routerRefused: boolean
  readonly t: Translate
}): PurchaseFlow {
  const { subdomain, router, routerRefused, t } = opts
  const [flow, dispatch] = useReducer(reduceFlow, undefined, () =>
    typeof window === 'undefined' ? INITIAL_FLOW : initialFlow(subdomain, new URLSearchParams(window.location.search), Date.now()),
  )
  const [busy, setBusy] = useState(false)
  const [phoneError, setPhoneError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [slow, setSlow] = useState(false)
  const submitted = useRef<string | null>(null)
  const paying = useRef(false)

  // Keep the flow on the device and in the URL (router parameters stay where they are).
  useEffect(() => {
    writeStored(flowKey(subdomain), persistableFlow(flow))
    const url = new URL(window.location.href)
    for (const [k, v] of Object.entries(flowToQuery(flow))) {
      if (v) url.searchParams.set(k, v)
      else url.searchParams.delete(k)
    }
    if (flow.step !== 'online' && flow.step !== 'connecting') url.searchParams.delete('error')
    if (url.href !== window.location.href) window.history.replaceState(null, '', url)
  }, [flow, subdomain])

  // While paying: poll the status; a dropped poll (weak signal) is simply tried again.
  const payingTx = flow.step === 'paying' ? flow.transactionId : null
  const payingSince = flow.step === 'paying' ? flow.startedAt : 0
  useEffect(() => {
    if (!payingTx) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout>
    const tick = async () => {
      try {
        const status = await fetchPurchase(subdomain, payingTx)
        if (!stopped) dispatch({ type: 'status', status })
      } catch (err) {
        if (!stopped && isApiError(err) && err.code === 'NOT_FOUND') dispatch({ type: 'backToPlans' })
      }
      if (!stopped) {
        setSlow(Date.now() - payingSince > SLOW_AFTER_MS)
        timer = setTimeout(tick, POLL_MS)
      }
    }
    void tick()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [payingTx, payingSince, subdomain])

  const finishLogin = useCallback(
    (login: RouterLogin | null, expiresAt: string | null, transactionId: string | null) => {
      // Without a router (the page opened outside the hotspot) or a login (MAC sign-in), there is nothing to post.
      const effective = login ?? (router?.mac ? { username: router.mac, password: '' } : null)
      if (!router || !effective) {
        dispatch({ type: 'online', expiresAt })
        return
      }
      const dst = new URL(window.location.href)
      dst.search = ''
      dst.searchParams.set('step', 'online')
      if (transactionId) dst.searchParams.set('tx', transactionId)
      if (router.linkOrig) dst.searchParams.set('link-orig', router.linkOrig)
      // The CHAP code (MD5) loads only now: the plan screen does not need it.
      void import('../lib/router-login.js').then((m) => m.submitRouterLogin(router, effective, dst.toString()))
    },
    [router],
  )

  // Posts the login to the router, first counting the attempt on the device: the browser leaves the page at
  // once, so the count is written before, not by the effect after.
  const sendLogin = useCallback(
    (current: Flow, login: RouterLogin | null, expiresAt: string | null, transactionId: string | null) => {
      if (current.step === 'connecting') {
        writeStored(flowKey(subdomain), persistableFlow({ ...current, attempts: current.attempts + 1 }))
        dispatch({ type: 'loginSent' })
      }
      finishLogin(login, expiresAt, transactionId)
    },
    [finishLogin, subdomain],
  )

  // Connecting: fetch the login again when a reload lost it, then post it to the router. Once per attempt, and
  // once more after a refusal: the router issues a new CHAP challenge with every login page, so a second page
  // (the phone's captive-portal checker and its browser both opening it) makes the first one's hash stale —
  // the redirect that reports the refusal carries the fresh challenge, which the retry uses.
  useEffect(() => {
    if (flow.step !== 'connecting' || flow.attempts >= (routerRefused ? 2 : 1)) return
    const key = `${flow.transactionId ?? flow.login?.username ?? 'login'}:${flow.attempts}`
    if (submitted.current === key) return
    if (flow.login) {
      submitted.current = key
      sendLogin(flow, flow.login, flow.expiresAt, flow.transactionId)
    } else if (flow.transactionId) {
      const tx = flow.transactionId
      const current = flow
      fetchPurchase(subdomain, tx).then(
        (status) => {
          if (status.status !== 'COMPLETED') return
          if (status.login) dispatch({ type: 'loginReady', login: status.login, expiresAt: status.expiresAt, transactionId: tx })
          else {
            submitted.current = key
            sendLogin(current, null, status.expiresAt, tx)
          }
        },
        () => undefined,
      )
    } else {
      dispatch({ type: 'online', expiresAt: flow.expiresAt })
    }
  }, [flow, routerRefused, subdomain, sendLogin])

  const pay = useCallback(
    (phone: string) => {
      if (paying.current || (flow.step !== 'phone' && flow.step !== 'failed') || !flow.planId) return
      paying.current = true
      setBusy(true)
      setPhoneError(null)
      setFormError(null)
      const planId = flow.planId
      startPurchase(subdomain, {
        planId,
        phone,
        ...(router?.hotspotId ? { hotspotId: router.hotspotId } : {}),
        ...(router?.mac ? { mac: router.mac } : {}),
      })
        .then((started) => dispatch({ type: 'pushStarted', transactionId: started.transactionId, phone, now: Date.now() }))
        .catch((err: unknown) => {
          const details = isApiError(err) ? (err.details as { transactionId?: unknown } | undefined) : undefined
          if (isApiError(err) && err.code === 'PAYMENT_IN_PROGRESS' && typeof details?.transactionId === 'string') {
            // A prompt for this phone is already open (a reload mid-payment, a second tab): follow that one.
            dispatch({ type: 'pushStarted', transactionId: details.transactionId, phone, now: Date.now() })
          } else if (isApiError(err) && (err.code === 'INVALID_PHONE' || fieldErrors(err).phone)) {
            if (flow.step === 'failed') dispatch({ type: 'choosePlan', planId })
            setPhoneError(err.code === 'INVALID_PHONE' ? t('phone.invalid') : fieldErrors(err).phone!)
          } else if (
            isApiError(err) &&
            (err.code === 'PAYMENT_IN_PROGRESS' || err.code === 'PROVIDER_UNAVAILABLE' || err.code === 'PROVIDER_REJECTED')
          ) {
            const reason = err.code === 'PAYMENT_IN_PROGRESS' ? 'SUBSCRIBER_LOCKED' : 'PROVIDER_BUSY'
            dispatch({ type: 'pushRefused', reason, message: err.message, canRetry: true, phone })
          } else {
            setFormError(describeError(err, t))
          }
        })
        .finally(() => {
          paying.current = false
          setBusy(false)
        })
    },
    [flow, router, subdomain, t],
  )

  return {
    flow,
    busy,
    phoneError,
    formError,
    slow,
    choosePlan: useCallback((planId: string) => dispatch({ type: 'choosePlan', planId }), []),
    backToPlans: useCallback(() => {
      setSlow(false)
      dispatch({ type: 'backToPlans' })
    }, []),
    pay,
    loginAgain: useCallback(() => {
      if (flow.step !== 'connecting') return
      if (flow.login) sendLogin(flow, flow.login, flow.expiresAt, flow.transactionId)
      else if (flow.transactionId) {
        const tx = flow.transactionId
        const current = flow
        void fetchPurchase(subdomain, tx).then((s) => {
          if (s.status === 'COMPLETED') sendLogin(current, s.login, s.expiresAt, tx)
        })
      }
    }, [flow, sendLogin, subdomain]),
    connectWith: useCallback(
      (login: RouterLogin | null, expiresAt: string | null, transactionId: string | null) => {
        submitted.current = null
        if (login) dispatch({ type: 'loginReady', login, expiresAt, transactionId })
        else finishLogin(null, expiresAt, transactionId)
      },
      [finishLogin],
    ),
  }
}
