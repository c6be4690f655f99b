/**
 * Every screen but the plan list is loaded after first paint, so the plan screen is all a customer on a slow
 * link waits for. `prefetchScreens()` starts both chunks as soon as the plans are drawn; by the time a plan is
 * tapped they are usually there (a Suspense fallback covers the rest).
 */
import { lazy } from 'react'

const pay = () => import('./features/pay/index.js')
const help = () => import('./features/help/index.js')

export const PhoneStep = lazy(() => pay().then((m) => ({ default: m.PhoneStep })))
export const PayingStep = lazy(() => pay().then((m) => ({ default: m.PayingStep })))
export const FailedStep = lazy(() => pay().then((m) => ({ default: m.FailedStep })))
export const ConnectingStep = lazy(() => pay().then((m) => ({ default: m.ConnectingStep })))
export const OnlineStep = lazy(() => pay().then((m) => ({ default: m.OnlineStep })))
export const RecoverScreen = lazy(() => help().then((m) => ({ default: m.RecoverScreen })))
export const VoucherScreen = lazy(() => help().then((m) => ({ default: m.VoucherScreen })))
export const ReturningScreen = lazy(() => help().then((m) => ({ default: m.ReturningScreen })))
export const CodeScreen = lazy(() => help().then((m) => ({ default: m.CodeScreen })))

/** Starts loading the other screens (idempotent: the module loader caches). */
export function prefetchScreens(): void {
  void pay()
  void help()
}
