/**
 * What the simulated customer does with a prompt, and what happens to the callback. Scenarios are chosen per
 * phone number (persistent or for the next push only) or per CheckoutRequestID, else the simulator default.
 */
import { z } from 'zod'

/** Named outcomes with Daraja's real result codes and texts (digest §1.6, fixtures). */
export const SIM_OUTCOMES = Object.freeze({
  success: { code: 0, desc: 'The service request is processed successfully.' },
  insufficient: { code: 1, desc: 'The balance is insufficient for the transaction.' },
  cancelled: { code: 1032, desc: 'Request cancelled by user' },
  timeout: { code: 1037, desc: 'DS timeout user cannot be reached' },
  wrong_pin: { code: 2001, desc: 'The initiator information is invalid.' },
  expired: { code: 1019, desc: 'Transaction has expired.' },
  rule_limited: { code: 17, desc: 'Rule limited.' },
} as const)
export type SimOutcome = keyof typeof SIM_OUTCOMES

/**
 * - `normal`: one callback as soon as the customer answers.
 * - `delayed`: one callback `callbackDelayMs` after the answer.
 * - `lost`: no callback at all (only the STK query tells).
 * - `duplicated`: the same callback `duplicates` times (default 3).
 * - `different_amount`: one callback whose Amount is 1 shilling more than the push asked for.
 */
export const SIM_CALLBACK_MODES = ['normal', 'delayed', 'lost', 'duplicated', 'different_amount'] as const
export type SimCallbackMode = (typeof SIM_CALLBACK_MODES)[number]

/** One scenario. Every field is optional; missing ones come from the simulator's defaults. */
export const SimScenarioSchema = z.object({
  outcome: z.enum(Object.keys(SIM_OUTCOMES) as [SimOutcome, ...SimOutcome[]]).optional(),
  /** How long the customer takes to answer, in ms (STK query says "being processed" until then). */
  processingMs: z.number().int().min(0).optional(),
  callback: z.enum(SIM_CALLBACK_MODES).optional(),
  /** Extra delay of a `delayed` callback, in ms. */
  callbackDelayMs: z.number().int().min(0).optional(),
  /** How many times a `duplicated` callback is sent. */
  duplicates: z.number().int().min(2).max(10).optional(),
  /** Delay of the push's own HTTP reply, in ms: a slow network lets the callback overtake it. */
  replyDelayMs: z.number().int().min(0).optional(),
})
export type SimScenario = z.infer<typeof SimScenarioSchema>

/** A fully resolved scenario. */
export type ResolvedScenario = Required<SimScenario>

/** Simulator-wide defaults. */
export interface SimDefaults {
  readonly outcome: SimOutcome
  readonly processingMs: number
  readonly callback: SimCallbackMode
  readonly callbackDelayMs: number
  readonly duplicates: number
  /** Share (0…1) of callbacks lost at random when no scenario names a callback mode (benchmarks). */
  readonly lostCallbackRate: number
}

/** Scenario registry: per phone (persistent or one-shot) and per CheckoutRequestID. */
export class ScenarioBook {
  readonly #byPhone = new Map<string, SimScenario>()
  readonly #oneShot = new Map<string, SimScenario[]>()
  readonly #byCheckout = new Map<string, SimScenario>()
  readonly #random: () => number

  constructor(readonly defaults: SimDefaults, random: () => number = Math.random) {
    this.#random = random
  }

  /** Every push from `phone` follows `scenario` (until cleared). */
  setForPhone(phone: string, scenario: SimScenario): void { this.#byPhone.set(phone, scenario) }
  /** Only the next push from `phone` follows `scenario`; queued in order. */
  queueForPhone(phone: string, scenario: SimScenario): void {
    this.#oneShot.set(phone, [...(this.#oneShot.get(phone) ?? []), scenario])
  }
  /** Overrides (parts of) the scenario of a push that is already in flight. */
  setForCheckout(checkoutRequestId: string, scenario: SimScenario): void { this.#byCheckout.set(checkoutRequestId, scenario) }
  /** Forgets every scenario. */
  clear(): void { this.#byPhone.clear(); this.#oneShot.clear(); this.#byCheckout.clear() }

  /** The scenario for a new push from `phone`. */
  take(phone: string): ResolvedScenario {
    const queue = this.#oneShot.get(phone)
    const chosen = queue?.shift() ?? this.#byPhone.get(phone) ?? {}
    if (queue && queue.length === 0) this.#oneShot.delete(phone)
    const d = this.defaults
    const randomLoss = chosen.callback === undefined && d.lostCallbackRate > 0 && this.#random() < d.lostCallbackRate
    return {
      outcome: chosen.outcome ?? d.outcome,
      processingMs: chosen.processingMs ?? d.processingMs,
      callback: chosen.callback ?? (randomLoss ? 'lost' : d.callback),
      callbackDelayMs: chosen.callbackDelayMs ?? d.callbackDelayMs,
      duplicates: chosen.duplicates ?? d.duplicates,
      replyDelayMs: chosen.replyDelayMs ?? 0,
    }
  }

  /** Applies a per-checkout override, if any, to a scenario. */
  refine(checkoutRequestId: string, scenario: ResolvedScenario): ResolvedScenario {
    const o = this.#byCheckout.get(checkoutRequestId)
    return o ? { ...scenario, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } : scenario
  }
}
