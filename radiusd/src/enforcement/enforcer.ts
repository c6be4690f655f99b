/**
 * Expiry enforcement: every `intervalMs`, find open sessions whose user is expired, suspended, without a usable
 * plan, moved to another plan, or whose tenant is BLOCKED, and send the NAS a Disconnect-Request
 * (User-Name + Acct-Session-Id + Framed-IP-Address, which MikroTik hotspot and PPP both honour — digest §4.6).
 * Session-Timeout covers the normal case; this covers plan changes and admin actions, and ends a session within
 * about `intervalMs` + one CoA round trip of its expiry.
 *
 * One replica per tick does the work (an advisory lock in the query), so several radiusd processes can run.
 * A session already disconnected is not asked again for `repeatAfterMs` (its Accounting-Stop is on the way).
 *
 * The same tick purges expired session claims (`radiusd_session_claims`): the hot path only deletes a user's
 * expired claims when that user logs in again, so without this the table grows by one row per accepted login.
 * One replica purges (its own advisory lock), in bounded batches so no statement holds many row locks for long.
 */
import { listSessionsToEndAcrossTenants, recordCoaOutcomeAcrossTenants, type Database } from '@mnetifi/db'
import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { CoaClient } from '../coa/client.js'
import type { RadiusMetrics } from '../metrics.js'

/** Advisory lock key shared by every radiusd replica ('radiusd-enforce'). */
export const ENFORCEMENT_LOCK_KEY = 0x7261_6431
/** Advisory lock key for the claim purge ('radiusd-claims'). */
export const CLAIM_PURGE_LOCK_KEY = 0x7261_6432

/**
 * Deletes up to `batch` expired session claims, if this replica wins the purge lock for the statement.
 * Expired claims never count towards Simultaneous-Use (radiusd_authorize() ignores them), so this changes
 * nothing a login sees. Returns the number deleted (0 when another replica holds the lock).
 */
export async function purgeExpiredClaims(db: Kysely<Database>, batch: number): Promise<number> {
  const result = await sql<{ n: number }>`
    WITH leader AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(${CLAIM_PURGE_LOCK_KEY}) AS ok),
    gone AS (
      DELETE FROM radiusd_session_claims WHERE id IN (
        SELECT c.id FROM radiusd_session_claims c, leader
        WHERE leader.ok AND c.expires_at < now() LIMIT ${batch}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`.execute(db)
  return result.rows[0]?.n ?? 0
}

export interface EnforcerOptions {
  readonly db: Kysely<Database>
  readonly coa: CoaClient
  readonly log: Logger
  readonly metrics: RadiusMetrics
  /** @defaultValue 2000 */
  readonly intervalMs?: number
  /** @defaultValue 30000 */
  readonly repeatAfterMs?: number
  /** Expired claims deleted per statement. @defaultValue 1000 */
  readonly purgeBatch?: number
  /** Purge statements per tick at most (the rest waits for the next tick). @defaultValue 10 */
  readonly purgeBatchesPerTick?: number
}

export interface Enforcer {
  /** Runs one pass now; resolves with the number of Disconnect-Requests sent. */
  runOnce(): Promise<number>
  /** Purges expired session claims now; resolves with the number deleted. */
  purgeOnce(): Promise<number>
  close(): Promise<void>
}

export function startEnforcer(options: EnforcerOptions): Enforcer {
  const { db, coa, log, metrics } = options
  const recent = new Map<string, number>()
  const repeatAfter = options.repeatAfterMs ?? 30_000
  let running: Promise<number> | undefined

  async function pass(): Promise<number> {
    const now = Date.now()
    for (const [id, at] of recent) if (now - at > repeatAfter) recent.delete(id)
    const rows = await db.transaction().execute((trx) => listSessionsToEndAcrossTenants(trx, ENFORCEMENT_LOCK_KEY))
    const due = rows.filter((r) => !recent.has(r.acctuniqueid))
    await Promise.all(due.map(async (row) => {
      recent.set(row.acctuniqueid, now)
      const result = await coa.disconnect({ nasIp: row.nas_ip, port: row.coa_port, secret: row.secret, attributes: {
        'User-Name': row.username, 'Acct-Session-Id': row.acctsessionid,
        ...(row.framedipaddress ? { 'Framed-IP-Address': row.framedipaddress } : {}),
      } })
      metrics.disconnects.inc({ reason: row.reason, result: result.kind })
      // The router's answer also feeds its CoA success rate on the dashboard; counting never stops enforcement.
      await recordCoaOutcomeAcrossTenants(db, row.nas_ip, result.kind).catch((err: unknown) => log.warn({ err, nasIp: row.nas_ip }, 'CoA outcome not counted'))
      log.info({ nasIp: row.nas_ip, user: row.username, session: row.acctsessionid, reason: row.reason, result }, 'disconnect sent')
    }))
    return due.length
  }

  const purgeBatch = options.purgeBatch ?? 1000
  const purgeBatches = options.purgeBatchesPerTick ?? 10
  async function purge(): Promise<number> {
    let total = 0
    for (let i = 0; i < purgeBatches; i++) {
      const n = await purgeExpiredClaims(db, purgeBatch)
      total += n
      if (n < purgeBatch) break
    }
    return total
  }

  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => { running = undefined })
    return running
  }
  let purging: Promise<number> | undefined
  const purgeOnce = (): Promise<number> => {
    purging ??= purge().finally(() => { purging = undefined })
    return purging
  }
  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => {
      metrics.dbErrors.inc({ operation: 'enforcement' })
      log.warn({ err }, 'enforcement pass failed')
    })
    purgeOnce().catch((err: unknown) => {
      metrics.dbErrors.inc({ operation: 'claim-purge' })
      log.warn({ err }, 'session claim purge failed')
    })
  }, options.intervalMs ?? 2000)
  timer.unref()
  return {
    runOnce,
    purgeOnce,
    async close() {
      clearInterval(timer)
      await running?.catch(() => 0)
      await purging?.catch(() => 0)
    },
  }
}
