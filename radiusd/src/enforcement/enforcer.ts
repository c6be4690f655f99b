/**
 * Expiry enforcement: every `intervalMs`, find open sessions whose user is expired, suspended, without a usable
 * plan, moved to another plan, or whose tenant is BLOCKED, and send the NAS a Disconnect-Request
 * (User-Name + Acct-Session-Id + Framed-IP-Address, which MikroTik hotspot and PPP both honour — digest §4.6).
 * Session-Timeout covers the normal case; this covers plan changes and admin actions, and ends a session within
 * about `intervalMs` + one CoA round trip of its expiry.
 *
 * One replica per tick does the work (an advisory lock in the query), so several radiusd processes can run.
 * A session already disconnected is not asked again for `repeatAfterMs` (its Accounting-Stop is on the way).
 */
import { listSessionsToEndAcrossTenants, type Database } from '@mnetifi/db'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { CoaClient } from '../coa/client.js'
import type { RadiusMetrics } from '../metrics.js'

/** Advisory lock key shared by every radiusd replica ('radiusd-enforce'). */
export const ENFORCEMENT_LOCK_KEY = 0x7261_6431

export interface EnforcerOptions {
  readonly db: Kysely<Database>
  readonly coa: CoaClient
  readonly log: Logger
  readonly metrics: RadiusMetrics
  /** @defaultValue 2000 */
  readonly intervalMs?: number
  /** @defaultValue 30000 */
  readonly repeatAfterMs?: number
}

export interface Enforcer {
  /** Runs one pass now; resolves with the number of Disconnect-Requests sent. */
  runOnce(): Promise<number>
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
      log.info({ nasIp: row.nas_ip, user: row.username, session: row.acctsessionid, reason: row.reason, result }, 'disconnect sent')
    }))
    return due.length
  }

  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => { running = undefined })
    return running
  }
  const timer = setInterval(() => {
    runOnce().catch((err: unknown) => {
      metrics.dbErrors.inc({ operation: 'enforcement' })
      log.warn({ err }, 'enforcement pass failed')
    })
  }, options.intervalMs ?? 2000)
  timer.unref()
  return {
    runOnce,
    async close() {
      clearInterval(timer)
      await running?.catch(() => 0)
    },
  }
}
