/**
 * The simulator's Transaction Status (asynchronous result to the ResultURL) and C2B endpoints (register URLs,
 * simulate a paybill payment: validation, then confirmation), digest §1.8–§1.9.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { SimLedger, deliver, simReceiptNumber } from './ledger.js'

/** Runs a C2B paybill payment through validation and confirmation. */
export type SimPayBill = (shortcode: string, phone: string, amount: number, billRef: string) =>
  Promise<{ accepted: boolean; receipt: string | undefined }>

/** What these routes need from the main simulator plugin. */
export interface SimStatusAndC2bOptions {
  readonly ledger: SimLedger
  readonly authorised: (authorization: string | undefined) => boolean
  /** Receives the paybill function so the in-process handle can run C2B payments. */
  readonly exposePayBill?: (fn: SimPayBill) => void
  /** Delay before a Transaction Status result is POSTed, in ms. @defaultValue 50 */
  readonly statusResultDelayMs?: number
}

const numOrStr = z.union([z.number(), z.string()]).transform((v) => String(v))
const requestId = () => `${randomBytes(2).toString('hex')}-${randomBytes(3).toString('hex')}-1`
function fail(reply: FastifyReply, http: number, errorCode: string, errorMessage: string) {
  return reply.code(http).send({ requestId: requestId(), errorCode, errorMessage })
}
const StatusSchema = z.object({
  Initiator: z.string().min(1), SecurityCredential: z.string().min(1), CommandID: z.literal('TransactionStatusQuery'),
  TransactionID: z.string(), PartyA: numOrStr, IdentifierType: numOrStr, ResultURL: z.string().url(), QueueTimeOutURL: z.string().url(),
})
const RegisterSchema = z.object({ ShortCode: numOrStr, ResponseType: z.enum(['Completed', 'Cancelled']), ConfirmationURL: z.string().url(), ValidationURL: z.string().url() })
const C2bSimulateSchema = z.object({ ShortCode: numOrStr, CommandID: z.string(), Amount: numOrStr, Msisdn: numOrStr, BillRefNumber: z.string().default('') })

/** Registers Transaction Status and C2B endpoints plus /__sim/c2b/pay. */
export async function simStatusAndC2bRoutes(app: FastifyInstance, opts: SimStatusAndC2bOptions): Promise<void> {
  const { ledger } = opts
  const authorised = opts.authorised
  const c2bUrls = new Map<string, { confirmationUrl: string; validationUrl: string }>()

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
    ledger.schedule(opts.statusResultDelayMs ?? 50, () => { void deliver(ledger.deliveries, b.ResultURL, { Result: result }) })
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

  app.post('/__sim/c2b/pay', async (req) => {
    const b = z.object({ shortcode: z.string(), phone: z.string(), amount: z.number().int().positive(), billRef: z.string().default('') }).parse(req.body)
    return payBill(b.shortcode, b.phone, b.amount, b.billRef)
  })
  opts.exposePayBill?.(payBill)
}
