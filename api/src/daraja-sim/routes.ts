/**
 * Daraja's endpoints as the simulator serves them, with Daraja's validation errors and envelopes
 * (digest §1.2–§1.7); Transaction Status and C2B are in status-and-c2b.ts. Control endpoints live under /__sim.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import type { SimLedger } from './ledger.js'
import { simStatusAndC2bRoutes } from './status-and-c2b.js'
import { SimScenarioSchema } from './scenarios.js'

/** A merchant account the simulator knows: shortcode → passkey. */
export interface SimAccount { readonly shortcode: string; readonly passkey: string }

/** What the routes need. */
export interface SimRouteOptions {
  readonly ledger: SimLedger
  readonly accounts: ReadonlyMap<string, string>
  /** Refuse a second prompt on a phone with one open, and the same amount within 2 min (code 17). */
  readonly enforceSubscriberRules: boolean
  /** Delay before a Transaction Status result is POSTed, in ms. */
  readonly statusResultDelayMs: number
  /** Latency added to every STK query, in ms (a slow Safaricom; lets tests kill a worker mid-query). */
  readonly queryDelayMs: number
  /** Receives the paybill function so the in-process handle can run C2B payments. */
  readonly exposePayBill?: (fn: SimPayBill) => void
}

export type { SimPayBill } from './status-and-c2b.js'
import type { SimPayBill } from './status-and-c2b.js'

const FORBIDDEN_URL_WORDS = /mpesa|safaricom|sql|query|exe|exec|cmd/i
const numOrStr = z.union([z.number(), z.string()]).transform((v) => String(v))
const requestId = () => `${randomBytes(2).toString('hex')}-${randomBytes(3).toString('hex')}-1`

function fail(reply: FastifyReply, http: number, errorCode: string, errorMessage: string) {
  return reply.code(http).send({ requestId: requestId(), errorCode, errorMessage })
}

const StkPushSchema = z.object({
  BusinessShortCode: numOrStr, Password: z.string(), Timestamp: numOrStr, TransactionType: z.string(), Amount: numOrStr,
  PartyA: numOrStr, PartyB: numOrStr, PhoneNumber: numOrStr, CallBackURL: z.string(), AccountReference: z.string(),
  TransactionDesc: z.string().optional(),
})
const StkQuerySchema = z.object({ BusinessShortCode: numOrStr, Password: z.string(), Timestamp: numOrStr, CheckoutRequestID: z.string() })

