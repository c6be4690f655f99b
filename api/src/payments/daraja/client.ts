/**
 * The Daraja client for one tenant: OAuth, STK push, STK query, Transaction Status and C2B URL registration.
 * Built per use from decrypted credentials ({@link ./tenant-client.ts}); holds no state but the shared token cache.
 */
import type { MpesaCredentials } from '@mnetifi/db'
import { DarajaError } from './errors.js'
import { assertCallbackUrlAllowed } from './callback-url.js'
import type { DarajaClient } from './client-api.js'
import { darajaRequest, type ProviderLogSink, type RetryPolicy } from './http.js'

export { assertCallbackUrlAllowed } from './callback-url.js'
export type { DarajaClient, StkPushInput, StkQueryOutcome } from './client-api.js'
import type { DarajaTokenCache } from './oauth.js'
import {
  OAuthResponseSchema, StkPushResponseSchema, StkQueryResponseSchema, TransactionStatusAckSchema,
} from './schemas.js'
import { darajaTimestamp, stkPassword } from './timestamp.js'

/** Options of {@link createDarajaClient}. */
export interface DarajaClientOptions {
  readonly baseUrl: string
  /** Paybill, or the store/HO number for tills. */
  readonly shortcode: string
  readonly transactionType: 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline'
  readonly credentials: MpesaCredentials
  readonly tokenCache: DarajaTokenCache
  /** Per-attempt timeout in ms. @defaultValue 10000 */
  readonly timeoutMs?: number
  /** Retries for OAuth and queries (never the push). @defaultValue { attempts: 3, baseMs: 300 } */
  readonly retry?: RetryPolicy
  /** Production requires https callback URLs. @defaultValue false */
  readonly requireHttps?: boolean
}

