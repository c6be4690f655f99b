/**
 * Africa's Talking bulk SMS over its HTTP API (digest §2.1) with a configurable base URL — the official SDK
 * hard-codes its hosts, so it could not be pointed at the test emulator (digest §0.19).
 *
 * POST {base}/version1/messaging, form fields username, to (E.164 with '+'), message, from (sender ID, optional);
 * headers apiKey, Accept: application/json. Success is HTTP 201 with a status per recipient.
 */
import { z } from 'zod'

/** One tenant's Africa's Talking account. */
export interface AfricasTalkingAccount {
  readonly username: string
  readonly apiKey: string
  /** Approved alphanumeric sender ID or short code; omitted → AT's default sender. */
  readonly senderId?: string | null
}

const RecipientSchema = z.object({
  statusCode: z.coerce.number().int(),
  number: z.string(),
  status: z.string(),
  cost: z.string(),
  messageId: z.string(),
})
/** The 201 body. */
export const SendResponseSchema = z.object({
  SMSMessageData: z.object({ Message: z.string(), Recipients: z.array(RecipientSchema) }),
})
export type AfricasTalkingRecipient = z.infer<typeof RecipientSchema>

/** What one send produced. */
export type AfricasTalkingResult =
  | { readonly kind: 'answered'; readonly recipients: readonly AfricasTalkingRecipient[] }
  /** Non-201 status, with the body (AT answers plain text for auth and validation errors). */
  | { readonly kind: 'http-error'; readonly status: number; readonly body: string }
  /** Connection refused, reset, or timed out: we do not know whether AT got it. */
  | { readonly kind: 'network-error'; readonly message: string }

/** Per-recipient codes that mean "accepted" (100 Processed, 101 Sent, 102 Queued). */
export const ACCEPTED_STATUS_CODES: ReadonlySet<number> = new Set([100, 101, 102])
/** Per-recipient codes worth retrying (500 InternalServerError, 501 GatewayError); every other is permanent. */
export const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([500, 501])

/** Sends `message` to one phone (2547… form) through `account`. Never throws for provider trouble. */
export async function sendAfricasTalkingSms(
  baseUrl: string, account: AfricasTalkingAccount, input: { phone: string; message: string }, opts: { timeoutMs: number },
): Promise<AfricasTalkingResult> {
  const form = new URLSearchParams({ username: account.username, to: `+${input.phone}`, message: input.message })
  if (account.senderId) form.set('from', account.senderId)
  let res: Response
  try {
    res = await fetch(`${baseUrl.replace(/\/+$/, '')}/version1/messaging`, {
      method: 'POST',
      headers: { apiKey: account.apiKey, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs),
    })
  } catch (err) {
    return { kind: 'network-error', message: err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err) }
  }
  const text = await res.text().catch(() => '')
  if (res.status !== 201) return { kind: 'http-error', status: res.status, body: text.slice(0, 500) }
  const parsed = SendResponseSchema.safeParse(safeJson(text))
  if (!parsed.success) return { kind: 'http-error', status: res.status, body: `unexpected body: ${text.slice(0, 300)}` }
  return { kind: 'answered', recipients: parsed.data.SMSMessageData.Recipients }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** "KES 0.8000" → { currency: 'KES', e4: 8000 }; "0" or garbage → undefined (a rejected recipient costs nothing). */
export function parseAfricasTalkingCost(cost: string): { currency: string; e4: number } | undefined {
  const m = /^([A-Z]{3})\s+(\d+)(?:\.(\d{1,4}))?$/.exec(cost.trim())
  if (!m) return undefined
  return { currency: m[1]!, e4: Number(m[2]) * 10_000 + Number((m[3] ?? '').padEnd(4, '0')) }
}