/** Registers the Daraja endpoints and the /__sim control endpoints. */
export async function simRoutes(app: FastifyInstance, opts: SimRouteOptions): Promise<void> {
  const { ledger, accounts } = opts
  // Daraja's FAQ: a new token invalidates the previous one of the same app (consumer key), digest §1.2.
  const currentTokenOf = new Map<string, string>()
  const tokens = new Set<string>()

  const authorised = (auth: string | undefined) => !!auth && auth.startsWith('Bearer ') && tokens.has(auth.slice(7))
  const passwordOk = (shortcode: string, password: string, ts: string) =>
    accounts.has(shortcode) && Buffer.from(`${shortcode}${accounts.get(shortcode)}${ts}`).toString('base64') === password

  app.get('/oauth/v1/generate', async (req, reply) => {
    const auth = req.headers.authorization ?? ''
    const creds = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : ''
    if (!/^[^:]+:.+$/.test(creds)) return fail(reply, 400, '400.008.01', 'Invalid Authentication passed')
    if ((req.query as Record<string, string>).grant_type !== 'client_credentials') return fail(reply, 400, '400.008.02', 'Invalid grant type passed')
    const token = randomBytes(14).toString('base64url')
    const consumerKey = creds.slice(0, creds.indexOf(':'))
    const previous = currentTokenOf.get(consumerKey)
    if (previous) tokens.delete(previous)
    currentTokenOf.set(consumerKey, token)
    tokens.add(token)
    return { access_token: token, expires_in: '3599' }
  })

  app.post('/mpesa/stkpush/v1/processrequest', async (req, reply) => {
    if (!authorised(req.headers.authorization)) return fail(reply, 404, '404.001.03', 'Invalid Access Token')
    const body = StkPushSchema.safeParse(req.body)
    if (!body.success) return fail(reply, 400, '400.002.05', 'Invalid Request Payload')
    const b = body.data
    if (!accounts.has(b.BusinessShortCode)) return fail(reply, 500, '500.001.1001', 'Merchant does not exist')
    if (!passwordOk(b.BusinessShortCode, b.Password, b.Timestamp)) return fail(reply, 500, '500.001.1001', 'Wrong credentials')
    if (!/^[1-9]\d*$/.test(b.Amount) || Number(b.Amount) > 250_000) return fail(reply, 400, '400.002.02', 'Bad Request - Invalid Amount')
    if (!/^254[17]\d{8}$/.test(b.PhoneNumber) || b.PartyA !== b.PhoneNumber) return fail(reply, 400, '400.002.02', 'Bad Request - Invalid PhoneNumber')
    if (!/^https?:\/\//.test(b.CallBackURL) || FORBIDDEN_URL_WORDS.test(new URL(b.CallBackURL).pathname + new URL(b.CallBackURL).host)) {
      return fail(reply, 400, '400.002.02', 'Bad Request - Invalid CallBackURL')
    }
    if (b.AccountReference.length > 12) return fail(reply, 400, '400.002.02', 'Bad Request - Invalid AccountReference')
    if (opts.enforceSubscriberRules && ledger.openPromptFor(b.PhoneNumber)) {
      return fail(reply, 500, '500.001.1001', 'Unable to lock subscriber, a transaction is already in process for the current subscriber')
    }
    const ruleLimited = opts.enforceSubscriberRules && ledger.isRuleLimited(b.PhoneNumber, Number(b.Amount), Date.now())
    const p = ledger.accept({
      shortcode: b.BusinessShortCode, phone: b.PhoneNumber, amount: Number(b.Amount), accountReference: b.AccountReference,
      callbackUrl: b.CallBackURL, ruleLimited,
    })
    if (p.scenario.replyDelayMs > 0) await new Promise((r) => setTimeout(r, p.scenario.replyDelayMs))
    return {
      MerchantRequestID: p.merchantRequestId, CheckoutRequestID: p.checkoutRequestId, ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing', CustomerMessage: 'Success. Request accepted for processing',
    }
  })

  app.post('/mpesa/stkpushquery/v1/query', async (req, reply) => {
    if (!authorised(req.headers.authorization)) return fail(reply, 404, '404.001.03', 'Invalid Access Token')
    const body = StkQuerySchema.safeParse(req.body)
    if (!body.success) return fail(reply, 400, '400.002.05', 'Invalid Request Payload')
    if (!passwordOk(body.data.BusinessShortCode, body.data.Password, body.data.Timestamp)) return fail(reply, 500, '500.001.1001', 'Wrong credentials')
    if (opts.queryDelayMs > 0) await new Promise((r) => setTimeout(r, opts.queryDelayMs))
    const p = ledger.payments.get(body.data.CheckoutRequestID)
    if (!p || p.shortcode !== body.data.BusinessShortCode) return fail(reply, 400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID')
    if (p.completedAt === undefined) {
      return reply.code(500).send({ requestId: p.checkoutRequestId, errorCode: '500.001.1001', errorMessage: 'The transaction is being processed' })
    }
    return {
      ResponseCode: '0', ResponseDescription: 'The service request has been accepted successsfully', MerchantRequestID: p.merchantRequestId,
      CheckoutRequestID: p.checkoutRequestId, ResultCode: String(p.resultCode), ResultDesc: p.resultDesc,
    }
  })

  await app.register(simStatusAndC2bRoutes, { ledger, authorised: (auth: string | undefined) => authorised(auth), statusResultDelayMs: opts.statusResultDelayMs, ...(opts.exposePayBill ? { exposePayBill: opts.exposePayBill } : {}) })

  // Control endpoints for the CLI and manual testing.
  app.put('/__sim/scenarios/phone/:phone', async (req) => {
    const scenario = SimScenarioSchema.parse(req.body)
    ledger.scenarios.setForPhone((req.params as { phone: string }).phone, scenario)
    return { ok: true }
  })
  app.get('/__sim/payments', async () => [...ledger.payments.values()])
}
