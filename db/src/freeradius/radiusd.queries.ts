/**
 * Queries radiusd runs off its hot path: the NAS client list and the sessions expiry enforcement must end.
 * (The hot path itself — radiusd_authorize() and radiusd_accounting() — is called from radiusd/src/store/.)
 */
import { sql } from 'kysely'
import type { Executor } from '../executor.js'

/** A RADIUS client: a `nas` row with the flags of the hotspot it mirrors (NULLs for operator rows). */
export interface NasClientRow {
  id: number
  nasname: string
  secret: string
  shortname: string
  tenant_id: string | null
  /** The tenant's IANA time zone (Login-Time is read in it); null for a tenant-less operator row. */
  timezone: string | null
  hotspot_id: string | null
  /** The hotspot's flag, or for a row without a hotspot the one radiusd learned (radiusd_nas_flags). */
  require_message_authenticator: boolean
  mac_auth_enabled: boolean | null
  acct_interim_interval: number | null
  idle_timeout: number | null
  coa_port: number | null
}

/** Every NAS client, whatever its tenant: the packet source decides the tenant. */
export async function listNasClientsAcrossTenants(db: Executor): Promise<NasClientRow[]> {
  return db.selectFrom('nas as n').leftJoin('hotspots as h', 'h.id', 'n.hotspot_id')
    .leftJoin('radiusd_nas_flags as f', 'f.nas_id', 'n.id')
    .leftJoin('tenants as t', 't.id', 'n.tenant_id')
    .select(['n.id', 'n.nasname', 'n.secret', 'n.shortname', 'n.tenant_id', 't.timezone', 'n.hotspot_id',
      sql<boolean>`coalesce(h.require_message_authenticator, f.require_message_authenticator, false)`.as('require_message_authenticator'),
      'h.mac_auth_enabled', 'h.acct_interim_interval', 'h.idle_timeout', 'h.coa_port'])
    .orderBy('n.id').execute()
}

/**
 * Message-Authenticator "auto" mode: remembers that NAS `nasId` must send Message-Authenticator from now on —
 * on its hotspot when one mirrors it, else in radiusd_nas_flags (with the nas row's own tenant). Either
 * write NOTIFYs mnetifi_nas_changed, so every replica reloads. Idempotent.
 */
export async function rememberNasRequiresMessageAuthenticatorAcrossTenants(db: Executor, nasId: number): Promise<void> {
  await sql`
    WITH n AS (SELECT id, tenant_id, hotspot_id FROM nas WHERE id = ${nasId}),
      hotspot AS (UPDATE hotspots h SET require_message_authenticator = true FROM n
        WHERE h.id = n.hotspot_id AND NOT h.require_message_authenticator)
    INSERT INTO radiusd_nas_flags (nas_id, tenant_id, require_message_authenticator)
      SELECT id, tenant_id, true FROM n WHERE hotspot_id IS NULL
    ON CONFLICT (nas_id) DO UPDATE SET require_message_authenticator = true, updated_at = now()
      WHERE NOT radiusd_nas_flags.require_message_authenticator`.execute(db)
}

/** An open session whose user may no longer be online, with what a Disconnect-Request needs. */
export interface SessionToEndRow {
  radacctid: number
  acctuniqueid: string
  acctsessionid: string
  username: string
  framedipaddress: string | null
  nas_ip: string
  coa_port: number
  secret: string
  reason: 'expired' | 'suspended' | 'no-plan' | 'plan-changed' | 'tenant-blocked'
}

/**
 * Open radacct sessions of native users who are expired, suspended, without a usable plan, moved to another plan
 * (the Class radiusd issued names the old one) or whose tenant is BLOCKED, across tenants. `leaderLockKey` makes
 * one radiusd replica do this per tick (pg_try_advisory_xact_lock); the others get no rows.
 */
export async function listSessionsToEndAcrossTenants(db: Executor, leaderLockKey: number): Promise<SessionToEndRow[]> {
  const result = await sql<SessionToEndRow>`
    WITH leader AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(${leaderLockKey}) AS ok)
    SELECT a.radacctid, a.acctuniqueid, a.acctsessionid, a.username, host(a.framedipaddress) AS framedipaddress,
      host(h.nas_ip) AS nas_ip, h.coa_port, h.radius_secret AS secret,
      CASE WHEN t.saas_billing_status = 'BLOCKED' THEN 'tenant-blocked'
           WHEN u.status = 'SUSPENDED' THEN 'suspended'
           WHEN p.id IS NULL OR NOT p.is_active OR p.archived_at IS NOT NULL
             OR NOT (u.account_type = ANY (p.account_types)) THEN 'no-plan'
           WHEN u.expiry_time IS NULL OR u.expiry_time <= now() THEN 'expired'
           ELSE 'plan-changed' END AS reason
    FROM radacct a
    JOIN hotspots h ON h.nas_ip = a.nasipaddress AND h.tenant_id = a.tenant_id AND h.archived_at IS NULL
    JOIN wifi_users u ON u.tenant_id = a.tenant_id AND u.username = a.username
    JOIN tenants t ON t.id = a.tenant_id
    LEFT JOIN plans p ON p.id = u.current_plan_id
    WHERE (SELECT ok FROM leader)
      AND a.acctstoptime IS NULL AND a.tenant_id IS NOT NULL
      AND (t.saas_billing_status = 'BLOCKED' OR u.status = 'SUSPENDED' OR u.expiry_time IS NULL
        OR u.expiry_time <= now() OR p.id IS NULL OR NOT p.is_active OR p.archived_at IS NOT NULL
        OR NOT (u.account_type = ANY (p.account_types))
        OR (a.class LIKE 'mnetifi:%' AND split_part(a.class, ':', 4) <> p.id::text))`.execute(db)
  return result.rows
}
