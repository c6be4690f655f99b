/**
 * The two PDFs e-mail carries, drawn with pdfkit: a customer's payment receipt (tenant branding, receipt number,
 * M-Pesa code, plan, period, amount) and MnetiFi's monthly invoice to an ISP. Standard fonts only, so nothing is
 * read from disk or the network; dates are already formatted in the tenant's zone by the caller.
 */
import PDFDocument from 'pdfkit'

/** What a receipt shows. */
export interface ReceiptPdf {
  readonly ispName: string
  /** #rrggbb from the tenant's branding. @defaultValue '#0f766e' */
  readonly accentColor?: string | undefined
  readonly supportPhone?: string | undefined
  readonly supportEmail?: string | undefined
  readonly receiptNumber: string
  readonly issuedAt: string
  readonly customer: string
  readonly mpesaReceipt: string
  readonly plan: string
  readonly periodStart: string
  readonly periodEnd: string
  readonly amount: string
}

/** What an invoice shows. */
export interface InvoicePdf {
  readonly invoiceNumber: string
  readonly ispName: string
  readonly period: string
  readonly issuedAt: string
  readonly dueDate: string
  readonly description: string
  readonly amount: string
}

const COLOR = /^#[0-9a-fA-F]{6}$/

function render(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: title, Author: 'MnetiFi' } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  draw(doc)
  doc.end()
  return done
}

function rows(doc: PDFKit.PDFDocument, lines: readonly (readonly [string, string])[]): void {
  for (const [label, value] of lines) {
    const y = doc.y
    doc.font('Helvetica').fontSize(10).fillColor('#555555').text(label, 36, y, { width: 120 })
    doc.font('Helvetica-Bold').fillColor('#000000').text(value, 160, y, { width: doc.page.width - 196 })
    doc.moveDown(0.4)
  }
}

/** A customer's receipt for one completed payment. */
export function renderReceiptPdf(r: ReceiptPdf): Promise<Buffer> {
  return render(`Receipt ${r.receiptNumber}`, (doc) => {
    const accent = r.accentColor && COLOR.test(r.accentColor) ? r.accentColor : '#0f766e'
    doc.rect(0, 0, doc.page.width, 70).fill(accent)
    doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(18).text(r.ispName, 36, 24)
    doc.fillColor('#000000').font('Helvetica-Bold').fontSize(14).text('Payment receipt', 36, 96)
    doc.moveDown(0.8)
    rows(doc, [
      ['Receipt number', r.receiptNumber], ['Date', r.issuedAt], ['Customer', r.customer], ['M-Pesa code', r.mpesaReceipt],
      ['Plan', r.plan], ['Period', `${r.periodStart} to ${r.periodEnd}`], ['Amount paid', r.amount],
    ])
    const contact = [r.supportPhone, r.supportEmail].filter(Boolean).join(' · ')
    if (contact) doc.moveDown(1).font('Helvetica').fontSize(9).fillColor('#555555').text(`Help: ${contact}`, 36)
  })
}

/** MnetiFi's monthly invoice to an ISP. */
export function renderInvoicePdf(i: InvoicePdf): Promise<Buffer> {
  return render(`Invoice ${i.invoiceNumber}`, (doc) => {
    doc.rect(0, 0, doc.page.width, 70).fill('#1e293b')
    doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(18).text('MnetiFi', 36, 24)
    doc.fillColor('#000000').font('Helvetica-Bold').fontSize(14).text('Invoice', 36, 96)
    doc.moveDown(0.8)
    rows(doc, [
      ['Invoice number', i.invoiceNumber], ['Billed to', i.ispName], ['Period', i.period], ['Issued', i.issuedAt],
      ['Due', i.dueDate], ['Description', i.description], ['Amount due', i.amount],
    ])
  })
}
