/**
 * A local stand-in for the WhatsApp Cloud API (Meta's Graph API) for tests and development: it answers
 * POST /{version}/{phone number id}/messages like Graph does (digest §3.1: Bearer token, the success body with a
 * wamid, the error envelope with Meta's codes), knows which templates are approved in which language with how
 * many body parameters (132001 / 132000 otherwise), records every request as received, can fail on purpose, and
 * delivers signed webhooks (inbound messages, status updates) to a URL like Meta does (§3.3, §3.4).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { metaSignature } from './signature.js'

/** One request as received. */
export interface RecordedGraphRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** A failure for the next request(s): an HTTP status with a Graph error code. */
export interface GraphFailure {
  readonly status: number
  readonly code: number
  readonly message: string
}

export interface GraphEmulator {
  readonly url: string
  readonly requests: RecordedGraphRequest[]
  /** Numbers the emulator serves: phone number id → access token. */
  addNumber(phoneNumberId: string, accessToken: string): void
  /** An approved template translation with its number of body parameters. */
  approveTemplate(name: string, language: string, bodyParameters: number): void
  failNext(failure: GraphFailure, times?: number): void
  /** POSTs a webhook delivery to `url`, signed with `appSecret` (or with `signature` as given). Returns the HTTP status and body. */
  deliverWebhook(url: string, appSecret: string, payload: unknown, opts?: { signature?: string | null; rawBody?: string }): Promise<{ status: number; body: string }>
  close(): Promise<void>
}

/**
 * Starts the emulator on 127.0.0.1. `permissive` (development) takes any bearer token for any number and any
 * template instead of only those added with addNumber / approveTemplate.
 */
export async function startGraphEmulator(opts: { port?: number; permissive?: boolean } = {}): Promise<GraphEmulator> {
  const numbers = new Map<string, string>()
  const templates = new Map<string, number>()
  const requests: RecordedGraphRequest[] = []
  const failures: GraphFailure[] = []
  let seq = 0
  const graphError = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: message }, fbtrace_id: 'AbCdEf' } })

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      let body: unknown
      try { body = JSON.parse(raw) } catch { body = raw }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body })
      const reply = (status: number, payload: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(payload)) }
      const m = /^\/(v\d+\.\d+)\/(\d+)\/messages$/.exec(req.url ?? '')
      if (req.method !== 'POST' || !m) return reply(404, graphError(803, 'Unknown path'))
      const failure = failures.shift()
      if (failure) return reply(failure.status, graphError(failure.code, failure.message))
      const token = numbers.get(m[2]!)
      const authorised = opts.permissive ? /^Bearer .+/.test(headers.authorization ?? '') : !!token && headers.authorization === `Bearer ${token}`
      if (!authorised) return reply(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'))
      const msg = body as { messaging_product?: string; to?: string; type?: string; template?: { name: string; language: { code: string }; components?: { type: string; parameters: unknown[] }[] } }
      if (msg.messaging_product !== 'whatsapp' || !msg.to || !/^\d{8,15}$/.test(msg.to)) return reply(400, graphError(100, 'Invalid parameter'))
      if (msg.type === 'template' && !opts.permissive) {
        const expected = templates.get(`${msg.template?.name}/${msg.template?.language.code}`)
        if (expected === undefined) return reply(404, graphError(132001, `Template name does not exist in the translation`))
        const given = msg.template?.components?.find((c) => c.type === 'body')?.parameters.length ?? 0
        if (given !== expected) return reply(400, graphError(132000, `Number of parameters does not match the expected number of params (${given} vs ${expected})`))
      }
      return reply(200, { messaging_product: 'whatsapp', contacts: [{ input: msg.to, wa_id: msg.to }], messages: [{ id: `wamid.EMU${(++seq).toString().padStart(6, '0')}` }] })
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addNumber: (id, token) => { numbers.set(id, token) },
    approveTemplate: (name, language, n) => { templates.set(`${name}/${language}`, n) },
    failNext: (f, times = 1) => { for (let i = 0; i < times; i++) failures.push(f) },
    async deliverWebhook(url, appSecret, payload, o = {}) {
      const raw = o.rawBody ?? JSON.stringify(payload)
      const signature = o.signature === undefined ? metaSignature(raw, appSecret) : o.signature
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw })
      return { status: res.status, body: await res.text() }
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** An inbound text message as Meta delivers it (digest §3.3). */
export function inboundTextWebhook(phoneNumberId: string, from: string, text: string, id: string): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA-1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '254711000000', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: 'Customer' }, wa_id: from }],
      messages: [{ from, id, timestamp: '1795677322', type: 'text', text: { body: text } }],
    } }] }],
  }
}

/** A status update as Meta delivers it. */
export function statusWebhook(phoneNumberId: string, messageId: string, status: string, errors?: { code: number; title: string }[]): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA-1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '254711000000', phone_number_id: phoneNumberId },
      statuses: [{ id: messageId, status, timestamp: '1795677400', recipient_id: '254708374149', ...(errors ? { errors } : {}) }],
    } }] }],
  }
}
