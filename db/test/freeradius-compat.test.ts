/**
 * Our rad* tables against FreeRADIUS's own schema.sql (Debian package freeradius-postgresql): every column
 * FreeRADIUS has must exist with the same type, nullability and default, every index it ships must exist with
 * the same definition, and every column we add must be nullable so stock INSERTs keep working.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'

const SCHEMA_SQL = '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql'
const TABLES = ['radacct', 'radcheck', 'radreply', 'radgroupcheck', 'radgroupreply', 'radusergroup', 'radpostauth', 'nas', 'nasreload']

interface Column { table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; character_maximum_length: number | null }

async function columns(db: Kysely<any>): Promise<Column[]> {
  const r = await sql<Column>`
    SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY(${TABLES})
    ORDER BY table_name, ordinal_position`.execute(db)
  return r.rows
}

async function indexes(db: Kysely<any>): Promise<Map<string, string>> {
  const r = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(${TABLES})`.execute(db)
  return new Map(r.rows.map((row) => [row.indexname, row.indexdef]))
}

let ours: TestDatabase
let theirs: TestDatabase
beforeAll(async () => {
  ours = await createTestDatabase('compat_ours')
  theirs = await createTestDatabase('compat_freeradius', { migrate: false })
  await sql.raw(readFileSync(SCHEMA_SQL, 'utf8')).execute(theirs.db)
})
afterAll(async () => {
  await ours?.destroy()
  await theirs?.destroy()
})

describe('FreeRADIUS 3.2 schema compatibility', () => {
  it('has every FreeRADIUS column with the same type, nullability and default', async () => {
    const mine = new Map((await columns(ours.db)).map((c) => [`${c.table_name}.${c.column_name}`, c]))
    const reference = await columns(theirs.db)
    expect(reference.length).toBeGreaterThan(50)
    const differences: string[] = []
    for (const col of reference) {
      const key = `${col.table_name}.${col.column_name}`
      const m = mine.get(key)
      if (!m) { differences.push(`${key} missing`); continue }
      for (const field of ['data_type', 'is_nullable', 'column_default', 'character_maximum_length'] as const) {
        if (m[field] !== col[field]) differences.push(`${key}.${field}: ours ${m[field]} vs FreeRADIUS ${col[field]}`)
      }
    }
    expect(differences).toEqual([])
  })

  it('adds only nullable columns, so stock INSERTs still work', async () => {
    const reference = new Set((await columns(theirs.db)).map((c) => `${c.table_name}.${c.column_name}`))
    const extras = (await columns(ours.db)).filter((c) => !reference.has(`${c.table_name}.${c.column_name}`))
    expect(extras.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual([
      'nas.hotspot_id', 'nas.tenant_id', 'radacct.tenant_id', 'radcheck.managed_by', 'radcheck.tenant_id',
      'radgroupcheck.managed_by', 'radgroupcheck.tenant_id', 'radgroupreply.managed_by', 'radgroupreply.tenant_id',
      'radpostauth.tenant_id', 'radreply.managed_by', 'radreply.tenant_id', 'radusergroup.managed_by', 'radusergroup.tenant_id',
    ])
    expect(extras.every((c) => c.is_nullable === 'YES')).toBe(true)
  })

  it('has every FreeRADIUS index with the same definition', async () => {
    const mine = await indexes(ours.db)
    const reference = await indexes(theirs.db)
    expect(reference.size).toBeGreaterThanOrEqual(14)
    const differences: string[] = []
    for (const [name, def] of reference) {
      if (mine.get(name) !== def) differences.push(`${name}: ours ${mine.get(name) ?? 'missing'} vs FreeRADIUS ${def}`)
    }
    expect(differences).toEqual([])
  })

  it('accepts the stock queries.conf accounting Start insert unchanged', async () => {
    // Stock INSERT from queries.conf (accounting start, query 1), values filled in as rlm_sql would.
    await sql.raw(`
      INSERT INTO radacct (AcctSessionId, AcctUniqueId, UserName, Realm, NASIPAddress, NASPortId, NASPortType,
        AcctStartTime, AcctUpdateTime, AcctStopTime, AcctSessionTime, AcctAuthentic, ConnectInfo_start,
        ConnectInfo_stop, AcctInputOctets, AcctOutputOctets, CalledStationId, CallingStationId, AcctTerminateCause,
        ServiceType, FramedProtocol, FramedIPAddress, FramedIPv6Address, FramedIPv6Prefix, FramedInterfaceId,
        DelegatedIPv6Prefix)
      VALUES ('80100014', 'baf56d545295c3594bcd0e562847bcf2', 'thepumper', NULLIF('', ''), '10.0.0.1',
        'vlan888-hotspot', 'Wireless-802.11', TO_TIMESTAMP(1764150000), TO_TIMESTAMP(1764150000), NULL, 0, '', '',
        NULL, 0, 0, 'hs-vlan888-hotspot', 'BC:24:11:EB:56:4D', NULL, '', '', NULLIF('10.5.88.2', '')::inet,
        NULLIF('', '')::inet, NULLIF('', '')::inet, '', NULLIF('', '')::inet)
      ON CONFLICT (AcctUniqueId) DO UPDATE SET AcctStartTime = TO_TIMESTAMP(1764150000)
        WHERE radacct.AcctStopTime IS NULL`).execute(ours.db)
    const row = await ours.db.selectFrom('radacct').selectAll().executeTakeFirstOrThrow()
    expect(row.acctuniqueid).toBe('baf56d545295c3594bcd0e562847bcf2')
    expect(row.tenant_id).toBeNull()
  })
})
