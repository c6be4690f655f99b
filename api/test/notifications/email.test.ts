/**
 * E-mail through a real SMTP server (smtp-server on a loopback port): the receipt of a completed payment with its
 * PDF (parsed back with pdf.js), retries on a 4xx without a duplicate, a permanent 5xx with the server's answer,
 * and MnetiFi's monthly invoice to each ISP, once per month.
 */
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { createLogger, lockTransactionById, updateNotificationSettings, type TenantRow } from '@mnetifi/db'
import { insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import type { NotificationsContext } from '../../src/notifications/context.js'
import { deliverNotification } from '../../src/notifications/deliver.service.js'
import { createSmtpTransport } from '../../src/notifications/email/smtp-transport.js'
import { invoiceNumberOf, writeInvoiceEmails } from '../../src/notifications/invoices.service.js'
import { issueInvoice } from '../../src/saas-billing/billing.service.js'
import { formatDate } from '../../src/notifications/format.js'
import { outboxOnlyTransport } from '../../src/notifications/transports/transport.js'
import { notificationsConfigOf } from '../../src/notifications/worker.js'
import { creditTransaction } from '../../src/payments/settlement/credit.js'
import { insertTestAdmin } from '../helper.js'
import { startNotificationsHarness, type NotificationsHarness } from './helper.js'

let h: NotificationsHarness
let ctx: NotificationsContext
let smtp: SMTPServer
let smtpTransport: ReturnType<typeof createSmtpTransport>
const received: ParsedMail[] = []
/** Failures the server answers RCPT TO with, one per message. */
const rcptFailures: { code: number; message: string }[] = []
let clock = new Date('2026-11-27T07:15:00Z')
let tenant: TenantRow

beforeAll(async () => {
  h = await startNotificationsHarness('notify_email', { worker: false })
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(_address, _session, cb) {
      const f = rcptFailures.shift()
      cb(f ? Object.assign(new Error(f.message), { responseCode: f.code }) : undefined)
    },
    onData(stream, _session, cb) { simpleParser(stream).then((m) => { received.push(m); cb() }, cb) },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  const port = (smtp.server.address() as AddressInfo).port
  const config = notificationsConfigOf({ REDIS_URL: '', JOBS_PREFIX: '', PUBLIC_BASE_URL: 'https://wifi.example', SMTP_HOST: '127.0.0.1', SMTP_PORT: port, SMTP_FROM: 'billing@mnetifi.example' })
  smtpTransport = createSmtpTransport(config)
  ctx = {
    db: h.t.tdb.db, secretBox: h.secretBox, log: createLogger({ level: 'silent' }), now: () => clock, config,
    transports: { SMS: outboxOnlyTransport, WHATSAPP: outboxOnlyTransport, EMAIL: smtpTransport }, queue: { enqueue: async () => {} },
  }
})
afterAll(async () => {
  smtpTransport?.close()
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))
  await h?.close()
})
beforeEach(async () => {
  received.length = 0
  tenant = await insertTestTenant(h.t.tdb.db, {
    name: 'Kilimani Net Ltd', timezone: 'Africa/Nairobi',
    branding_config: { name: 'Kilimani Net', primaryColor: '#1d4ed8', supportPhone: '0711 000 000', supportEmail: 'help@kilimani.example' },
  })
  await updateNotificationSettings(h.t.tdb.db, tenant.id, { email_from: 'receipts@kilimani.example' })
})

const STANDARD_FONTS = `${dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`

/** The text of every page of a PDF, lines joined by spaces. */
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false, verbosity: 0 }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    // pdf.js reports the gap between two columns as a text item of spaces: keep words only.
    pages.push(content.items.map((it) => ('str' in it ? it.str.trim() : '')).filter(Boolean).join(' '))
  }
  return pages.join('\n')
}

