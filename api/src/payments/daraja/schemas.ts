/**
 * zod schemas for every Daraja payload we receive (shared/docs/daraja-digest.md §1). They accept the variants seen
 * in the wild: numbers or numeric strings, ResultCode as number or (non-numeric) string, items in any order,
 * `Balance` without a Value. Codes are normalised to strings.
 */
import { z } from 'zod'

/** A value Daraja sends as a number in one place and a string in another; kept as a trimmed string. */
export const NumOrStrSchema = z.union([z.number(), z.string()]).transform((v) => String(v).trim())

/** `{"requestId","errorCode","errorMessage"}`: the error envelope of every Daraja API. */
export const DarajaErrorEnvelopeSchema = z.object({
  requestId: z.string().optional(),
  errorCode: z.string(),
  errorMessage: z.string().default(''),
})
export type DarajaErrorEnvelope = z.infer<typeof DarajaErrorEnvelopeSchema>

/** OAuth reply; `expires_in` is the string "3599" in practice, a number in the docs. */
export const OAuthResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).transform((v) => Number(v)).pipe(z.number().positive()),
})

/** Synchronous answer to an accepted STK push. `ResponseCode` "0" means accepted, not paid. */
export const StkPushResponseSchema = z.object({
  MerchantRequestID: z.string().min(1),
  CheckoutRequestID: z.string().min(1).max(64),
  ResponseCode: NumOrStrSchema,
  ResponseDescription: z.string().default(''),
  CustomerMessage: z.string().default(''),
})
export type StkPushResponse = z.infer<typeof StkPushResponseSchema>

/** STK query final answer (HTTP 200). Never carries the receipt, amount or phone. */
export const StkQueryResponseSchema = z.object({
  ResponseCode: NumOrStrSchema,
  ResponseDescription: z.string().default(''),
  MerchantRequestID: z.string().optional(),
  CheckoutRequestID: z.string(),
  ResultCode: NumOrStrSchema,
  ResultDesc: z.string().default(''),
})
export type StkQueryResponse = z.infer<typeof StkQueryResponseSchema>

const CallbackItemSchema = z.object({ Name: z.string(), Value: z.union([z.number(), z.string()]).optional() })

/** The STK callback body POSTed to our CallBackURL. */
export const StkCallbackSchema = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: z.string().min(1),
      CheckoutRequestID: z.string().min(1).max(64),
      ResultCode: NumOrStrSchema,
      ResultDesc: z.string().default(''),
      CallbackMetadata: z.object({ Item: z.array(CallbackItemSchema) }).optional(),
    }),
  }),
})
export type StkCallback = z.infer<typeof StkCallbackSchema>

/** What we take from a callback, items looked up by Name (order is not promised). */
export interface ParsedStkCallback {
  readonly merchantRequestId: string
  readonly checkoutRequestId: string
  readonly resultCode: string
  readonly resultDesc: string
  readonly receipt?: string
  /** Whole shillings as Daraja reports them (may be 1.00). */
  readonly amountMajor?: number
  readonly phone?: string
  /** yyyyMMddHHmmss, East Africa Time. */
  readonly transactionDate?: string
}

/** Flattens a validated callback into {@link ParsedStkCallback}. */
export function parseStkCallback(body: StkCallback): ParsedStkCallback {
  const cb = body.Body.stkCallback
  const items = new Map((cb.CallbackMetadata?.Item ?? []).map((i) => [i.Name, i.Value]))
  const receipt = items.get('MpesaReceiptNumber')
  const amount = items.get('Amount')
  const phone = items.get('PhoneNumber')
  const date = items.get('TransactionDate')
  return {
    merchantRequestId: cb.MerchantRequestID,
    checkoutRequestId: cb.CheckoutRequestID,
    resultCode: cb.ResultCode,
    resultDesc: cb.ResultDesc,
    ...(receipt !== undefined ? { receipt: String(receipt).trim().toUpperCase() } : {}),
    ...(amount !== undefined && Number.isFinite(Number(amount)) ? { amountMajor: Number(amount) } : {}),
    ...(phone !== undefined ? { phone: String(phone) } : {}),
    ...(date !== undefined ? { transactionDate: String(date) } : {}),
  }
}

