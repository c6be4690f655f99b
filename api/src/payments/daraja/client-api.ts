/** What a tenant's Daraja client offers (implemented by createDarajaClient in client.ts). */
import type { ProviderLogSink } from './http.js'
import type { StkPushResponse } from './schemas.js'

/** An STK push to send. */
export interface StkPushInput {
  /** 2547XXXXXXXX / 2541XXXXXXXX. */
  readonly phone: string
  /** Whole shillings, 1 … 250 000. */
  readonly amount: number
  readonly callbackUrl: string
  /** ≤ 12 characters, shown in the prompt. */
  readonly accountReference: string
  /** ≤ 13 characters. */
  readonly description: string
}

/** What an STK query says. */
export type StkQueryOutcome =
  | { readonly kind: 'final'; readonly resultCode: string; readonly resultDesc: string }
  | { readonly kind: 'pending' }

/** Client for one tenant's shortcode. */
export interface DarajaClient {
  /** Sends the prompt. Never retried automatically: a second accepted push is a second prompt (and debit). */
  stkPush(input: StkPushInput, log?: ProviderLogSink): Promise<StkPushResponse>
  /** Asks for the outcome of a push; "being processed" is `{ kind: 'pending' }`, not an error. */
  stkQuery(checkoutRequestId: string, log?: ProviderLogSink): Promise<StkQueryOutcome>
  /** Starts a Transaction Status look-up; the answer is POSTed to `resultUrl`. */
  transactionStatus(input: { receipt: string; resultUrl: string; timeoutUrl: string; remarks?: string }, log?: ProviderLogSink):
    Promise<{ originatorConversationId: string; conversationId: string }>
  /** Registers the C2B confirmation/validation URLs for the shortcode. */
  registerC2bUrls(input: { confirmationUrl: string; validationUrl: string; responseType: 'Completed' | 'Cancelled' }, log?: ProviderLogSink): Promise<unknown>
}

