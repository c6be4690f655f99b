/**
 * Portal login codes: issue, count recent requests (rate limits), lock the newest open code, record a guess.
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'
import type { Database } from '../database.js'
import type { Transaction } from 'kysely'
import type { NewOneTimeCode, OneTimeCodeRow } from './one-time-codes.table.js'

/** Stores a new code. */
export async function createOneTimeCode(db: Executor, code: NewOneTimeCode): Promise<OneTimeCodeRow> {
  return db.insertInto('one_time_codes').values(code).returningAll().executeTakeFirstOrThrow()
}

/** How many codes a tenant issued since `since` to `phone`, and to `ip`. */
export async function countRecentOneTimeCodes(db: Executor, tenantId: string, since: Date, by: { phone: string; ip: string | null }): Promise<{ phone: number; ip: number }> {
  const r = await db.selectFrom('one_time_codes').where('tenant_id', '=', tenantId).where('created_at', '>=', since)
    .select([
      sql<string>`count(*) FILTER (WHERE phone = ${by.phone})`.as('phone'),
      sql<string>`count(*) FILTER (WHERE request_ip IS NOT DISTINCT FROM ${by.ip}::inet AND ${by.ip}::inet IS NOT NULL)`.as('ip'),
    ]).executeTakeFirstOrThrow()
  return { phone: Number(r.phone), ip: Number(r.ip) }
}

/** The newest unconsumed, unexpired code of `phone`, locked for the guess. */
export async function lockOpenOneTimeCode(trx: Transaction<Database>, tenantId: string, phone: string, now: Date): Promise<OneTimeCodeRow | undefined> {
  return trx.selectFrom('one_time_codes').selectAll().where('tenant_id', '=', tenantId).where('phone', '=', phone)
    .where('consumed_at', 'is', null).where('expires_at', '>', now).orderBy('created_at', 'desc').limit(1).forUpdate().executeTakeFirst()
}

/** Ends every open code of `phone` (a new one replaces them). */
export async function consumeOpenOneTimeCodes(db: Executor, tenantId: string, phone: string, now: Date): Promise<void> {
  await db.updateTable('one_time_codes').set({ consumed_at: now }).where('tenant_id', '=', tenantId).where('phone', '=', phone)
    .where('consumed_at', 'is', null).execute()
}

/** Records a guess: one more attempt, and consumed when right or when the attempts are used up. */
export async function recordOneTimeCodeGuess(db: Executor, tenantId: string, id: string, outcome: { correct: boolean; now: Date }): Promise<OneTimeCodeRow> {
  return db.updateTable('one_time_codes')
    .set((eb) => ({
      attempts: outcome.correct ? eb.ref('attempts') : sql<number>`attempts + 1`,
      consumed_at: outcome.correct ? outcome.now : sql<Date | null>`CASE WHEN attempts + 1 >= max_attempts THEN ${outcome.now}::timestamptz ELSE NULL END`,
    }))
    .where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}