async function paidByCustomerWithEmail(receipt = `UKQ${randomUUID().replace(/-/g, '').slice(0, 7).toUpperCase()}`) {
  const plan = await insertTestPlan(h.t.tdb.db, tenant.id, { name: '1 Day Unlimited', price: 5000, duration_seconds: 86_400 })
  const user = await insertTestUser(h.t.tdb.db, tenant.id, { phone_number: '254708374149', email: 'wanjiku@example.com', expiry_time: new Date('2026-11-27T09:15:00Z') })
  const tx = await h.t.tdb.db.insertInto('transactions').values({
    tenant_id: tenant.id, kind: 'STK_PUSH', plan_id: plan.id, user_id: user.id, user_phone: '254708374149', amount: 5000,
    mpesa_receipt: receipt, checkout_request_id: `ws_CO_${randomUUID()}`, provider_log: '[]',
  }).returningAll().executeTakeFirstOrThrow()
  await h.t.tdb.db.transaction().execute(async (trx) => creditTransaction(trx, (await lockTransactionById(trx, tenant.id, tx.id))!, { now: clock, settledBy: 'CALLBACK' }))
  const row = await h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenant.id).where('channel', '=', 'EMAIL').executeTakeFirstOrThrow()
  return { tx, row }
}

describe('receipts', () => {
  it('e-mails the receipt of a completed payment with its PDF: branding, receipt number, M-Pesa code, plan, period, amount', async () => {
    const { tx, row } = await paidByCustomerWithEmail('UKQ7RT61SV')
    const number = `R-${tx.id.replace(/-/g, '').slice(0, 10).toUpperCase()}`
    expect(await deliverNotification(ctx, row.id)).toMatchObject({ kind: 'sent' })
    expect(received).toHaveLength(1)
    const mail = received[0]!
    expect(mail.subject).toBe(`Receipt ${number} - 1 Day Unlimited`)
    expect(mail.from?.value).toEqual([{ name: 'Kilimani Net', address: 'receipts@kilimani.example' }])
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ name: '', address: 'wanjiku@example.com' }])
    expect(mail.messageId).toBe(`<${row.id}@mnetifi>`)
    expect(mail.headers.get('x-mnetifi-event')).toBe(`payment-receipt:${tx.id}`)
    expect(mail.text?.trim()).toBe('Thank you for your payment of KES 50.00 (M-Pesa UKQ7RT61SV). Your receipt is attached.\n\nKilimani Net')
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`receipt-${number}.pdf`, 'application/pdf']])
    const text = await pdfText(mail.attachments[0]!.content)
    // The plan was still running until 12:15 Nairobi: the day bought starts then.
    expect(text).toBe([
      'Kilimani Net', 'Payment receipt', 'Receipt number', number, 'Date', '27 Nov 2026 10:15', 'Customer', '254708374149',
      'M-Pesa code', 'UKQ7RT61SV', 'Plan', '1 Day Unlimited', 'Period', '27 Nov 2026 12:15 to 28 Nov 2026 12:15', 'Amount paid', 'KES 50.00',
      'Help: 0711 000 000 · help@kilimani.example',
    ].join(' '))
    expect(await h.row(row.id)).toMatchObject({ status: 'SENT', provider: 'smtp', provider_message_id: `<${row.id}@mnetifi>`, attempts: 1 })
    // Sending again finds the row SENT: no second mail.
    expect(await deliverNotification(ctx, row.id)).toEqual({ kind: 'skipped', why: 'already SENT' })
    expect(received).toHaveLength(1)
  })

  it('retries a 4xx answer and delivers once; fails a 5xx with the server\'s answer', async () => {
    const { row } = await paidByCustomerWithEmail()
    rcptFailures.push({ code: 452, message: 'Mailbox full, try later' })
    const first = await deliverNotification(ctx, row.id)
    expect(first).toMatchObject({ kind: 'retry', reason: expect.stringContaining('452') })
    expect(await h.row(row.id)).toMatchObject({ status: 'QUEUED', attempts: 1, provider_status_code: 452 })
    expect(await deliverNotification(ctx, row.id)).toMatchObject({ kind: 'sent' })
    expect(received).toHaveLength(1)

    tenant = await insertTestTenant(h.t.tdb.db, { name: 'Other ISP' })
    const other = await paidByCustomerWithEmail()
    rcptFailures.push({ code: 550, message: 'No such user here' })
    expect(await deliverNotification(ctx, other.row.id)).toMatchObject({ kind: 'failed' })
    const failed = await h.row(other.row.id)
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, provider_status_code: 550 })
    expect(failed.last_error).toMatch(/^550 .*No such user here/)
    expect(received).toHaveLength(1)
  })
})

