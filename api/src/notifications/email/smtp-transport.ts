/**
 * The e-mail channel over SMTP with nodemailer (digest §4): the receipt PDF or the invoice PDF is drawn when the
 * message is sent (from the rows it names, so nothing large sits in the outbox), attached as a Buffer, and the
 * Message-ID is derived from the outbox row so a receiving system can drop a duplicate. SMTP 4xx and connection
 * errors are retried; 5xx, authentication and envelope errors fail the message with the server's answer.
 */
import nodemailer, { type Transporter } from 'nodemailer'
import { formatMoney } from '@mnetifi/db/domain'
import { findTransactionById, type NotificationOutboxRow } from '@mnetifi/db'
import type { NotificationsConfig } from '../config.js'
import { formatDateTime } from '../format.js'
import type { ChannelTransport, SendContext, SendOutcome } from '../transports/transport.js'
import { renderInvoicePdf, renderReceiptPdf } from './pdf.js'

export const SMTP = 'smtp'

type SmtpConfig = Pick<NotificationsConfig, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_USER' | 'SMTP_PASS' | 'SMTP_FROM' | 'NOTIFY_PROVIDER_TIMEOUT_MS'>

/** Codes nodemailer gives errors that a later try may not meet (digest §4.2). */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET'])

/** The SMTP transport; `close()` ends its pooled connections. */
export function createSmtpTransport(config: SmtpConfig): ChannelTransport & { close(): void } {
  const transporter: Transporter = nodemailer.createTransport({
    host: config.SMTP_HOST, port: config.SMTP_PORT,
    secure: config.SMTP_PORT === 465,
    // On the submission port refuse to send in clear text.
    requireTLS: config.SMTP_PORT === 587,
    ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASS ?? '' } } : {}),
    connectionTimeout: config.NOTIFY_PROVIDER_TIMEOUT_MS, greetingTimeout: config.NOTIFY_PROVIDER_TIMEOUT_MS, socketTimeout: config.NOTIFY_PROVIDER_TIMEOUT_MS,
  })
  return {
    async send(row, ctx): Promise<SendOutcome> {
      let attachment: { filename: string; content: Buffer } | undefined
      try {
        attachment = await attachmentFor(row, ctx)
      } catch (err) {
        return { kind: 'failed', provider: SMTP, reason: `could not build the attachment: ${err instanceof Error ? err.message : String(err)}` }
      }
      const ispName = ctx.tenant.branding_config.name ?? ctx.tenant.name
      // MnetiFi's own mail to the ISP (invoices, router alerts) comes from MnetiFi, not from the ISP's address.
      const fromMnetiFi = row.event === 'isp.invoice' || row.event === 'router.silent'
      const fromAddress = fromMnetiFi ? config.SMTP_FROM : (ctx.settings?.email_from ?? config.SMTP_FROM)
      try {
        const info = await transporter.sendMail({
          from: { name: fromMnetiFi ? 'MnetiFi' : ispName, address: fromAddress },
          to: row.recipient,
          subject: row.subject ?? '',
          text: row.body,
          messageId: `<${row.id}@mnetifi>`,
          headers: { 'X-MnetiFi-Event': row.dedupe_key },
          ...(attachment ? { attachments: [{ ...attachment, contentType: 'application/pdf' }] } : {}),
        })
        return { kind: 'sent', provider: SMTP, providerMessageId: info.messageId, status: String(info.response).slice(0, 200) }
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; response?: string; message?: string }
        const reason = e.response ?? e.message ?? String(err)
        const transient = (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500) || (e.responseCode === undefined && TRANSIENT_CODES.has(e.code ?? ''))
        return { kind: transient ? 'retry' : 'failed', provider: SMTP, reason, ...(e.responseCode ? { statusCode: e.responseCode } : {}) }
      }
    },
    close: () => transporter.close(),
  }
}

/** The PDF an e-mail event carries. */
async function attachmentFor(row: NotificationOutboxRow, { db, tenant }: SendContext): Promise<{ filename: string; content: Buffer } | undefined> {
  const p = row.payload as Record<string, string | undefined>
  if (row.event === 'payment.receipt') {
    const tx = await findTransactionById(db, row.tenant_id, p.transactionId ?? '')
    if (!tx) throw new Error(`transaction ${p.transactionId} not found`)
    const b = tenant.branding_config
    const content = await renderReceiptPdf({
      ispName: b.name ?? tenant.name, accentColor: b.primaryColor, supportPhone: b.supportPhone, supportEmail: b.supportEmail,
      receiptNumber: p.receiptNumber ?? '', issuedAt: formatDateTime(tx.credited_at ?? tx.created_at, tenant.timezone), customer: tx.user_phone,
      mpesaReceipt: tx.mpesa_receipt ?? 'pending', plan: p.plan ?? '', periodStart: p.periodStart ?? '', periodEnd: p.periodEnd ?? '',
      amount: formatMoney(tx.amount, tx.currency),
    })
    return { filename: `receipt-${p.receiptNumber}.pdf`, content }
  }
  if (row.event === 'isp.invoice') {
    const content = await renderInvoicePdf({
      invoiceNumber: p.invoiceNumber ?? '', ispName: p.isp ?? tenant.name, period: p.period ?? '', issuedAt: p.issuedAt ?? '',
      dueDate: p.dueDate ?? '', description: p.description ?? '', amount: p.amount ?? '',
    })
    return { filename: `invoice-${p.invoiceNumber}.pdf`, content }
  }
  return undefined
}
