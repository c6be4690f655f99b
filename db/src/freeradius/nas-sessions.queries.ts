/**
 * radacct per NAS, for reconciling a router's own session list with accounting (ghost sessions) and for router
 * health. A NAS is identified by its address as radacct stores it (`nasipaddress`, the hotspot's `nas_ip`).
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'

/** An open radacct row on one NAS, with what matching it to a router session needs. */
export interface OpenNasSession {
  radacctid: number
  acctsessionid: string
  username: string | null
  framedipaddress: string | null
  callingstationid: string | null
  framedprotocol: string | null
  acctstarttime: Date | null
}

/** A tenant's open sessions on `nasIp`. */
export async function listOpenSessionsOnNas(db: Executor, tenantId: string, nasIp: string): Promise<OpenNasSession[]> {
  return db.selectFrom('radacct')
    .select(['radacctid', 'acctsessionid', 'username', (eb) => eb.fn<string | null>('host', [eb.ref('framedipaddress')]).as('framedipaddress'), 'callingstationid', 'framedprotocol', 'acctstarttime'])
    .where('tenant_id', '=', tenantId).where('nasipaddress', '=', nasIp).where('acctstoptime', 'is', null).orderBy('radacctid').execute()
}

/**
 * Closes open rows the router no longer has. The stop time is the last moment accounting heard of the session
 * (its last interim, else its start) — it ended somewhere after that; session time and octets stay as the last
 * update left them, as FreeRADIUS's own stale-session handling does. `acctterminatecause` says why.
 * Only still-open rows change, so a Stop that arrived meanwhile wins and running this twice is harmless.
 * @returns the ids closed.
 */
export async function closeStaleSessions(db: Executor, tenantId: string, radacctIds: readonly number[], cause: string): Promise<number[]> {
  if (radacctIds.length === 0) return []
  const rows = await db.updateTable('radacct')
    .set({ acctstoptime: sql`coalesce(acctupdatetime, acctstarttime, now())`, acctterminatecause: cause })
    .where('tenant_id', '=', tenantId).where('radacctid', 'in', [...radacctIds]).where('acctstoptime', 'is', null)
    .returning('radacctid').execute()
  return rows.map((r) => r.radacctid).sort((a, b) => a - b)
}

/** Accounting activity of one NAS: the newest session start and the newest interim/stop seen. */
export async function findNasAccountingActivity(db: Executor, tenantId: string, nasIp: string): Promise<{ lastStart: Date | null; lastUpdate: Date | null; open: number }> {
  const row = await db.selectFrom('radacct').where('tenant_id', '=', tenantId).where('nasipaddress', '=', nasIp)
    .select((eb) => [
      eb.fn.max('acctstarttime').as('lastStart'), eb.fn.max('acctupdatetime').as('lastUpdate'),
      eb.fn.count<string>('radacctid').filterWhere('acctstoptime', 'is', null).as('open'),
    ]).executeTakeFirstOrThrow()
  return { lastStart: (row.lastStart as Date | null) ?? null, lastUpdate: (row.lastUpdate as Date | null) ?? null, open: Number(row.open) }
}