describe('monthly ISP invoices', () => {
  it('e-mails each invoice the SaaS billing issues once, with its PDF, to the owner or the billing address', async () => {
    await h.t.tdb.db.updateTable('tenants').set({ saas_monthly_fee: 250_000, saas_billing_day: 5, saas_grace_days: 7, saas_plan: 'standard' }).where('id', '=', tenant.id).execute()
    const billed = (await h.t.tdb.db.selectFrom('tenants').selectAll().where('id', '=', tenant.id).executeTakeFirstOrThrow())
    const owner = await insertTestAdmin(h.t, 'TENANT_OWNER', tenant.id, { email: `owner-${randomUUID().slice(0, 6)}@kilimani.example` })
    const mine = () => h.t.tdb.db.selectFrom('notification_outbox').selectAll().where('tenant_id', '=', tenant.id).where('event', '=', 'isp.invoice').orderBy('created_at').execute()
    clock = new Date('2026-12-05T06:00:00Z')
    const december = (await issueInvoice(h.t.tdb.db, billed, clock))!
    await writeInvoiceEmails(ctx)
    clock = new Date('2026-12-05T06:01:00Z')
    await writeInvoiceEmails(ctx)
    const rows = await mine()
    const number = invoiceNumberOf(december)
    expect(rows.map((r) => [r.dedupe_key, r.recipient, r.subject])).toEqual([[`isp-invoice:${december.id}`, owner.email, `MnetiFi invoice ${number} for 5 Dec 2026 - 4 Jan 2027`]])
    await updateNotificationSettings(h.t.tdb.db, tenant.id, { billing_email: 'accounts@kilimani.example' })
    clock = new Date('2027-01-05T06:00:00Z')
    const january = (await issueInvoice(h.t.tdb.db, billed, clock))!
    await writeInvoiceEmails(ctx)
    expect((await mine()).map((r) => [r.dedupe_key, r.recipient])).toEqual([[`isp-invoice:${december.id}`, owner.email], [`isp-invoice:${january.id}`, 'accounts@kilimani.example']])

    expect(await deliverNotification(ctx, rows[0]!.id)).toMatchObject({ kind: 'sent' })
    const mail = received.at(-1)!
    expect(mail.from?.value).toEqual([{ name: 'MnetiFi', address: 'billing@mnetifi.example' }])
    expect(mail.text?.trim()).toBe(`Dear Kilimani Net Ltd,\n\nYour MnetiFi invoice ${number} for 5 Dec 2026 - 4 Jan 2027 is attached: KES 2,500.00, due 12 Dec 2026.\n\nMnetiFi`)
    expect(mail.attachments[0]!.filename).toBe(`invoice-${number}.pdf`)
    expect(await pdfText(mail.attachments[0]!.content)).toBe([
      'MnetiFi', 'Invoice', 'Invoice number', number, 'Billed to', 'Kilimani Net Ltd', 'Period', '5 Dec 2026 - 4 Jan 2027', 'Issued', formatDate(december.created_at, 'Africa/Nairobi'),
      'Due', '12 Dec 2026', 'Description', 'MnetiFi standard plan, monthly fee', 'Amount due', 'KES 2,500.00',
    ].join(' '))
  })
})
