/**
 * `payments.poll-stk`: the STK query 20 s after a push, repeated while Daraja says "being processed" until the
 * polling budget is spent. A final answer settles exactly as the callback would (with the callback's receipt
 * when one was recorded). Missing callbacks are common (digest §1.10), so this path is mandatory.
 */
import { DelayedError, UnrecoverableError } from 'bullmq'
import { z } from 'zod'
import { findTenantById, findTransactionById, type ProviderLogEntry } from '@mnetifi/db'
import { nowOf } from '../payments/context.js'
import { DarajaError } from '../payments/daraja/errors.js'
import { placeEarlyCallbackFor } from '../payments/early-callbacks.service.js'
import { darajaClientForTenant } from '../payments/daraja/tenant-client.js'
import { latestRecordedCallback, markPollExhausted, settleStkTransaction, storeProviderLog } from '../payments/settlement/settle.service.js'
import { RETENTION, type JobDefinition } from './job-definition.js'

/** Which push to query. */
export const PollStkPayloadSchema = z.object({ tenantId: z.string().uuid(), transactionId: z.string().uuid() })
export type PollStkPayload = z.infer<typeof PollStkPayloadSchema>

/** The job definition (jobId `poll-stk-<transaction>`: one poller per push). */
export const pollStkJob = {
  name: 'payments.poll-stk',
  schema: PollStkPayloadSchema,
  jobId: (p: PollStkPayload) => `poll-stk-${p.transactionId}`,
  // Attempts cover network errors and Safaricom 5xx; "still processing" re-delays without using an attempt.
  options: { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, ...RETENTION },
  async handler(p, { ctx, job, token }) {
    let tx = await findTransactionById(ctx.db, p.tenantId, p.transactionId)
    if (!tx || tx.status !== 'PENDING' || !tx.checkout_request_id) return { skipped: tx?.status ?? 'missing' }
    // A callback that came before the push reply was stored and nobody placed yet (the API died in between).
    if (await placeEarlyCallbackFor(ctx, p.tenantId, tx.checkout_request_id)) {
      tx = await findTransactionById(ctx.db, p.tenantId, p.transactionId)
      if (!tx || tx.status !== 'PENDING' || !tx.checkout_request_id) return { skipped: tx?.status ?? 'missing' }
    }
    const tenant = await findTenantById(ctx.db, p.tenantId)
    if (!tenant) throw new UnrecoverableError(`tenant ${p.tenantId} is gone`)
    const log: ProviderLogEntry[] = []
    let outcome
    try {
      outcome = await darajaClientForTenant(tenant, ctx).stkQuery(tx.checkout_request_id, (e) => log.push(e))
    } catch (err) {
      await storeProviderLog(ctx, tenant.id, tx.id, log)
      if (err instanceof DarajaError && !err.retryable && err.kind !== 'invalid_token') {
        // Daraja refuses the query itself (bad credentials, unknown CheckoutRequestID): polling again will not help.
        // The push stays PENDING for a late callback or the recovery flow, marked so the portal says what to do.
        await markPollExhausted(ctx, tenant.id, tx.id)
        throw new UnrecoverableError(err.message)
      }
      throw err
    }
    if (outcome.kind === 'pending') {
      await storeProviderLog(ctx, tenant.id, tx.id, log)
      const elapsed = nowOf(ctx).getTime() - tx.created_at.getTime()
      const interval = ctx.config.PAYMENTS_POLL_INTERVAL_MS * (0.8 + Math.random() * 0.4)
      if (elapsed + interval > ctx.config.PAYMENTS_POLL_BUDGET_MS) {
        await markPollExhausted(ctx, tenant.id, tx.id)
        return { exhausted: true }
      }
      await job.moveToDelayed(Date.now() + interval, token)
      throw new DelayedError()
    }
    const callback = latestRecordedCallback(tx)
    const result = await settleStkTransaction(ctx, {
      tenantId: tenant.id, transactionId: tx.id,
      evidence: { source: 'POLL', query: { resultCode: outcome.resultCode, resultDesc: outcome.resultDesc }, ...(callback ? { callback } : {}) },
      log,
    })
    return { status: result.transaction.status, credited: result.credited }
  },
} satisfies JobDefinition<typeof PollStkPayloadSchema>
