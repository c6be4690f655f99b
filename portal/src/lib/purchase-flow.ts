/**
 * The customer's purchase as a state machine (pure: the React layer feeds it events and performs its effects).
 * plans → phone → paying (one STK push, then status polls) → connecting (the router login) → online, or
 * failed with a one-tap retry. It is kept in local storage and mirrored into the URL, so a reload or a captive
 * window that closes and reopens resumes the same attempt; while `paying` the only way to a second push is the
 * customer giving up on this one ("start again") — a reload never sends one.
 */

/** The login the portal posts to the router. */
export interface RouterLogin {
  readonly username: string
  readonly password: string
}

/** The portal API's purchase-status answer (GET /api/portal/:subdomain/purchases/:id). */
export interface PurchaseStatus {
  readonly transactionId: string
  readonly status: 'PENDING' | 'COMPLETED' | 'FAILED'
  readonly failureReason: string | null
  readonly message: string
  readonly canRetry: boolean
  readonly expiresAt: string | null
  readonly login: RouterLogin | null
}

export type Flow =
  | { readonly step: 'plans' }
  | { readonly step: 'phone'; readonly planId: string; readonly phone: string }
  | {
      readonly step: 'paying'
      readonly planId: string | null
      readonly phone: string
      readonly transactionId: string
      readonly startedAt: number
      readonly message: string | null
    }
  | {
      readonly step: 'connecting'
      readonly planId: string | null
      readonly transactionId: string | null
      readonly expiresAt: string | null
      /** Not persisted: a reload fetches it again from the purchase status. */
      readonly login: RouterLogin | null
      /** Login forms already sent to the router for this attempt (persisted: bounds the automatic retries). */
      readonly attempts: number
    }
  | { readonly step: 'online'; readonly planId: string | null; readonly expiresAt: string | null; readonly transactionId: string | null }
  | {
      readonly step: 'failed'
      readonly planId: string | null
      readonly phone: string
      readonly reason: string
      readonly message: string
      readonly canRetry: boolean
    }

export type FlowEvent =
  | { readonly type: 'choosePlan'; readonly planId: string }
  | { readonly type: 'backToPlans' }
  | { readonly type: 'pushStarted'; readonly transactionId: string; readonly phone: string; readonly now: number }
  | { readonly type: 'pushRefused'; readonly reason: string; readonly message: string; readonly canRetry: boolean; readonly phone: string }
  | { readonly type: 'status'; readonly status: PurchaseStatus }
  | { readonly type: 'loginSent' }
  | { readonly type: 'loginReady'; readonly login: RouterLogin; readonly expiresAt: string | null; readonly transactionId: string | null }
  | { readonly type: 'online'; readonly expiresAt: string | null }

export const INITIAL_FLOW: Flow = { step: 'plans' }

