/**
 * Vouchers: printed codes that buy a plan. Redemption locks the row (lockVoucherByCode) and marks it in the
 * same transaction that credits the user, so a code is spent exactly once however many try at once.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Executor } from '../executor.js'
import type { NewVoucher, VoucherRow } from './vouchers.table.js'

/** Inserts a batch of vouchers (one statement); returns them in code order. */
export async function createVouchers(db: Executor, vouchers: readonly NewVoucher[]): Promise<VoucherRow[]> {
  if (vouchers.length === 0) return []
  const rows = await db.insertInto('vouchers').values([...vouchers]).returningAll().execute()
  return rows.sort((x, y) => x.code.localeCompare(y.code))
}

/** A page of a tenant's vouchers with the total, newest batch first. */
export async function searchVouchers(
  db: Executor, tenantId: string,
  options: { batchId?: string; status?: 'UNUSED' | 'REDEEMED' | 'REVOKED'; planId?: string; limit: number; offset: number },
): Promise<{ rows: VoucherRow[]; total: number }> {
  let q = db.selectFrom('vouchers').where('tenant_id', '=', tenantId)
  if (options.batchId) q = q.where('batch_id', '=', options.batchId)
  if (options.status) q = q.where('status', '=', options.status)
  if (options.planId) q = q.where('plan_id', '=', options.planId)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('code').limit(options.limit).offset(options.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

/** Every voucher of a batch in code order (exports), or [] when the batch is not the tenant's. */
export async function listVoucherBatch(db: Executor, tenantId: string, batchId: string): Promise<VoucherRow[]> {
  return db.selectFrom('vouchers').selectAll().where('tenant_id', '=', tenantId).where('batch_id', '=', batchId).orderBy('code').execute()
}

/** A tenant's voucher by id, or undefined. */
export async function findVoucherById(db: Executor, tenantId: string, voucherId: string): Promise<VoucherRow | undefined> {
  return db.selectFrom('vouchers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', voucherId).executeTakeFirst()
}

/** Locks a tenant's voucher by code for the rest of the transaction (redemption). */
export async function lockVoucherByCode(trx: Transaction<Database>, tenantId: string, code: string): Promise<VoucherRow | undefined> {
  return trx.selectFrom('vouchers').selectAll().where('tenant_id', '=', tenantId).where('code', '=', code).forUpdate().executeTakeFirst()
}

/** Marks an UNUSED voucher redeemed by `userId`; undefined when it was not UNUSED (already spent or revoked). */
export async function markVoucherRedeemed(db: Executor, tenantId: string, voucherId: string, userId: string, at: Date): Promise<VoucherRow | undefined> {
  return db.updateTable('vouchers').set({ status: 'REDEEMED', redeemed_by_user_id: userId, redeemed_at: at })
    .where('tenant_id', '=', tenantId).where('id', '=', voucherId).where('status', '=', 'UNUSED').returningAll().executeTakeFirst()
}

/** Revokes an UNUSED voucher; undefined when it is not the tenant's or no longer UNUSED. */
export async function revokeVoucher(db: Executor, tenantId: string, voucherId: string): Promise<VoucherRow | undefined> {
  return db.updateTable('vouchers').set({ status: 'REVOKED' })
    .where('tenant_id', '=', tenantId).where('id', '=', voucherId).where('status', '=', 'UNUSED').returningAll().executeTakeFirst()
}