/** Synchronous acknowledgement of a Transaction Status request. */
export const TransactionStatusAckSchema = z.object({
  OriginatorConversationID: z.string().min(1),
  ConversationID: z.string().default(''),
  ResponseCode: NumOrStrSchema,
  ResponseDescription: z.string().default(''),
})

const KeyValueSchema = z.object({ Key: z.string(), Value: z.union([z.number(), z.string()]).optional() })
const oneOrMany = <T extends z.ZodType>(s: T) => z.union([z.array(s), s]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[])

/** The asynchronous Transaction Status result POSTed to our ResultURL. */
export const TransactionStatusResultSchema = z.object({
  Result: z.object({
    ResultType: NumOrStrSchema.optional(),
    ResultCode: NumOrStrSchema,
    ResultDesc: z.string().default(''),
    OriginatorConversationID: z.string().min(1),
    ConversationID: z.string().optional(),
    TransactionID: z.string().optional(),
    ResultParameters: z.object({ ResultParameter: oneOrMany(KeyValueSchema) }).optional(),
    ReferenceData: z.unknown().optional(),
  }),
})
export type TransactionStatusResult = z.infer<typeof TransactionStatusResultSchema>

/** What a Transaction Status result says about a receipt. */
export interface ParsedTransactionStatus {
  readonly originatorConversationId: string
  readonly resultCode: string
  readonly resultDesc: string
  readonly receipt?: string
  readonly amountMajor?: number
  /** Completed / Cancelled / Declined / Expired / … */
  readonly transactionStatus?: string
  /** The shortcode that received the money (from "174379 -  MNETIFI DEMO ISP"). */
  readonly creditShortcode?: string
  /** The payer in 2547… form when DebitPartyName starts with a phone ("0708374149 - John  Doe"). */
  readonly debitPhone?: string
  readonly reasonType?: string
  /** yyyyMMddHHmmss EAT. */
  readonly initiatedTime?: string
}

/** Flattens a Transaction Status result; key names with spaces (older samples) are folded. */
export function parseTransactionStatusResult(body: TransactionStatusResult): ParsedTransactionStatus {
  const r = body.Result
  const params = new Map((r.ResultParameters?.ResultParameter ?? []).map((p) => [p.Key.replace(/\s+/g, ''), p.Value]))
  const str = (k: string) => { const v = params.get(k); return v === undefined ? undefined : String(v).trim() }
  const credit = str('CreditPartyName')
  const debit = str('DebitPartyName')
  const debitDigits = debit?.split('-')[0]?.trim()
  const amount = str('Amount')
  const out: Record<string, unknown> = {
    originatorConversationId: r.OriginatorConversationID, resultCode: r.ResultCode, resultDesc: r.ResultDesc,
  }
  if (str('ReceiptNo')) out.receipt = str('ReceiptNo')!.toUpperCase()
  if (amount !== undefined && Number.isFinite(Number(amount))) out.amountMajor = Number(amount)
  if (str('TransactionStatus')) out.transactionStatus = str('TransactionStatus')
  if (credit) out.creditShortcode = credit.split('-')[0]!.trim()
  if (debitDigits && /^(?:0|254)?[17]\d{8}$/.test(debitDigits)) out.debitPhone = `254${debitDigits.slice(-9)}`
  if (str('ReasonType')) out.reasonType = str('ReasonType')
  if (str('InitiatedTime')) out.initiatedTime = str('InitiatedTime')
  return out as unknown as ParsedTransactionStatus
}

/** C2B validation/confirmation body (register URL v1 or v2); every value a string. */
export const C2bPaymentSchema = z.object({
  TransactionType: z.string().default(''),
  TransID: z.string().min(1).max(32),
  TransTime: NumOrStrSchema,
  TransAmount: NumOrStrSchema.pipe(z.string().regex(/^\d+(\.\d{1,2})?$/)),
  BusinessShortCode: NumOrStrSchema,
  BillRefNumber: z.string().default(''),
  InvoiceNumber: z.string().optional(),
  OrgAccountBalance: NumOrStrSchema.optional(),
  ThirdPartyTransID: z.string().optional(),
  MSISDN: NumOrStrSchema,
  FirstName: z.string().optional(),
  MiddleName: z.string().optional(),
  LastName: z.string().optional(),
})
export type C2bPayment = z.infer<typeof C2bPaymentSchema>