/** The next state. Events that make no sense in the current state leave it unchanged. */
export function reduceFlow(state: Flow, event: FlowEvent): Flow {
  switch (event.type) {
    case 'choosePlan':
      if (state.step === 'paying') return state
      return { step: 'phone', planId: event.planId, phone: 'phone' in state ? state.phone : '' }
    case 'backToPlans':
      return INITIAL_FLOW
    case 'pushStarted':
      if (state.step !== 'phone' && state.step !== 'failed') return state
      return {
        step: 'paying',
        planId: state.planId,
        phone: event.phone,
        transactionId: event.transactionId,
        startedAt: event.now,
        message: null,
      }
    case 'pushRefused':
      if (state.step !== 'phone' && state.step !== 'failed') return state
      return {
        step: 'failed',
        planId: state.planId,
        phone: event.phone,
        reason: event.reason,
        message: event.message,
        canRetry: event.canRetry,
      }
    case 'status': {
      if (state.step !== 'paying' || event.status.transactionId !== state.transactionId) return state
      const s = event.status
      if (s.status === 'COMPLETED') {
        return {
          step: 'connecting',
          planId: state.planId,
          transactionId: s.transactionId,
          expiresAt: s.expiresAt,
          login: s.login,
          attempts: 0,
        }
      }
      if (s.status === 'FAILED') {
        return {
          step: 'failed',
          planId: state.planId,
          phone: state.phone,
          reason: s.failureReason ?? 'UNKNOWN',
          message: s.message,
          canRetry: s.canRetry,
        }
      }
      return s.message === state.message ? state : { ...state, message: s.message }
    }
    case 'loginReady':
      return {
        step: 'connecting',
        planId: 'planId' in state ? state.planId : null,
        transactionId: event.transactionId,
        expiresAt: event.expiresAt,
        login: event.login,
        // The same attempt keeps its count across a reload; a new login starts afresh.
        attempts: state.step === 'connecting' && state.transactionId === event.transactionId ? state.attempts : 0,
      }
    case 'loginSent':
      return state.step === 'connecting' ? { ...state, attempts: state.attempts + 1 } : state
    case 'online':
      return {
        step: 'online',
        planId: 'planId' in state ? state.planId : null,
        expiresAt: event.expiresAt ?? ('expiresAt' in state ? state.expiresAt : null),
        transactionId: 'transactionId' in state ? state.transactionId : null,
      }
  }
}

/** What is kept on the device: everything but the router password. */
export function persistableFlow(state: Flow): Flow {
  return state.step === 'connecting' ? { ...state, login: null } : state
}

/** A stored value back into a Flow, or the initial state when it is not one we wrote. */
export function restoreFlow(value: unknown): Flow {
  if (!value || typeof value !== 'object') return INITIAL_FLOW
  const v = value as Record<string, unknown>
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : null)
  switch (v.step) {
    case 'phone':
      return str('planId') ? { step: 'phone', planId: str('planId')!, phone: str('phone') ?? '' } : INITIAL_FLOW
    case 'paying':
      return str('transactionId')
        ? {
            step: 'paying',
            planId: str('planId'),
            phone: str('phone') ?? '',
            transactionId: str('transactionId')!,
            startedAt: typeof v.startedAt === 'number' ? v.startedAt : Date.now(),
            message: null,
          }
        : INITIAL_FLOW
    case 'connecting':
      return {
        step: 'connecting',
        planId: str('planId'),
        transactionId: str('transactionId'),
        expiresAt: str('expiresAt'),
        login: null,
        attempts: typeof v.attempts === 'number' ? v.attempts : 0,
      }
    case 'online':
      return { step: 'online', planId: str('planId'), expiresAt: str('expiresAt'), transactionId: str('transactionId') }
    case 'failed':
      return {
        step: 'failed',
        planId: str('planId'),
        phone: str('phone') ?? '',
        reason: str('reason') ?? 'UNKNOWN',
        message: str('message') ?? '',
        canRetry: v.canRetry !== false,
      }
    default:
      return INITIAL_FLOW
  }
}

/** The flow's place in the URL (`?step=paying&tx=…&plan=…`), so a bare reload without storage still resumes. */
export function flowToQuery(state: Flow): Record<string, string | null> {
  const planId = 'planId' in state ? state.planId : null
  const tx = 'transactionId' in state ? state.transactionId : null
  return { step: state.step === 'plans' ? null : state.step, plan: planId, tx }
}

/** A flow from the URL alone (used when the device kept no state of its own). */
export function flowFromQuery(search: URLSearchParams, now: number): Flow {
  const step = search.get('step')
  const planId = search.get('plan')
  const tx = search.get('tx')
  if (step === 'paying' && tx) return { step: 'paying', planId, phone: '', transactionId: tx, startedAt: now, message: null }
  if ((step === 'connecting' || step === 'online') && tx)
    return { step: 'connecting', planId, transactionId: tx, expiresAt: null, login: null, attempts: 0 }
  if (step === 'online') return { step: 'online', planId, expiresAt: null, transactionId: null }
  if (step === 'phone' && planId) return { step: 'phone', planId, phone: '' }
  return INITIAL_FLOW
}
