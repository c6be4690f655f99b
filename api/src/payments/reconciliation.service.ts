/**
 * An admin closes a MANUAL_REVIEW or UNMATCHED item: credits a customer with it (exactly once, like any other
 * settlement) or records that the money was refunded. Runs inside the caller's tenant-scoped transaction, so the
 * audit entry written beside it commits or rolls back with it.
 */
import type { Transaction } from 'kysely'
import { AppError, tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { findPlanById, listWifiUsersByPhone, lockTransactionById, lockWifiUserById, updateTransaction, type Database, type TransactionRow } from '@mnetifi/db'
import { nowOf, type PaymentsContext } from './context.js'
import { chooseAccountForPlan, getOrCreateHotspotUserByPhone } from '../lib/hotspot-accounts.js'
import { creditTransaction } from './settlement/credit.js'

/** What the admin decided. */
export type Resolution =
  | { readonly action: 'credit'; readonly planId: string; readonly phone: string; readonly note?: string }
  | { readonly action: 'refund'; readonly note: string }

/** Resolves an item; returns the row before and after (for the audit log). */
export async function resolveTransaction(
  ctx: Pick<PaymentsContext, 'now'>, trx: Transaction<Database>, tenantId: string, transactionId: string, resolution: Resolution, adminId: string | null,
): Promise<{ before: TransactionRow; after: TransactionRow; credited: boolean }> {
  const before = await lockTransactionById(trx, tenantId, transactionId)
  if (!before) throw new AppError('NOT_FOUND', 'Transaction not found')
  if (before.resolution) throw new AppError('CONFLICT', `Already resolved (${before.resolution.toLowerCase()})`)
  if (before.reconciliation_status !== 'MANUAL_REVIEW' && before.reconciliation_status !== 'UNMATCHED') {
    throw new AppError('CONFLICT', 'Only MANUAL_REVIEW or UNMATCHED transactions need resolving')
  }
  if (before.credited_at) throw new AppError('CONFLICT', 'This payment already credited a plan; mark it refunded only if you returned the money')
  const now = nowOf(ctx)
  const stamp = { resolved_at: now, resolved_by: adminId }
  if (resolution.action === 'refund') {
    const after = (await updateTransaction(trx, tenantId, transactionId, {
      ...stamp, resolution: 'REFUNDED', reconciliation_note: appendNote(before, `refunded: ${resolution.note}`),
    }))!
    return { before, after, credited: false }
  }
  const phone = tryNormalizePhoneKE(resolution.phone)
  if (!phone) throw new AppError('INVALID_PHONE', `"${resolution.phone}" is not a Kenyan mobile number`)
  const plan = await findPlanById(trx, tenantId, resolution.planId)
  if (!plan) throw new AppError('NOT_FOUND', 'Plan not found')
  // The phone's account the plan serves (its HOTSPOT account first); a new HOTSPOT account only for a hotspot plan.
  const chosen = chooseAccountForPlan(await listWifiUsersByPhone(trx, tenantId, phone), plan)
  const user = chosen ? (await lockWifiUserById(trx, tenantId, chosen.id))!
    : plan.account_types.includes('HOTSPOT') ? await getOrCreateHotspotUserByPhone(trx, tenantId, phone, before.hotspot_id)
      : undefined
  if (!user) {
    throw new AppError('VALIDATION_FAILED', `No ${plan.account_types.join('/')} account has the phone ${phone}; create it first or choose a hotspot plan`, {
      details: [{ path: 'body.phone', message: `no account this plan serves (${plan.account_types.join(', ')})` }],
    })
  }
  const row = (await updateTransaction(trx, tenantId, transactionId, {
    ...stamp, resolution: 'CREDITED', status: 'COMPLETED', completed_at: before.completed_at ?? now, user_phone: phone,
    reconciliation_note: appendNote(before, `credited ${plan.name} to ${phone} by an admin${resolution.note ? `: ${resolution.note}` : ''}`),
  }))!
  const done = await creditTransaction(trx, row, { now, settledBy: 'ADMIN', userId: user.id, planId: plan.id })
  if (!done) throw new AppError('CONFLICT', 'The payment could not be credited (already credited?)')
  return { before, after: done.transaction, credited: true }
}

function appendNote(tx: TransactionRow, note: string): string {
  return tx.reconciliation_note ? `${tx.reconciliation_note}; ${note}` : note
}
