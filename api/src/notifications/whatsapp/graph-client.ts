/**
 * Sending through the WhatsApp Business Cloud API (digest §3.1): POST {graph}/{version}/{phone number id}/messages
 * with the tenant's system-user token. Template messages for notifications (allowed outside the 24-hour window),
 * text for the bot's answers (the customer's message just opened the window).
 */
import { z } from 'zod'

/** A message body as the Graph API takes it. */
export type GraphMessage =
  | {
    readonly messaging_product: 'whatsapp'; readonly recipient_type: 'individual'; readonly to: string; readonly type: 'template'
    readonly template: { readonly name: string; readonly language: { readonly code: string }; readonly components: readonly { readonly type: 'body'; readonly parameters: readonly { readonly type: 'text'; readonly text: string }[] }[] }
  }
  | {
    readonly messaging_product: 'whatsapp'; readonly recipient_type: 'individual'; readonly to: string; readonly type: 'text'
    readonly text: { readonly preview_url: false; readonly body: string }; readonly context?: { readonly message_id: string }
  }

const SendResponseSchema = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) })
const ErrorSchema = z.object({ error: z.object({ message: z.string(), code: z.number().int(), error_data: z.object({ details: z.string().optional() }).optional() }) })

/** What one send produced. */
export type GraphResult =
  | { readonly kind: 'sent'; readonly messageId: string }
  | { readonly kind: 'error'; readonly status: number; readonly code: number | undefined; readonly message: string }
  | { readonly kind: 'network-error'; readonly message: string }

/** Sends one message. Never throws for provider trouble. */
export async function sendGraphMessage(
  base: { url: string; version: string }, account: { phoneNumberId: string; accessToken: string }, message: GraphMessage, opts: { timeoutMs: number },
): Promise<GraphResult> {
  let res: Response
  try {
    res = await fetch(`${base.url.replace(/\/+$/, '')}/${base.version}/${account.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${account.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(opts.timeoutMs),
    })
  } catch (err) {
    return { kind: 'network-error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
  }
  const text = await res.text().catch(() => '')
  let json: unknown
  try { json = JSON.parse(text) } catch { json = undefined }
  if (res.ok) {
    const ok = SendResponseSchema.safeParse(json)
    return ok.success ? { kind: 'sent', messageId: ok.data.messages[0]!.id } : { kind: 'error', status: res.status, code: undefined, message: `unexpected body: ${text.slice(0, 200)}` }
  }
  const err = ErrorSchema.safeParse(json)
  return err.success
    ? { kind: 'error', status: res.status, code: err.data.error.code, message: err.data.error.error_data?.details ?? err.data.error.message }
    : { kind: 'error', status: res.status, code: undefined, message: text.slice(0, 200) }
}

/**
 * Graph error codes worth another try later (digest §3.1): throughput and per-user pacing limits. Any 5xx too.
 * Everything else (190 expired token, 132000 parameter mismatch, 132001 unknown template, 131026 undeliverable…)
 * is the ISP's configuration or the recipient and fails the message.
 */
export const TRANSIENT_GRAPH_CODES: ReadonlySet<number> = new Set([130429, 131056, 131000, 2])