/** Creates a {@link DarajaClient}. */
export function createDarajaClient(options: DarajaClientOptions): DarajaClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const retry = options.retry ?? { attempts: 3, baseMs: 300 }
  const { consumerKey, consumerSecret, passkey } = options.credentials
  const cacheKey = `${base}|${consumerKey}`

  const fetchToken = async () => {
    const basic = Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')
    const reply = await darajaRequest({
      kind: 'oauth', method: 'GET', url: `${base}/oauth/v1/generate?grant_type=client_credentials`,
      headers: { Authorization: `Basic ${basic}` }, timeoutMs, retry,
    })
    const parsed = OAuthResponseSchema.safeParse(reply.json)
    if (!parsed.success) throw new DarajaError('malformed', `Daraja OAuth reply did not validate: ${parsed.error.message}`)
    return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in }
  }

  /** POSTs with a bearer token; on "Invalid Access Token" refreshes once and retries once. */
  async function post(kind: string, path: string, body: unknown, log: ProviderLogSink | undefined, idempotent: boolean) {
    let token = await options.tokenCache.get(cacheKey, fetchToken)
    for (let refreshed = false; ; refreshed = true) {
      try {
        return await darajaRequest({
          kind, method: 'POST', url: `${base}${path}`, headers: { Authorization: `Bearer ${token}` }, body, timeoutMs,
          ...(idempotent ? { retry } : {}), ...(log ? { log } : {}),
        })
      } catch (err) {
        // A rejected token means the push was not accepted, so one retry is safe even for processrequest.
        if (!(err instanceof DarajaError) || err.kind !== 'invalid_token' || refreshed) throw err
        token = await options.tokenCache.get(cacheKey, fetchToken, token)
      }
    }
  }

  return {
    async stkPush(input, log) {
      if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > 250_000) {
        throw new DarajaError('rejected', `amount ${input.amount} must be whole shillings between 1 and 250000`)
      }
      assertCallbackUrlAllowed(input.callbackUrl, options.requireHttps ?? false)
      const timestamp = darajaTimestamp()
      const partyB = options.transactionType === 'CustomerBuyGoodsOnline' ? options.credentials.tillNumber ?? options.shortcode : options.shortcode
      const body = {
        BusinessShortCode: options.shortcode, Password: stkPassword(options.shortcode, passkey, timestamp), Timestamp: timestamp,
        TransactionType: options.transactionType, Amount: String(input.amount), PartyA: input.phone, PartyB: partyB,
        PhoneNumber: input.phone, CallBackURL: input.callbackUrl,
        AccountReference: input.accountReference.slice(0, 12), TransactionDesc: input.description.slice(0, 13),
      }
      const reply = await post('stk.push', '/mpesa/stkpush/v1/processrequest', body, log, false)
      const parsed = StkPushResponseSchema.safeParse(reply.json)
      if (!parsed.success) {
        // The push may have been accepted: we cannot know the CheckoutRequestID, so this is not retryable.
        throw new DarajaError('unknown_outcome', `STK push reply did not validate: ${parsed.error.message}`)
      }
      if (parsed.data.ResponseCode !== '0') {
        throw new DarajaError('rejected', `STK push not accepted: ${parsed.data.ResponseCode} ${parsed.data.ResponseDescription}`)
      }
      return parsed.data
    },

    async stkQuery(checkoutRequestId, log) {
      const timestamp = darajaTimestamp()
      const body = {
        BusinessShortCode: options.shortcode, Password: stkPassword(options.shortcode, passkey, timestamp), Timestamp: timestamp,
        CheckoutRequestID: checkoutRequestId,
      }
      try {
        const reply = await post('stk.query', '/mpesa/stkpushquery/v1/query', body, log, true)
        const parsed = StkQueryResponseSchema.safeParse(reply.json)
        if (!parsed.success) throw new DarajaError('malformed', `STK query reply did not validate: ${parsed.error.message}`)
        return { kind: 'final', resultCode: parsed.data.ResultCode, resultDesc: parsed.data.ResultDesc }
      } catch (err) {
        if (err instanceof DarajaError && err.kind === 'pending') return { kind: 'pending' }
        throw err
      }
    },

    async transactionStatus(input, log) {
      const { initiatorName, securityCredential } = options.credentials
      if (!initiatorName || !securityCredential) {
        throw new DarajaError('rejected', 'Transaction Status needs an initiator name and security credential in the tenant\'s M-Pesa settings')
      }
      assertCallbackUrlAllowed(input.resultUrl, options.requireHttps ?? false)
      const body = {
        Initiator: initiatorName, SecurityCredential: securityCredential, CommandID: 'TransactionStatusQuery',
        TransactionID: input.receipt, OriginalConversationID: '', PartyA: options.shortcode, IdentifierType: '4',
        ResultURL: input.resultUrl, QueueTimeOutURL: input.timeoutUrl, Remarks: input.remarks ?? 'receipt check', Occasion: 'receipt',
      }
      // Not retried: a repeated request is harmless but would produce a second asynchronous result.
      const reply = await post('transaction-status', '/mpesa/transactionstatus/v1/query', body, log, false)
      const parsed = TransactionStatusAckSchema.safeParse(reply.json)
      if (!parsed.success) throw new DarajaError('malformed', `Transaction Status ack did not validate: ${parsed.error.message}`)
      if (parsed.data.ResponseCode !== '0') throw new DarajaError('rejected', `Transaction Status refused: ${parsed.data.ResponseDescription}`)
      return { originatorConversationId: parsed.data.OriginatorConversationID, conversationId: parsed.data.ConversationID }
    },

    async registerC2bUrls(input, log) {
      assertCallbackUrlAllowed(input.confirmationUrl, options.requireHttps ?? false)
      assertCallbackUrlAllowed(input.validationUrl, options.requireHttps ?? false)
      const body = { ShortCode: options.shortcode, ResponseType: input.responseType, ConfirmationURL: input.confirmationUrl, ValidationURL: input.validationUrl }
      return (await post('c2b.register', '/mpesa/c2b/v2/registerurl', body, log, false)).json
    },
  }
}
