/**
 * Early STK callbacks (see stk-early-callbacks.table.ts). {@link claimEarlyCallback} is the exactly-once
 * marker: it resolves an open row only while `resolved_at IS NULL`, so of any number of racing resolvers (push
 * reply, poll, sweep in several workers) one gets the deliveries and the others get undefined.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { EarlyCallbackDelivery, StkEarlyCallbackRow } from './stk-early-callbacks.table.js'

/**
 * Records a delivery for (tenant, CheckoutRequestID): the first creates the row, later ones (duplicates) are
 * appended to `callbacks`. A delivery after the row was resolved is still appended (kept for audit) and the
 * returned row says it is resolved.
 */
export async function recordEarlyCallback(
  db: Executor, tenantId: string,
  input: { checkoutRequestId: string; merchantRequestId: string; hintedTransactionId: string | null; delivery: EarlyCallbackDelivery },
): Promise<StkEarlyCallbackRow> {
  const callbacks = JSON.stringify([input.delivery])
  return db.insertInto('stk_early_callbacks').values({
    tenant_id: tenantId, checkout_request_id: input.checkoutRequestId, merchant_request_id: input.merchantRequestId,
    hinted_transaction_id: input.hintedTransactionId, callbacks,
  }).onConflict((oc) => oc.columns(['tenant_id', 'checkout_request_id']).doUpdateSet({
    callbacks: sql`stk_early_callbacks.callbacks || excluded.callbacks`,
    hinted_transaction_id: sql`coalesce(stk_early_callbacks.hinted_transaction_id, excluded.hinted_transaction_id)`,
  })).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's open (unresolved) early callback for a CheckoutRequestID, or undefined. */
export async function findOpenEarlyCallback(db: Executor, tenantId: string, checkoutRequestId: string): Promise<StkEarlyCallbackRow | undefined> {
  return db.selectFrom('stk_early_callbacks').selectAll().where('tenant_id', '=', tenantId)
    .where('checkout_request_id', '=', checkoutRequestId).where('resolved_at', 'is', null).executeTakeFirst()
}

/**
 * Resolves an open early callback once: returns the row (with every delivery so far) to the one caller that
 * resolved it, undefined to everyone else.
 */
export async function claimEarlyCallback(
  db: Executor, tenantId: string, id: string, resolution: 'SETTLED' | 'UNKNOWN', transactionId: string | null, at: Date,
): Promise<StkEarlyCallbackRow | undefined> {
  return db.updateTable('stk_early_callbacks').set({ resolution, resolved_at: at, transaction_id: transactionId })
    .where('tenant_id', '=', tenantId).where('id', '=', id).where('resolved_at', 'is', null).returningAll().executeTakeFirst()
}

/** Open early callbacks of every tenant, oldest first (the pending sweep's work list). */
export async function listOpenEarlyCallbacksAcrossTenants(db: Executor, limit = 1000): Promise<StkEarlyCallbackRow[]> {
  return db.selectFrom('stk_early_callbacks').selectAll().where('resolved_at', 'is', null).orderBy('received_at').limit(limit).execute()
}
