/**
 * Daraja's endpoints as the simulator serves them, with Daraja's validation errors and envelopes
 * (digest §1.2–§1.9). Control endpoints live under /__sim.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SimLedger, deliver, simReceiptNumber } from './ledger.js'
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

/** Runs a C2B paybill payment through validation and confirmation. */
export type SimPayBill = (shortcode: string, phone: string, amount: number, billRef: string) =>
  Promise<{ accepted: boolean; receipt: string | undefined }>

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
const StatusSchema = z.object({
  Initiator: z.string().min(1), SecurityCredential: z.string().min(1), CommandID: z.literal('TransactionStatusQuery'),
  TransactionID: z.string(), PartyA: numOrStr, IdentifierType: numOrStr, ResultURL: z.string().url(), QueueTimeOutURL: z.string().url(),
})
const RegisterSchema = z.object({ ShortCode: numOrStr, ResponseType: z.enum(['Completed', 'Cancelled']), ConfirmationURL: z.string().url(), ValidationURL: z.string().url() })
const C2bSimulateSchema = z.object({ ShortCode: numOrStr, CommandID: z.string(), Amount: numOrStr, Msisdn: numOrStr, BillRefNumber: z.string().default('') })

/** Registers the Daraja endpoints and the /__sim control endpoints. */
export async function simRoutes(app: FastifyInstance, opts: SimRouteOptions): Promise<void> {
  const { ledger, accounts } = opts
  const tokens = new Set<string>()
  const c2bUrls = new Map<string, { confirmationUrl: string; validationUrl: string }>()

  const authorised = (auth: string | undefined) => !!auth && auth.startsWith('Bearer ') && tokens.has(auth.slice(7))
  const passwordOk = (shortcode: string, password: string, ts: string) =>
    accounts.has(shortcode) && Buffer.from(`${shortcode}${accounts.get(shortcode)}${ts}`).toString('base64') === password

  app.get('/oauth/v1/generate', async (req, reply) => {
    const auth = req.headers.authorization ?? ''
    const creds = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : ''
    if (!/^[^:]+:.+$/.test(creds)) return fail(reply, 400, '400.008.01', 'Invalid Authentication passed')
    if ((req.query as Record<string, string>).grant_type !== 'client_credentials') return fail(reply, 400, '400.008.02', 'Invalid grant type passed')
    const token = randomBytes(14).toString('base64url')
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

  app.post('/mpesa/transactionstatus/v1/query', async (req, reply) => {
    if (!authorised(req.headers.authorization)) return fail(reply, 400, '400.003.01', 'Invalid Access Token')
    const body = StatusSchema.safeParse(req.body)
    if (!body.success) return fail(reply, 400, '400.003.02', 'Bad Request')
    const b = body.data
    const originator = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(8).toString('hex')}`
    const conversation = `AG_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(10).toString('hex')}`
    const r = ledger.receipts.get(b.TransactionID)
    // Daraja answers "not found" for receipts of other organisations as for unknown ones.
    const found = r && r.shortcode === b.PartyA
    const result = found
      ? { ResultType: 0, ResultCode: 0, ResultDesc: 'The service request is processed successfully.', OriginatorConversationID: originator,
          ConversationID: conversation, TransactionID: `${r.receipt.slice(0, 3)}0000000`,
          ResultParameters: { ResultParameter: [
            { Key: 'DebitPartyName', Value: `0${r.phone.slice(3)} - Simulated  Customer` },
            { Key: 'CreditPartyName', Value: `${r.shortcode} -  MNETIFI SIMULATED ISP` },
            { Key: 'OriginatorConversationID', Value: originator }, { Key: 'InitiatedTime', Value: Number(SimLedger.stamp(r.at)) },
            { Key: 'CreditPartyCharges' }, { Key: 'DebitAccountType', Value: 'MMF Account For Customer' }, { Key: 'TransactionReason' },
            { Key: 'ReasonType', Value: r.reasonType }, { Key: 'TransactionStatus', Value: 'Completed' },
            { Key: 'FinalisedTime', Value: Number(SimLedger.stamp(r.at)) }, { Key: 'Amount', Value: r.amount },
            { Key: 'ConversationID', Value: conversation }, { Key: 'ReceiptNo', Value: r.receipt },
          ] },
          ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: 'Query' } } }
      : { ResultType: 0, ResultCode: 2032, ResultDesc: 'The transaction could not be found.', OriginatorConversationID: originator,
          ConversationID: conversation, TransactionID: b.TransactionID }
    ledger.schedule(opts.statusResultDelayMs, () => { void deliver(ledger.deliveries, b.ResultURL, { Result: result }) })
    return { OriginatorConversationID: originator, ConversationID: conversation, ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.' }
  })

  app.post('/mpesa/c2b/v2/registerurl', async (req, reply) => {
    if (!authorised(req.headers.authorization)) return fail(reply, 400, '400.003.01', 'Invalid Access Token')
    const body = RegisterSchema.safeParse(req.body)
    if (!body.success) return fail(reply, 400, '400.003.02', 'Bad Request')
    c2bUrls.set(body.data.ShortCode, { confirmationUrl: body.data.ConfirmationURL, validationUrl: body.data.ValidationURL })
    return { OriginatorCoversationID: requestId(), ResponseCode: '0', ResponseDescription: 'Success' }
  })

  /** Runs a paybill payment: validation (if its answer rejects, no confirmation), then confirmation. */
  async function payBill(shortcode: string, phone: string, amount: number, billRef: string) {
    const urls = c2bUrls.get(shortcode)
    const transId = simReceiptNumber()
    const payload = {
      TransactionType: 'Pay Bill', TransID: transId, TransTime: SimLedger.stamp(Date.now()), TransAmount: `${amount}.00`, BusinessShortCode: shortcode,
      BillRefNumber: billRef, InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: `${phone.slice(0, 4)} ***** ${phone.slice(-3)}`,
      FirstName: 'SIMULATED', MiddleName: '', LastName: '',
    }
    if (urls) {
      const v = await fetch(urls.validationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) })
        .then((r) => r.json() as Promise<{ ResultCode?: unknown }>).catch(() => ({ ResultCode: '0' }))
      if (String(v.ResultCode) !== '0') return { accepted: false as const, receipt: undefined }
    }
    const r = ledger.recordC2b(shortcode, phone, amount, transId)
    if (urls) await deliver(ledger.deliveries, urls.confirmationUrl, { ...payload, OrgAccountBalance: '1250.00' })
    return { accepted: true as const, receipt: r.receipt }
  }

  app.post('/mpesa/c2b/v2/simulate', async (req, reply) => {
    if (!authorised(req.headers.authorization)) return fail(reply, 400, '400.003.01', 'Invalid Access Token')
    const body = C2bSimulateSchema.safeParse(req.body)
    if (!body.success) return fail(reply, 400, '400.003.02', 'Bad Request')
    const b = body.data
    void payBill(b.ShortCode, b.Msisdn, Number(b.Amount), b.BillRefNumber)
    return { OriginatorCoversationID: requestId(), ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.' }
  })

  // Control endpoints for the CLI and manual testing.
  app.put('/__sim/scenarios/phone/:phone', async (req) => {
    const scenario = SimScenarioSchema.parse(req.body)
    ledger.scenarios.setForPhone((req.params as { phone: string }).phone, scenario)
    return { ok: true }
  })
  app.post('/__sim/c2b/pay', async (req) => {
    const b = z.object({ shortcode: z.string(), phone: z.string(), amount: z.number().int().positive(), billRef: z.string().default('') }).parse(req.body)
    return payBill(b.shortcode, b.phone, b.amount, b.billRef)
  })
  app.get('/__sim/payments', async () => [...ledger.payments.values()])
  opts.exposePayBill?.(payBill)
}
