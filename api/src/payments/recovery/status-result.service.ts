/**
 * The asynchronous Transaction Status answer for a receipt a customer typed. Verified (completed, paid to this
 * tenant's shortcode, receipt not yet used, amount buys a plan) → the plan is activated once: on the customer's
 * own pending/failed push when one matches (the poll gave up), else on a new transaction. Anything else is
 * refused with a reason the portal shows.
 */
import { fromMajor } from '@mnetifi/db/domain'
import {
  createTransaction, lockMpesaStatusQueryByConversation, updateMpesaStatusQuery, type TenantRow,
} from '@mnetifi/db'
import { nowOf, type PaymentsContext } from '../context.js'
import { parseDarajaTime } from '../daraja/timestamp.js'
import { TransactionStatusResultSchema, parseTransactionStatusResult } from '../daraja/schemas.js'
import { tenantShortcode } from '../daraja/tenant-client.js'
import { creditRecovered, planForAmount } from './claim.js'

/** Records and acts on a Transaction Status result (or queue timeout). */
export async function receiveTransactionStatusResult(ctx: PaymentsContext, tenant: TenantRow, body: unknown, opts: { timedOut?: boolean } = {}): Promise<void> {
  const parsed = TransactionStatusResultSchema.safeParse(body)
  if (!parsed.success) {
    ctx.log.warn({ tenantId: tenant.id, body, issues: parsed.error.message }, 'Transaction Status result failed validation')
    return
  }
  const r = parseTransactionStatusResult(parsed.data)
  const now = nowOf(ctx)
  const credited = await ctx.db.transaction().execute(async (trx) => {
    const check = await lockMpesaStatusQueryByConversation(trx, tenant.id, r.originatorConversationId)
    if (!check || check.status !== 'PENDING') return undefined
    const finish = (status: 'VERIFIED' | 'REJECTED' | 'FAILED', code: string | null, message: string | null, transactionId: string | null = null) =>
      updateMpesaStatusQuery(trx, tenant.id, check.id, {
        status, outcome_code: code, outcome_message: message, transaction_id: transactionId, completed_at: now, result: body,
      })
    if (opts.timedOut) return void (await finish('FAILED', 'QUEUE_TIMEOUT', 'M-Pesa did not answer in time; try again.'))
    if (r.resultCode !== '0' || (r.transactionStatus && r.transactionStatus !== 'Completed')) {
      return void (await finish('REJECTED', 'RECEIPT_NOT_FOUND', 'M-Pesa does not know this code as a completed payment.'))
    }
    if (r.receipt !== check.receipt) return void (await finish('REJECTED', 'RECEIPT_MISMATCH', 'M-Pesa answered about another code.'))
    if (r.creditShortcode !== tenantShortcode(tenant)) {
      return void (await finish('REJECTED', 'WRONG_SHORTCODE', 'This M-Pesa code was not paid to this provider.'))
    }
    const used = await trx.selectFrom('transactions').select(['id', 'tenant_id']).where('mpesa_receipt', '=', check.receipt).executeTakeFirst()
    if (used) return void (await finish('REJECTED', 'RECEIPT_ALREADY_USED', 'This M-Pesa code has already been used.'))
    const phone = check.phone ?? r.debitPhone
    const amount = r.amountMajor !== undefined ? fromMajor(r.amountMajor) : undefined
    if (!phone || amount === undefined) return void (await finish('REJECTED', 'INCOMPLETE', 'M-Pesa did not say who paid or how much.'))
    const paidAt = (r.initiatedTime && parseDarajaTime(r.initiatedTime)) || now
    // The customer's own push, locked in one statement whatever its state (a concurrent poll settling it then
    // cannot slip between two look-ups). Already credited by the poll (the STK query carries no receipt): the
    // receipt belongs to it; fill it in and report the plan active — crediting here would be a double credit.
    const mine = await trx.selectFrom('transactions').selectAll().where('tenant_id', '=', tenant.id).where('user_phone', '=', phone)
      .where('kind', '=', 'STK_PUSH').where('mpesa_receipt', 'is', null).where('amount', '=', amount)
      .where('status', 'in', ['PENDING', 'FAILED', 'COMPLETED'])
      .where('created_at', '>=', new Date(paidAt.getTime() - 15 * 60_000)).where('created_at', '<=', new Date(paidAt.getTime() + 60_000))
      .orderBy('created_at', 'desc').forUpdate().executeTakeFirst()
    if (mine?.credited_at) {
      await trx.updateTable('transactions').set({ mpesa_receipt: check.receipt }).where('id', '=', mine.id).execute()
      return void (await finish('VERIFIED', 'ALREADY_CREDITED', 'This payment had already activated your plan.', mine.id))
    }
    if (mine?.status === 'COMPLETED') {
      await trx.updateTable('transactions').set({ mpesa_receipt: check.receipt }).where('id', '=', mine.id).execute()
      return void (await finish('REJECTED', 'UNDER_REVIEW', 'The provider is checking this payment; please contact them.', mine.id))
    }
    const own = mine
    const plan = await planForAmount(trx, tenant.id, amount, check.plan_id)
    const tx = own
      ? own
      : await createTransaction(trx, {
        tenant_id: tenant.id, kind: r.reasonType?.includes('Online') ? 'STK_PUSH' : 'C2B', user_phone: phone, amount,
        hotspot_id: check.hotspot_id, mac_address: check.mac_address, status: 'COMPLETED', completed_at: paidAt, settled_by: 'RECOVERY',
        result_code: '0', result_desc: r.resultDesc, reconciliation_status: 'UNMATCHED', reconciliation_note: 'verified by Transaction Status',
      }, [{ at: now.toISOString(), kind: 'transaction-status.result', data: body }])
    await trx.updateTable('transactions').set({ mpesa_receipt: check.receipt, result_code: '0' }).where('id', '=', tx.id).execute()
    if (!plan) {
      await trx.updateTable('transactions').set({ status: 'COMPLETED', completed_at: paidAt, reconciliation_status: 'UNMATCHED', reconciliation_note: `paid ${amount} minor units, which buys no single plan` }).where('id', '=', tx.id).execute()
      return void (await finish('REJECTED', 'AMOUNT_MISMATCH', 'The amount paid does not match a plan; the provider will sort it out.', tx.id))
    }
    const done = await creditRecovered(ctx, trx, { ...tx, mpesa_receipt: check.receipt }, {
      phone, planId: plan.id, macAddress: check.mac_address ?? tx.mac_address, note: 'verified by Transaction Status for the portal',
    })
    await finish('VERIFIED', null, null, tx.id)
    return done ? tx.id : undefined
  })
  if (credited) await ctx.jobs.scheduleCoa({ tenantId: tenant.id, transactionId: credited }).catch((err) => ctx.log.error({ err }, 'could not schedule CoA'))
}
