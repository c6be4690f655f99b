/**
 * The shape of a job (style §14): a name `<domain>.<verb>`, a zod payload schema, an idempotent jobId, BullMQ
 * options (attempts/backoff for transient failures) and a handler. Handlers throw `UnrecoverableError` for
 * permanent failures and plain errors for transient ones.
 */
import type { Job, JobsOptions } from 'bullmq'
import type { CoaClient } from '@mnetifi/radiusd/coa'
import type { z } from 'zod'
import type { PaymentsContext } from '../payments/context.js'

/** What a handler receives besides its payload. */
export interface JobRuntime {
  readonly ctx: PaymentsContext
  readonly coa: CoaClient
  readonly job: Job
  /** The worker's lock token (needed to move the job to delayed). */
  readonly token: string | undefined
}

/** One job type. */
export interface JobDefinition<S extends z.ZodType> {
  readonly name: string
  readonly schema: S
  /** Same payload → same id, so enqueueing twice runs once (BullMQ ids may not contain ':'). */
  jobId(payload: z.infer<S>): string
  readonly options: Omit<JobsOptions, 'jobId' | 'delay'>
  handler(payload: z.infer<S>, rt: JobRuntime): Promise<unknown>
}

/** The queue every payments job goes to. */
export const PAYMENTS_QUEUE = 'payments'

/** Completed jobs are kept an hour (so a duplicate enqueue within it is a no-op), failed ones a week. */
export const RETENTION = Object.freeze({ removeOnComplete: { age: 3600, count: 50_000 }, removeOnFail: { age: 7 * 86400 } })
