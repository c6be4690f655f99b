/**
 * Africa's Talking delivery reports (digest §2.2): form posts to the tenant's secret URL
 * `/hooks/notifications/sms/<sms_report_token>`, matched to the outbox row by `id` (AT's messageId) within that
 * tenant. Final states: Success → DELIVERED; Rejected, Failed, AbsentSubscriber, Expired → FAILED with the
 * failureReason. Intermediate states (Sent, Submitted, Buffered) are recorded without moving the status, and a
 * final state is never overwritten by a late intermediate one (reports can arrive out of order and twice).
 */
import { z } from 'zod'
import { findNotificationByProviderMessageId, updateNotification, type Executor, type NotificationOutboxRow } from '@mnetifi/db'
import { AFRICASTALKING } from './sms-transport.js'

export const DeliveryReportSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.string().min(1).max(64),
  phoneNumber: z.string().max(32).optional(),
  networkCode: z.string().max(16).optional(),
  failureReason: z.string().max(200).optional(),
  retryCount: z.string().max(8).optional(),
})
export type DeliveryReport = z.infer<typeof DeliveryReportSchema>

const DELIVERED = new Set(['Success'])
const FAILED = new Set(['Rejected', 'Failed', 'AbsentSubscriber', 'Expired'])

/** What a report did. */
export type ReportOutcome = 'unknown-message' | 'delivered' | 'failed' | 'recorded' | 'ignored'

/** Applies a report to the tenant's message. */
export async function applyDeliveryReport(db: Executor, tenantId: string, report: DeliveryReport, now: Date): Promise<ReportOutcome> {
  const row = await findNotificationByProviderMessageId(db, tenantId, AFRICASTALKING, report.id)
  if (!row) return 'unknown-message'
  const isFinal = (r: NotificationOutboxRow) => r.status === 'DELIVERED' || r.status === 'FAILED'
  if (isFinal(row)) return 'ignored'
  if (DELIVERED.has(report.status)) {
    await updateNotification(db, tenantId, row.id, { status: 'DELIVERED', delivered_at: now, provider_status: report.status })
    return 'delivered'
  }
  if (FAILED.has(report.status)) {
    const reason = report.failureReason ? `${report.status}: ${report.failureReason}` : report.status
    await updateNotification(db, tenantId, row.id, { status: 'FAILED', failed_at: now, provider_status: report.status, last_error: reason })
    return 'failed'
  }
  await updateNotification(db, tenantId, row.id, { provider_status: report.status })
  return 'recorded'
}
