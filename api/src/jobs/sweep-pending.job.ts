/**
 * `payments.sweep-pending` (also run from a timer in every worker): first places early STK callbacks nobody
 * claimed (a push whose reply was never stored adopts its callback's CheckoutRequestID; past the TTL a success
 * becomes a MANUAL_REVIEW unknown payment), then makes sure each PENDING push still inside its polling budget
 * has a poll job. Normally it does (scheduling is idempotent by jobId, so this adds nothing); after Redis lost
 * its data (restart without persistence) or an enqueue failed, this is what brings the polls back.
 */
import { z } from 'zod'
import { nowOf, type PaymentsContext } from '../payments/context.js'
import { placeOpenEarlyCallbacks } from '../payments/early-callbacks.service.js'
import { RETENTION, type JobDefinition } from './job-definition.js'

/** No payload: the sweep looks at every tenant. */
export const SweepPendingPayloadSchema = z.object({})
export type SweepPendingPayload = z.infer<typeof SweepPendingPayloadSchema>

/** The job definition. */
export const sweepPendingJob = {
  name: 'payments.sweep-pending',
  schema: SweepPendingPayloadSchema,
  jobId: () => 'sweep-pending',
  options: { attempts: 1, ...RETENTION },
  async handler(_p, { ctx }) {
    return sweepPendingPayments(ctx)
  },
} satisfies JobDefinition<typeof SweepPendingPayloadSchema>

/** One sweep: early callbacks first (placing one can give a push its CheckoutRequestID), then the polls. */
export async function sweepPendingPayments(ctx: PaymentsContext): Promise<{ earlyCallbacks: Awaited<ReturnType<typeof placeOpenEarlyCallbacks>>; rescheduled: number }> {
  const earlyCallbacks = await placeOpenEarlyCallbacks(ctx)
  return { earlyCallbacks, rescheduled: await reschedulePendingPolls(ctx) }
}

/** Schedules (idempotently) a poll for every PENDING push within budget; returns how many were found. */
export async function reschedulePendingPolls(ctx: PaymentsContext): Promise<number> {
  const now = nowOf(ctx).getTime()
  const rows = await ctx.db.selectFrom('transactions').select(['id', 'tenant_id', 'created_at'])
    .where('status', '=', 'PENDING').where('kind', '=', 'STK_PUSH').where('checkout_request_id', 'is not', null)
    .where('created_at', '>', new Date(now - ctx.config.PAYMENTS_POLL_BUDGET_MS)).limit(5000).execute()
  for (const r of rows) {
    const due = r.created_at.getTime() + ctx.config.PAYMENTS_POLL_DELAY_MS - now
    await ctx.jobs.schedulePoll({ tenantId: r.tenant_id, transactionId: r.id }, Math.max(0, due))
  }
  return rows.length
}
