/**
 * The payment events, written by the settlement code inside its own database transaction: "payment confirmed"
 * (and, for a customer with an e-mail address, the receipt) with the credit, "payment failed" with the failure.
 * Keys are per transaction, so a settlement that runs again writes nothing new.
 */
import { formatMoney } from '@mnetifi/db/domain'
import { findTenantById, type Executor, type PlanRow, type TransactionRow, type WifiUserRow } from '@mnetifi/db'
import { describeFailure, formatDateTime } from './format.js'
import { notify } from './notify.js'

/** The receipt number printed on a payment's receipt: stable, short, unique (from the transaction id). */
export function receiptNumberOf(tx: Pick<TransactionRow, 'id'>): string {
  return `R-${tx.id.replace(/-/g, '').slice(0, 10).toUpperCase()}`
}

/** Writes the confirmation and the receipt of a credit. */
export async function notifyCredit(
  db: Executor, c: { transaction: TransactionRow; user: WifiUserRow; plan: PlanRow; now: Date; previousExpiry: Date | null },
): Promise<void> {
  const { transaction: tx, user, plan } = c
  const tenant = await findTenantById(db, tx.tenant_id)
  const expires = user.expiry_time!
  const amount = formatMoney(tx.amount, tx.currency)
  await notify(db, {
    tenantId: tx.tenant_id, type: 'payment.confirmed', key: `payment-confirmed:${tx.id}`, userId: user.id,
    to: { phone: user.phone_number ?? tx.user_phone },
    vars: {
      amount, receipt: tx.mpesa_receipt ?? '', plan: plan.name, expires: formatDateTime(expires, tenant?.timezone ?? 'Africa/Nairobi'),
      username: user.username, password: user.password,
    },
    data: { transactionId: tx.id, currency: tx.currency, amountMinor: tx.amount, expiresAt: expires.toISOString() },
  }, { now: c.now })
  if (user.email) {
    const tz = tenant?.timezone ?? 'Africa/Nairobi'
    // The paid period starts when the time bought starts counting: now, or the end of a plan still running.
    const start = c.previousExpiry && c.previousExpiry > c.now ? c.previousExpiry : c.now
    await notify(db, {
      tenantId: tx.tenant_id, type: 'payment.receipt', key: `payment-receipt:${tx.id}`, userId: user.id, to: { email: user.email },
      vars: { receiptNumber: receiptNumberOf(tx), amount, receipt: tx.mpesa_receipt ?? '', plan: plan.name },
      data: { transactionId: tx.id, periodStart: formatDateTime(start, tz), periodEnd: formatDateTime(expires, tz) },
    }, { now: c.now })
  }
}

/** Writes "payment failed" for a push that failed (PENDING → FAILED). */
export async function notifyPaymentFailed(db: Executor, tx: TransactionRow, now: Date): Promise<void> {
  const plan = tx.plan_id ? await db.selectFrom('plans').select('name').where('tenant_id', '=', tx.tenant_id).where('id', '=', tx.plan_id).executeTakeFirst() : undefined
  await notify(db, {
    tenantId: tx.tenant_id, type: 'payment.failed', key: `payment-failed:${tx.id}`, userId: tx.user_id,
    to: { phone: tx.user_phone },
    vars: (language) => ({ amount: formatMoney(tx.amount, tx.currency), plan: plan?.name ?? '', reason: describeFailure(tx.failure_reason, language) }),
    data: { transactionId: tx.id },
  }, { now })
}
