/**
 * A local stand-in for Africa's Talking's SMS API, for tests and development (the SDK cannot be pointed at it,
 * digest §0.19). It answers POST /version1/messaging like AT does (digest §2.1: apiKey header, form fields,
 * HTTP 201 with one status per recipient, "KES 0.8000" costs), records every request exactly as received, can
 * fail on purpose (HTTP 5xx, a per-recipient status code, or a dropped connection), and posts delivery reports
 * (§2.2) to a callback URL.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the emulator received it. */
export interface RecordedSmsRequest {
  readonly method: string
  readonly path: string
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly form: Readonly<Record<string, string>>
}

/** A failure to inject into the next request(s). */
export type SmsFailure =
  | { readonly kind: 'http'; readonly status: number; readonly body?: string }
  | { readonly kind: 'recipient'; readonly statusCode: number; readonly status: string }
  /** Close the connection without answering (a network error for the client). */
  | { readonly kind: 'drop' }
  /** Hold the request for `ms`, then handle it as usual (a slow gateway: the message is still sent). */
  | { readonly kind: 'stall'; readonly ms: number }

/** A message the emulator accepted. */
export interface AcceptedSms {
  readonly messageId: string
  readonly username: string
  readonly to: string
  readonly message: string
  readonly from: string | undefined
}

export interface AfricasTalkingEmulator {
  readonly url: string
  readonly requests: RecordedSmsRequest[]
  readonly accepted: AcceptedSms[]
  /** Accounts the emulator knows: username → API key. */
  addAccount(username: string, apiKey: string): void
  /** The next `times` requests fail with `failure`. */
  failNext(failure: SmsFailure, times?: number): void
  /** Price per message reported in `cost`. @defaultValue 'KES 0.8000' */
  setCost(cost: string): void
  /** Posts a delivery report for `messageId` to `callbackUrl`, as AT would (form-encoded); returns the HTTP status. */
  sendDeliveryReport(callbackUrl: string, report: { id: string; status: string; phoneNumber: string; failureReason?: string; networkCode?: string }): Promise<number>
  close(): Promise<void>
}

const FIELDS_REQUIRED = ['username', 'to', 'message'] as const

/**
 * Starts the emulator on 127.0.0.1 (`port` 0 picks a free one). `acceptAnyAccount` (development) takes any
 * username/API key pair instead of only those added with addAccount.
 */
export async function startAfricasTalkingEmulator(opts: { port?: number; acceptAnyAccount?: boolean } = {}): Promise<AfricasTalkingEmulator> {
  const accounts = new Map<string, string>()
  const requests: RecordedSmsRequest[] = []
  const accepted: AcceptedSms[] = []
  const failures: SmsFailure[] = []
  let cost = 'KES 0.8000'
  let seq = 0

  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
      const form = Object.fromEntries(new URLSearchParams(body))
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body, form })
      const reply = (status: number, payload: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type })
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload))
      }
      if (req.method !== 'POST' || req.url !== '/version1/messaging') return reply(404, 'Not Found', 'text/plain')
      let failure = failures.shift()
      if (failure?.kind === 'stall') {
        const { ms } = failure
        await new Promise((r) => setTimeout(r, ms))
        failure = undefined
      }
      if (failure?.kind === 'drop') return req.socket.destroy()
      if (failure?.kind === 'http') return reply(failure.status, failure.body ?? 'Internal Server Error', 'text/plain')
      // AT answers auth and validation problems with plain text and a 4xx.
      if (headers['content-type'] !== 'application/x-www-form-urlencoded') return reply(415, 'Unsupported content type', 'text/plain')
      const missing = FIELDS_REQUIRED.filter((f) => !form[f])
      if (missing.length) return reply(400, `Missing ${missing.join(', ')}`, 'text/plain')
      const known = opts.acceptAnyAccount ? !!headers.apikey : accounts.get(form.username!) === headers.apikey
      if (!known) return reply(401, 'The supplied authentication is invalid', 'text/plain')
      const numbers = form.to!.split(',').map((n) => n.trim())
      const recipients = numbers.map((number) => {
        if (failure?.kind === 'recipient') return { statusCode: failure.statusCode, number, status: failure.status, cost: '0', messageId: 'None' }
        if (!/^\+\d{10,15}$/.test(number)) return { statusCode: 403, number, status: 'InvalidPhoneNumber', cost: '0', messageId: 'None' }
        const messageId = `ATXid_${(++seq).toString(16).padStart(8, '0')}`
        accepted.push({ messageId, username: form.username!, to: number, message: form.message!, from: form.from })
        return { statusCode: 101, number, status: 'Success', cost, messageId }
      })
      const sent = recipients.filter((r) => r.statusCode === 101).length
      return reply(201, { SMSMessageData: { Message: `Sent to ${sent}/${numbers.length} Total Cost: ${sent ? cost : 'KES 0'}`, Recipients: recipients } })
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    addAccount: (username, apiKey) => { accounts.set(username, apiKey) },
    failNext: (failure, times = 1) => { for (let i = 0; i < times; i++) failures.push(failure) },
    setCost: (c) => { cost = c },
    async sendDeliveryReport(callbackUrl, report) {
      const form = new URLSearchParams({ id: report.id, status: report.status, phoneNumber: report.phoneNumber, networkCode: report.networkCode ?? '63902' })
      if (report.failureReason) form.set('failureReason', report.failureReason)
      const res = await fetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
      await res.arrayBuffer()
      return res.status
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
