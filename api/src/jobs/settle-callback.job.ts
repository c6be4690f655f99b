/**
 * `payments.settle-callback`: a recorded callback for a PENDING push is confirmed with an STK query before it
 * settles (callbacks are unsigned); a callback for an already settled push (duplicate, late after the poll)
 * settles from the callback alone, which can only fill in the receipt or flag a disagreement — never credit.
 * An untrusted callback (from outside the configured allow-list) is recorded but is no evidence: it only makes
 * the STK query run now, and the query's final answer alone settles (so no receipt or amount from it is used).
 */
import { UnrecoverableError } from 'bullmq'
import { z } from 'zod'
import { findTenantById, findTransactionById, type ProviderLogEntry } from '@mnetifi/db'
import { DarajaError } from '../payments/daraja/errors.js'
import { darajaClientForTenant } from '../payments/daraja/tenant-client.js'
import { settleStkTransaction, storeProviderLog } from '../payments/settlement/settle.service.js'
import { RETENTION, type JobDefinition } from './job-definition.js'

const ParsedCallbackSchema = z.object({
  merchantRequestId: z.string(), checkoutRequestId: z.string(), resultCode: z.string(), resultDesc: z.string(),
  receipt: z.string().optional(), amountMajor: z.number().optional(), phone: z.string().optional(), transactionDate: z.string().optional(),
})
/** The transaction and the validated callback to settle it with. */
export const SettleCallbackPayloadSchema = z.object({
  tenantId: z.string().uuid(), transactionId: z.string().uuid(), callback: ParsedCallbackSchema,
  /** False for a callback from outside the allow-list. Jobs queued before this field existed were trusted. */
  trusted: z.boolean().default(true),
})
export type SettleCallbackPayload = z.infer<typeof SettleCallbackPayloadSchema>

const ATTEMPTS = 5

/** The job definition. */
export const settleCallbackJob = {
  name: 'payments.settle-callback',
  schema: SettleCallbackPayloadSchema,
  // One job per distinct callback content: exact duplicates collapse, a different late callback still runs; an
  // untrusted copy must not take the id of the trusted one (it would swallow a late receipt).
  jobId: (p: SettleCallbackPayload) => `settle-cb-${p.transactionId}-${p.callback.resultCode}-${p.callback.receipt ?? 'none'}${p.trusted ? '' : '-untrusted'}`,
  options: { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 500 }, ...RETENTION },
  async handler(p, { ctx, job }) {
    const tx = await findTransactionById(ctx.db, p.tenantId, p.transactionId)
    if (!tx) return { skipped: 'missing' }
    // An untrusted callback only makes the STK query happen sooner; the query's answer alone is the evidence.
    const settle = (query?: { resultCode: string; resultDesc: string }, log?: ProviderLogEntry[]) => settleStkTransaction(ctx, {
      tenantId: p.tenantId, transactionId: p.transactionId,
      evidence: { source: 'CALLBACK', ...(p.trusted ? { callback: p.callback } : {}), ...(query ? { query } : {}) }, ...(log ? { log } : {}),
    })
    if (tx.status !== 'PENDING' || !tx.checkout_request_id) {
      if (!p.trusted) return { untrusted: 'recorded only' }
      return { reason: (await settle()).reason }
    }
    const tenant = await findTenantById(ctx.db, p.tenantId)
    if (!tenant) throw new UnrecoverableError(`tenant ${p.tenantId} is gone`)
    const log: ProviderLogEntry[] = []
    const lastAttempt = job.attemptsMade + 1 >= ATTEMPTS
    try {
      const outcome = await darajaClientForTenant(tenant, ctx).stkQuery(tx.checkout_request_id, (e) => log.push(e))
      if (outcome.kind === 'final') return { reason: (await settle({ resultCode: outcome.resultCode, resultDesc: outcome.resultDesc }, log.splice(0))).reason }
      await storeProviderLog(ctx, tenant.id, tx.id, log.splice(0))
      // Daraja has not caught up with its own callback yet; try again shortly.
      if (!lastAttempt) throw new Error('STK query still processing after the callback')
    } catch (err) {
      await storeProviderLog(ctx, tenant.id, tx.id, log.splice(0))
      if (!lastAttempt || (err instanceof DarajaError && err.kind === 'rejected')) throw err
    }
    // Confirmation impossible: a failure settles from the callback; a success waits for the poll job.
    if (p.callback.resultCode !== '0' && p.trusted) return { reason: (await settle()).reason }
    return { deferredToPoll: true }
  },
} satisfies JobDefinition<typeof SettleCallbackPayloadSchema>
