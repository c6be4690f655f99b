/**
 * Voucher batch exports: CSV for spreadsheets and resellers, and an A4 PDF sheet of cut-out cards.
 */
import PDFDocument from 'pdfkit'
import { stringify } from 'csv-stringify/sync'
import type { PlanRow, VoucherRow } from '@mnetifi/db'
import { formatMoney } from '@mnetifi/db/domain'

/** Human duration: 3600 → "1 hour", 90000 → "1 day 1 hour". */
export function formatDuration(seconds: number): string {
  const parts: string[] = []
  for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
    const n = Math.floor(seconds / size)
    if (n) { parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`); seconds -= n * size }
  }
  return parts.join(' ') || `${seconds} seconds`
}

/** CSV with a header row; one line per voucher. */
export function vouchersToCsv(vouchers: readonly VoucherRow[], plan: PlanRow): Buffer {
  return Buffer.from(stringify(vouchers.map((v) => ({
    code: v.code, plan: plan.name, price: formatMoney(plan.price, plan.currency), duration: formatDuration(plan.duration_seconds),
    status: v.status, valid_until: v.valid_until?.toISOString() ?? '', batch_id: v.batch_id,
  })), { header: true }))
}

const COLUMNS = 3
const ROWS = 8
const MARGIN = 28

/** A4 sheets of 24 cards: ISP name, plan, price, duration and the code in large type. */
export async function vouchersToPdf(vouchers: readonly VoucherRow[], plan: PlanRow, ispName: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${ispName} vouchers`, Author: 'MnetiFi' } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))))
  const width = (doc.page.width - 2 * MARGIN) / COLUMNS
  const height = (doc.page.height - 2 * MARGIN) / ROWS
  vouchers.forEach((v, i) => {
    const slot = i % (COLUMNS * ROWS)
    if (i > 0 && slot === 0) doc.addPage()
    const x = MARGIN + (slot % COLUMNS) * width
    const y = MARGIN + Math.floor(slot / COLUMNS) * height
    doc.save().dash(3, { space: 3 }).rect(x + 2, y + 2, width - 4, height - 4).stroke('#999999').restore()
    doc.fillColor('#000000').font('Helvetica-Bold').fontSize(10).text(ispName, x + 8, y + 8, { width: width - 16 })
    doc.font('Helvetica').fontSize(8).text(`${plan.name} · ${formatDuration(plan.duration_seconds)} · ${formatMoney(plan.price, plan.currency)}`, x + 8, y + 24, { width: width - 16 })
    doc.font('Courier-Bold').fontSize(14).text(v.code, x + 8, y + 44, { width: width - 16 })
    if (v.valid_until) doc.font('Helvetica').fontSize(7).text(`Use by ${v.valid_until.toISOString().slice(0, 10)}`, x + 8, y + 66, { width: width - 16 })
  })
  doc.end()
  return done
}
