/** The badge colour of each payment and reconciliation status, in one place for every page. */
import type { BadgeTone } from '@mnetifi/ui'

export const PAYMENT_TONE: Record<string, BadgeTone> = { COMPLETED: 'success', FAILED: 'danger', PENDING: 'warning' }
export const RECONCILIATION_TONE: Record<string, BadgeTone> = { MATCHED: 'success', UNMATCHED: 'danger', MANUAL_REVIEW: 'warning' }
export const RECONCILIATION_LABEL: Record<string, string> = { MATCHED: 'matched', UNMATCHED: 'unmatched', MANUAL_REVIEW: 'review' }
