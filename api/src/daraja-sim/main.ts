/**
 * `mnetifi daraja-sim`: a local stand-in for Safaricom Daraja that speaks its real endpoints and payload shapes
 * (OAuth, STK push, STK query, Transaction Status, C2B register/simulate) and plays scenarios per phone or per
 * request: success, cancelled (1032), timeout (1037), wrong PIN (2001), insufficient funds (1), callback delayed,
 * lost, duplicated or with a different amount. Used by `npm start` for tenants without real credentials, by the
 * end-to-end tests and by the payments benchmark.
 */
import Fastify from 'fastify'
import { z } from 'zod'
import { SANDBOX_PASSKEY, SANDBOX_SHORTCODE } from '../payments/daraja/tenant-client.js'
import { SimLedger, type SimDelivery, type SimPayment } from './ledger.js'
import { simRoutes, type SimPayBill } from './routes.js'
import { ScenarioBook, type SimDefaults, type SimScenario } from './scenarios.js'

/**
 * The simulator's environment variables (the CLI parses them once with parseConfig and passes
 * {@link darajaSimConfigFromEnv} of the result to {@link startDarajaSim}).
 */
export const DarajaSimEnvSchema = z.object({
  /** @defaultValue '127.0.0.1' */
  DARAJA_SIM_HOST: z.string().min(1).default('127.0.0.1'),
  /** @defaultValue 3090 (matches the API's default DARAJA_SIM_URL) */
  DARAJA_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(3090),
  /** How long the simulated customer takes to enter the PIN, in ms. @defaultValue 2000 */
  DARAJA_SIM_PROCESSING_MS: z.coerce.number().int().min(0).default(2000),
  /** Share of callbacks lost at random (0–1). @defaultValue 0 */
  DARAJA_SIM_LOST_CALLBACK_RATE: z.coerce.number().min(0).max(1).default(0),
})
export type DarajaSimEnv = z.infer<typeof DarajaSimEnvSchema>

/** Simulator options from parsed environment variables. */
export function darajaSimConfigFromEnv(env: DarajaSimEnv): DarajaSimConfig {
  return { host: env.DARAJA_SIM_HOST, port: env.DARAJA_SIM_PORT, defaults: { processingMs: env.DARAJA_SIM_PROCESSING_MS, lostCallbackRate: env.DARAJA_SIM_LOST_CALLBACK_RATE } }
}

/** Options of {@link startDarajaSim}; all optional. */
export interface DarajaSimConfig {
  /** @defaultValue '127.0.0.1' */
  readonly host?: string
  /** 0 picks a free port. @defaultValue 3090 */
  readonly port?: number
  /** Shortcode → passkey. @defaultValue the sandbox pair 174379 and C2B test shortcode 600984 */
  readonly accounts?: Readonly<Record<string, string>>
  /** Scenario defaults. @defaultValue success after 2000 ms, normal callback */
  readonly defaults?: Partial<SimDefaults>
  /** @defaultValue true */
  readonly enforceSubscriberRules?: boolean
  /** @defaultValue 50 */
  readonly statusResultDelayMs?: number
  /** Latency added to every STK query, in ms. @defaultValue 0 */
  readonly queryDelayMs?: number
  /** Random source for lostCallbackRate (tests pass a seeded one). */
  readonly random?: () => number
}

/** A running simulator. */
export interface DarajaSim {
  /** Base URL, e.g. http://127.0.0.1:3090 (the tenant's Daraja base URL). */
  readonly url: string
  /** Every push is played per the scenario for its phone. */
  setScenarioForPhone(phone: string, scenario: SimScenario): void
  /** Only the next push from `phone` follows `scenario`. */
  queueScenarioForPhone(phone: string, scenario: SimScenario): void
  /** Changes the scenario of a push already in flight (before the customer answers). */
  setScenarioForCheckout(checkoutRequestId: string, scenario: SimScenario): void
  /** A customer pays the paybill directly (C2B): validation, then confirmation to the registered URLs. */
  payBill(input: { shortcode: string; phone: string; amount: number; billRef?: string }): Promise<{ accepted: boolean; receipt: string | undefined }>
  /** The push with this CheckoutRequestID. */
  payment(checkoutRequestId: string): SimPayment | undefined
  readonly payments: ReadonlyMap<string, SimPayment>
  readonly deliveries: readonly SimDelivery[]
  close(): Promise<void>
}

/** Starts the simulator and resolves once it listens. */
export async function startDarajaSim(config: DarajaSimConfig = {}): Promise<DarajaSim> {
  const defaults: SimDefaults = {
    outcome: 'success', processingMs: 2000, callback: 'normal', callbackDelayMs: 5000, duplicates: 3, lostCallbackRate: 0,
    ...config.defaults,
  }
  const book = new ScenarioBook(defaults, config.random)
  const ledger = new SimLedger(book)
  const accounts = new Map(Object.entries(config.accounts ?? { [SANDBOX_SHORTCODE]: SANDBOX_PASSKEY, '600984': SANDBOX_PASSKEY }))
  let payBill: SimPayBill | undefined
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 })
  await app.register(simRoutes, {
    ledger, accounts, enforceSubscriberRules: config.enforceSubscriberRules ?? true,
    statusResultDelayMs: config.statusResultDelayMs ?? 50, queryDelayMs: config.queryDelayMs ?? 0, exposePayBill: (fn) => { payBill = fn },
  })
  const address = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 3090 })
  return {
    url: address,
    setScenarioForPhone: (phone, s) => book.setForPhone(phone, s),
    queueScenarioForPhone: (phone, s) => book.queueForPhone(phone, s),
    setScenarioForCheckout: (id, s) => book.setForCheckout(id, s),
    payBill: (i) => payBill!(i.shortcode, i.phone, i.amount, i.billRef ?? ''),
    payment: (id) => ledger.payments.get(id),
    payments: ledger.payments,
    deliveries: ledger.deliveries,
    async close() { ledger.stop(); await app.close() },
  }
}
