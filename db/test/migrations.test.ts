import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { MIGRATIONS, migrateDown, migrateToLatest, migrationStatus } from '@mnetifi/migrations'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('migrations', { migrate: false }) })
afterAll(async () => { await t?.destroy() })

async function publicTables(): Promise<string[]> {
  const r = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(t.db)
  return r.rows.map((row) => row.tablename)
}

describe('migrations', () => {
  it('apply on an empty database, roll back completely, and re-apply', async () => {
    const applied = await migrateToLatest(t.db)
    expect(applied).toEqual(Object.keys(MIGRATIONS))
    const tables = await publicTables()
    expect(tables).toEqual([
      'admin_sessions', 'admin_users', 'audit_log', 'hotspots', 'ip_assignments', 'ip_pools', 'mpesa_status_queries', 'nas', 'nas_coa_stats',
      'nasreload', 'notification_outbox', 'notification_settings', 'notification_templates', 'one_time_codes', 'plans', 'radacct', 'radacct_archive', 'radacct_archived_totals', 'radcheck', 'radgroupcheck', 'radgroupreply', 'radiusd_nas_flags', 'radiusd_session_claims',
      'radpostauth', 'radreply', 'radusergroup', 'router_enforcements', 'saas_invoices', 'stk_early_callbacks', 'tenants', 'ticket_events', 'tickets', 'transactions', 'usage_daily',
      'usage_day_totals', 'usage_deltas', 'usage_tenant_day_users', 'usage_user_days', 'vouchers', 'wifi_user_devices', 'wifi_user_notification_prefs', 'wifi_users',
    ])

    const undone = await migrateDown(t.db, Infinity)
    expect(undone).toEqual(Object.keys(MIGRATIONS).reverse())
    expect(await publicTables()).toEqual([])
    const functions = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
      WHERE s.nspname = 'public' AND p.proname LIKE 'mnetifi_%'`.execute(t.db)
    expect(functions.rows[0]?.n).toBe(0)

    expect(await migrateToLatest(t.db)).toEqual(Object.keys(MIGRATIONS))
    expect(await publicTables()).toEqual(tables)
    const status = await migrationStatus(t.db)
    expect(status.every((m) => m.executedAt instanceof Date)).toBe(true)
    expect(await migrateToLatest(t.db)).toEqual([])
  })

  it('leave nas as truncatable as in FreeRADIUS: radiusd_nas_flags follows deletes and TRUNCATE instead of blocking them', async () => {
    const ids = (await sql<{ id: number }>`INSERT INTO nas (nasname, shortname, secret) VALUES ('10.9.0.1', 'a', 's'), ('10.9.0.2', 'b', 's') RETURNING id`
      .execute(t.db)).rows.map((r) => r.id)
    await sql`INSERT INTO radiusd_nas_flags (nas_id, require_message_authenticator) SELECT unnest(${ids}::int[]), true`.execute(t.db)
    await sql`DELETE FROM nas WHERE id = ${ids[0]}`.execute(t.db)
    const left = async () => (await sql<{ nas_id: number }>`SELECT nas_id FROM radiusd_nas_flags ORDER BY 1`.execute(t.db)).rows.map((r) => r.nas_id)
    expect(await left()).toEqual([ids[1]])
    await sql`TRUNCATE nas RESTART IDENTITY`.execute(t.db)
    expect(await left()).toEqual([])
  })
})
