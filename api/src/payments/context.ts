/**
 * Everything the payment services need, passed in explicitly (no globals): the database, secrets, Daraja token
 * cache, settings, logger, the job scheduler and the clock.
 */
import type { Kysely } from 'kysely'
import type { Database, Logger, SecretBox } from '@mnetifi/db'
import type { PaymentsConfig } from './config.js'
import type { DarajaTokenCache } from './daraja/oauth.js'
import type { ParsedStkCallback } from './daraja/schemas.js'

/**
 * Schedules payment jobs (implemented over BullMQ in api/src/jobs/scheduler.ts). Every job has an idempotent
 * jobId, so scheduling twice is harmless.
 */
export interface PaymentJobScheduler {
  /** The STK query of a push, `delayMs` from now (default: the configured 20 s). */
  schedulePoll(input: { tenantId: string; transactionId: string }, delayMs?: number): Promise<void>
  /**
   * Confirms and settles a recorded callback. `trusted: false` (outside the allow-list) settles only what an
   * STK query confirms.
   */
  scheduleCallbackSettlement(input: { tenantId: string; transactionId: string; callback: ParsedStkCallback; trusted: boolean }): Promise<void>
  /** Pushes the new rate limit and Session-Timeout to a live session after a credit. */
  scheduleCoa(input: { tenantId: string; transactionId: string }): Promise<void>
}

/** Dependencies of the payment services. */
export interface PaymentsContext {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly tokenCache: DarajaTokenCache
  readonly config: PaymentsConfig
  readonly log: Logger
  readonly jobs: PaymentJobScheduler
  /** @defaultValue () => new Date() */
  readonly now?: () => Date
}

/** The context's clock. */
export const nowOf = (ctx: Pick<PaymentsContext, 'now'>): Date => (ctx.now ? ctx.now() : new Date())
