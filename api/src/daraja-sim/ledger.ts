/**
 * The simulator's memory: pushes and their outcome timers, receipts (STK and C2B) for Transaction Status, and
 * the callbacks it sent. Callbacks are real HTTP POSTs in Daraja's shapes.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { SIM_OUTCOMES, type ResolvedScenario, type ScenarioBook } from './scenarios.js'

/** A push the simulator accepted. */
export interface SimPayment {
  readonly checkoutRequestId: string
  readonly merchantRequestId: string
  readonly shortcode: string
  readonly phone: string
  readonly amount: number
  readonly accountReference: string
  readonly callbackUrl: string
  readonly createdAt: number
  scenario: ResolvedScenario
  /** When the customer answered (ms epoch); undefined while the prompt is open. */
  completedAt?: number
  resultCode?: number
  resultDesc?: string
  receipt?: string
  callbacksSent: number
}

/** A receipt the simulated M-Pesa knows (for Transaction Status). */
export interface SimReceipt {
  readonly receipt: string
  readonly shortcode: string
  readonly phone: string
  readonly amount: number
  readonly at: number
  /** "Pay Bill Online" for STK, "Pay Bill" for a C2B payment. */
  readonly reasonType: string
}

/** One callback POST the simulator made. */
export interface SimDelivery { readonly url: string; readonly body: unknown; readonly status: number | 'error'; readonly at: number }

const EAT = 3 * 3600_000
const eatStamp = (ms: number) => new Date(ms + EAT).toISOString().replace(/[-:T]/g, '').slice(0, 14)
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A receipt in the real pattern: year letter (U = 2026), month letter (A = January), 8 alphanumerics. */
export function simReceiptNumber(at = new Date()): string {
  const year = String.fromCharCode('L'.charCodeAt(0) + (at.getUTCFullYear() - 2017))
  const month = String.fromCharCode('A'.charCodeAt(0) + at.getUTCMonth())
  let tail = ''
  for (let i = 0; i < 8; i++) tail += ALNUM[randomInt(ALNUM.length)]
  return `${year}${month}${tail}`
}

/** POSTs JSON and records the delivery; never throws (Daraja does not care whether we answered). */
export async function deliver(deliveries: SimDelivery[], url: string, body: unknown): Promise<void> {
  let status: number | 'error' = 'error'
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
    status = res.status
    await res.arrayBuffer()
  } catch { /* recorded as 'error' */ }
  deliveries.push({ url, body, status, at: Date.now() })
}

/** The pushes, receipts and deliveries, plus the timers that play each scenario. */
export class SimLedger {
  readonly payments = new Map<string, SimPayment>()
  readonly receipts = new Map<string, SimReceipt>()
  readonly deliveries: SimDelivery[] = []
  readonly #timers = new Set<NodeJS.Timeout>()
  #seq = 0

  constructor(readonly scenarios: ScenarioBook) {}

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => { this.#timers.delete(t); fn() }, ms)
    this.#timers.add(t)
  }

  /** The open prompt on a phone, if any (Daraja refuses a second one: "Unable to lock subscriber"). */
  openPromptFor(phone: string): SimPayment | undefined {
    for (const p of this.payments.values()) if (p.phone === phone && p.completedAt === undefined) return p
    return undefined
  }

  /** Whether the same phone paid the same amount successfully in the last two minutes (result 17). */
  isRuleLimited(phone: string, amount: number, now: number): boolean {
    for (const p of this.payments.values()) {
      if (p.phone === phone && p.amount === amount && p.resultCode === 0 && p.completedAt !== undefined && now - p.completedAt < 120_000) return true
    }
    return false
  }

  /** Accepts a push and schedules the customer's answer and the callback. */
  accept(input: { shortcode: string; phone: string; amount: number; accountReference: string; callbackUrl: string; ruleLimited: boolean }): SimPayment {
    const now = Date.now()
    this.#seq++
    const checkoutRequestId = `ws_CO_${eatStamp(now).slice(6, 8)}${eatStamp(now).slice(4, 6)}${eatStamp(now).slice(0, 4)}${eatStamp(now).slice(8)}${String(now % 1000).padStart(3, '0')}${input.phone.slice(3)}${this.#seq}`
    const merchantRequestId = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(8).toString('hex')}`
    let scenario = this.scenarios.take(input.phone)
    if (input.ruleLimited) scenario = { ...scenario, outcome: 'rule_limited' }
    const payment: SimPayment = { ...input, checkoutRequestId, merchantRequestId, createdAt: now, scenario, callbacksSent: 0 }
    this.payments.set(checkoutRequestId, payment)
    this.#later(scenario.processingMs, () => this.#complete(payment))
    return payment
  }

  #complete(p: SimPayment): void {
    p.scenario = this.scenarios.refine(p.checkoutRequestId, p.scenario)
    const outcome = SIM_OUTCOMES[p.scenario.outcome]
    p.completedAt = Date.now()
    p.resultCode = outcome.code
    p.resultDesc = outcome.desc
    if (outcome.code === 0) {
      p.receipt = simReceiptNumber()
      this.receipts.set(p.receipt, { receipt: p.receipt, shortcode: p.shortcode, phone: p.phone, amount: p.amount, at: p.completedAt, reasonType: 'Pay Bill Online' })
    }
    const s = p.scenario
    if (s.callback === 'lost') return
    const send = (amount: number) => { p.callbacksSent++; void deliver(this.deliveries, p.callbackUrl, this.callbackBody(p, amount)) }
    if (s.callback === 'delayed') this.#later(s.callbackDelayMs, () => send(p.amount))
    else if (s.callback === 'duplicated') for (let i = 0; i < s.duplicates; i++) send(p.amount)
    else if (s.callback === 'different_amount') send(p.amount + 1)
    else send(p.amount)
  }

  /** The callback body Daraja would POST for a finished push. */
  callbackBody(p: SimPayment, amount: number): unknown {
    const cb: Record<string, unknown> = {
      MerchantRequestID: p.merchantRequestId, CheckoutRequestID: p.checkoutRequestId, ResultCode: p.resultCode, ResultDesc: p.resultDesc,
    }
    if (p.resultCode === 0) {
      cb.CallbackMetadata = { Item: [
        { Name: 'Amount', Value: amount }, { Name: 'MpesaReceiptNumber', Value: p.receipt }, { Name: 'Balance' },
        { Name: 'TransactionDate', Value: Number(eatStamp(p.completedAt!)) }, { Name: 'PhoneNumber', Value: Number(p.phone) },
      ] }
    }
    return { Body: { stkCallback: cb } }
  }

  /** Records a C2B payment (the customer paid the paybill directly). */
  recordC2b(shortcode: string, phone: string, amount: number, receipt = simReceiptNumber()): SimReceipt {
    const r: SimReceipt = { receipt, shortcode, phone, amount, at: Date.now(), reasonType: 'Pay Bill' }
    this.receipts.set(r.receipt, r)
    return r
  }

  /** Runs `fn` after `ms` (cancelled by {@link stop}). */
  schedule(ms: number, fn: () => void): void { this.#later(ms, fn) }

  /** Cancels every pending timer. */
  stop(): void { for (const t of this.#timers) clearTimeout(t); this.#timers.clear() }

  /** East Africa time stamp helper for payloads. */
  static stamp(ms: number): string { return eatStamp(ms) }
}
