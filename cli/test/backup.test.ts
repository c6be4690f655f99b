/**
 * `mnetifi backup` / `restore` round trip with the real pg_dump and pg_restore: every table comes back with the
 * same rows (the month partitions of the accounting archive included), a paying customer's RADIUS login and expiry are unchanged, sealed secrets are byte-identical and
 * still open with the same key, and a restore that cannot run leaves the target as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretBox, generateSecretKey, type Database } from '@mnetifi/db'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import { main } from '../src/main.js'

let source: TestDatabase
let target: TestDatabase
const dir = mkdtempSync(join(tmpdir(), 'mnetifi-backup-'))
const key = generateSecretKey('k1')
const file = join(dir, 'nightly.dump')

async function run(url: string, ...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { DATABASE_URL: url, MNETIFI_SECRET_KEY: key, NODE_ENV: 'test' }, (l) => out.push(l), (l) => err.push(l))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Row count of every MnetiFi table (and FreeRADIUS's), by name. */
async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`.execute(db)
  const out: Record<string, number> = {}
  for (const { tablename } of tables.rows) {
    out[tablename] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(tablename)}`.execute(db)).rows[0]!.n)
  }
  return out
}

const login = (db: Kysely<Database>) =>
  sql<{ attribute: string; op: string; value: string }>`SELECT attribute, op, value FROM radcheck WHERE username = 'paid-customer' ORDER BY attribute`.execute(db)

beforeAll(async () => {
  source = await createTestDatabase('cli_backup')
  target = await createTestDatabase('cli_restore', { migrate: false })
  const tenant = await insertTestTenant(source.db, { name: 'Backup ISP' })
  const box = createSecretBox(key)
  await source.db.updateTable('tenants').set({ mpesa_credentials: box.encrypt('daraja-secret', `tenants.mpesa_credentials:${tenant.id}`) }).where('id', '=', tenant.id).execute()
  await insertTestHotspot(source.db, tenant.id, { nas_ip: '10.9.0.1' })
  const plan = await insertTestPlan(source.db, tenant.id)
  await insertTestUser(source.db, tenant.id, { username: 'paid-customer', password: 'pw-123456', current_plan_id: plan.id, expiry_time: new Date('2031-01-01T00:00:00Z') })
  await source.db.insertInto('transactions').values({ tenant_id: tenant.id, user_phone: '254700000001', amount: 2000, status: 'COMPLETED', completed_at: new Date() }).execute()
  await source.db.insertInto('radacct').values({ acctsessionid: 's1', acctuniqueid: 'u-s1', username: 'paid-customer', nasipaddress: '10.9.0.1', tenant_id: tenant.id, acctstarttime: new Date() }).execute()
  // A session from August 2026, long closed: `mnetifi accounting archive` moves it into a month partition.
  await source.db.insertInto('radacct').values({ acctsessionid: 's0', acctuniqueid: 'u-s0', username: 'paid-customer', nasipaddress: '10.9.0.1', tenant_id: tenant.id,
    acctstarttime: new Date('2026-08-10T08:00:00Z'), acctstoptime: new Date('2026-08-10T09:00:00Z'), acctsessiontime: 3600 }).execute()
}, 60_000)

afterAll(async () => {
  await source?.destroy()
  await target?.destroy()
  rmSync(dir, { recursive: true, force: true })
})

describe('mnetifi backup / restore', () => {
  it('round-trips every row, the paid user’s login and the sealed secrets', async () => {
    const archived = await run(source.url, 'accounting', 'archive')
    expect(archived).toEqual({ code: 0, err: '', out: [
      'moved 1 session(s) that stopped more than 35 days ago to radacct_archive',
      'retention dropped nothing',
      'radacct: 1 row(s); radacct_archive: 1 row(s) in 1 month(s) (radacct_archive_2026_08 … radacct_archive_2026_08)',
    ].join('\n') })
    const made = await run(source.url, 'backup', '--out', file)
    expect(made.code).toBe(0)
    expect(made.out).toMatch(/^backup written: .+nightly\.dump \(\d+ KB\); secrets inside stay sealed with MNETIFI_SECRET_KEY$/)
    const restored = await run(target.url, 'restore', file, '--yes')
    expect(restored).toMatchObject({ code: 0, out: `restored ${file}` })

    const before = await counts(source.db)
    expect(before.wifi_users).toBe(1)
    expect(before).toMatchObject({ radacct: 1, radacct_archive: 1, radacct_archive_2026_08: 1, radacct_archived_totals: 1 })
    expect(await counts(target.db)).toEqual(before)
    expect((await login(target.db)).rows).toEqual((await login(source.db)).rows)
    expect((await login(target.db)).rows).toContainEqual({ attribute: 'Cleartext-Password', op: ':=', value: 'pw-123456' })
    const user = await target.db.selectFrom('wifi_users').select(['expiry_time', 'status']).where('username', '=', 'paid-customer').executeTakeFirstOrThrow()
    expect(user).toEqual({ expiry_time: new Date('2031-01-01T00:00:00Z'), status: 'ACTIVE' })
    const sealed = (db: Kysely<Database>) => db.selectFrom('tenants').select(['id', 'mpesa_credentials']).executeTakeFirstOrThrow()
    const [a, b] = await Promise.all([sealed(source.db), sealed(target.db)])
    expect(b).toEqual(a)
    expect(createSecretBox(key).decrypt(b.mpesa_credentials!, `tenants.mpesa_credentials:${b.id}`)).toBe('daraja-secret')
    // The restored database is a working MnetiFi database: migrations find nothing to do.
    expect((await run(target.url, 'migrate', 'up')).out).toBe('database is up to date')
  })

  it('asks for --yes, and a broken dump changes nothing', async () => {
    const unconfirmed = await run(target.url, 'restore', file)
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.err).toContain('add --yes to confirm')
    const broken = join(dir, 'broken.dump')
    writeFileSync(broken, 'PGDMP this is not a dump')
    const before = await counts(target.db)
    const failed = await run(target.url, 'restore', broken, '--yes')
    expect(failed.code).toBe(1)
    expect(failed.err).toContain('restore failed; the target database is unchanged')
    expect(failed.err).not.toContain('postgres://')
    expect(await counts(target.db)).toEqual(before)
  })
})
