/**
 * rlm_sqlcounter counters on operator rows, end to end: radtest against a real radiusd over radacct rows inserted
 * here. The tenant's zone is Africa/Nairobi (UTC+3, no DST), so day and month boundaries are computed below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'
import { archiveAccountingAcrossPlatform, type TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { radtest, startTestRadiusd, type RadclientReply } from '../helper.js'

const SECRET = 'testing123'
const NAIROBI = 3 * 3600
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
let otherTenant: TenantRow

beforeAll(async () => {
  t = await createTestDatabase('radiusd_sqlcounter')
  tenant = await insertTestTenant(t.db)
  otherTenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id)
  await t.db.updateTable('tenants').set({ timezone: 'Africa/Nairobi' }).where('id', '=', tenant.id).execute()
  radiusd = await startTestRadiusd(t)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

const nowS = () => Math.floor(Date.now() / 1000)
/** Nairobi's midnight at or before `s`, and the next one. */
const dayStart = (s: number) => Math.floor((s + NAIROBI) / 86400) * 86400 - NAIROBI
const monthStart = (s: number) => {
  const local = new Date((s + NAIROBI) * 1000)
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) / 1000 - NAIROBI
}

async function rows(table: string, values: [string, string, string, string][], tenantId = tenant.id) {
  for (const [key, attribute, op, value] of values) {
    const keyColumn = table.startsWith('radgroup') ? 'groupname' : 'username'
    await sql`INSERT INTO ${sql.table(table)} (${sql.ref(keyColumn)}, attribute, op, value, tenant_id) VALUES (${key}, ${attribute}, ${op}, ${value}, ${tenantId})`.execute(t.db)
  }
}

let sessionSeq = 0
/** A closed radacct row: started at `start` (epoch s), `seconds` long, with octets. */
async function session(username: string, start: number, seconds: number, octets: [number, number] = [0, 0], tenantId = tenant.id) {
  const id = `s${++sessionSeq}`
  await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctstoptime, acctupdatetime,
      acctsessiontime, acctinputoctets, acctoutputoctets, tenant_id)
    VALUES (${id}, ${'u-' + id}, ${username}, '127.0.0.1', to_timestamp(${start}), to_timestamp(${start + seconds}), to_timestamp(${start + seconds}),
      ${seconds}, ${octets[0]}, ${octets[1]}, ${tenantId})`.execute(t.db)
}

const attribute = (reply: RadclientReply, name: string) => reply.attributes.find(([n]) => n === name)?.[1]
const messages = (reply: RadclientReply) => reply.attributes.filter(([n]) => n === 'Reply-Message').map(([, v]) => v)

describe('rlm_sqlcounter on operator rows (Debian PostgreSQL counter queries, Nairobi boundaries)', () => {
  it('Max-Daily-Session: only today\'s part of a session across midnight counts; at the limit a readable reject', async () => {
    const midnight = dayStart(nowS())
    await rows('radcheck', [['dailyout', 'Cleartext-Password', ':=', 'x'], ['dailyout', 'Max-Daily-Session', ':=', '600']])
    await session('dailyout', midnight - 1000, 1300) // 300 s after midnight
    await session('dailyout', midnight + 10, 300)
    await session('dailyout', midnight - 5000, 1000) // yesterday: not counted
    const reply = await radtest('dailyout', 'x', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Reject')
    expect(messages(reply)).toEqual(['Your maximum daily usage time has been reached'])
  })

  it('Max-Daily-Session under the limit: Session-Timeout is what is left (or, near midnight, the time to it plus the limit)', async () => {
    await rows('radcheck', [['dailyin', 'Cleartext-Password', ':=', 'x'], ['dailyin', 'Max-Daily-Session', ':=', '3600']])
    const midnight = dayStart(nowS())
    await session('dailyin', midnight - 100, 400) // 300 s today
    // The same username in another tenant is another user.
    await session('dailyin', midnight + 1, 3000, [0, 0], otherTenant.id)
    const expected = (s: number) => {
      const toReset = dayStart(s) + 86400 - s
      const left = 3600 - (dayStart(s) === midnight ? 300 : 0)
      return left >= toReset ? toReset + 3600 : left
    }
    const before = nowS()
    const reply = await radtest('dailyin', 'x', radiusd.authPort, SECRET)
    const after = nowS()
    expect(reply.code).toBe('Access-Accept')
    const timeout = Number(attribute(reply, 'Session-Timeout'))
    expect(timeout).toBeGreaterThanOrEqual(Math.min(expected(before), expected(after)))
    expect(timeout).toBeLessThanOrEqual(Math.max(expected(before), expected(after)))
  })

  it('Max-Monthly-Session from a group: sessions since the 1st (Nairobi) count', async () => {
    await rows('radcheck', [['monthly', 'Cleartext-Password', ':=', 'x']])
    await sql`INSERT INTO radusergroup (username, groupname, priority, tenant_id) VALUES ('monthly', 'monthly-plan', 1, ${tenant.id})`.execute(t.db)
    await rows('radgroupcheck', [['monthly-plan', 'Max-Monthly-Session', ':=', '1000']])
    const start = monthStart(nowS())
    await session('monthly', start - 2000, 2500) // 500 s this month
    await session('monthly', start + 5, 500)
    const reply = await radtest('monthly', 'x', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Reject')
    expect(messages(reply)).toEqual(['Your maximum monthly usage time has been reached'])
  })

  it('Max-All-Session (PHPNuxBill time plans): every session counts; under it, Session-Timeout = the rest exactly', async () => {
    await rows('radcheck', [['allout', 'Cleartext-Password', ':=', 'x'], ['allout', 'Max-All-Session', ':=', '3000'],
      ['allin', 'Cleartext-Password', ':=', 'x'], ['allin', 'Max-All-Session', ':=', '5000']])
    for (const user of ['allout', 'allin']) {
      await session(user, nowS() - 400 * 86400, 1000)
      await session(user, nowS() - 3600, 2000)
    }
    const out = await radtest('allout', 'x', radiusd.authPort, SECRET)
    expect(out.code).toBe('Access-Reject')
    expect(messages(out)).toEqual(['Your maximum usage time has been reached'])
    const inside = await radtest('allin', 'x', radiusd.authPort, SECRET)
    expect(inside.code).toBe('Access-Accept')
    expect(attribute(inside, 'Session-Timeout')).toBe('2000')
  })

  it('Expire-After (expire_on_login): a first login long ago is rejected; a recent one gets the rest of the period', async () => {
    await rows('radcheck', [['expiredlogin', 'Cleartext-Password', ':=', 'x'], ['expiredlogin', 'Expire-After', ':=', '604800'],
      ['freshlogin', 'Cleartext-Password', ':=', 'x'], ['freshlogin', 'Expire-After', ':=', '3600'],
      ['neverlogin', 'Cleartext-Password', ':=', 'x'], ['neverlogin', 'Expire-After', ':=', '3600']])
    await session('expiredlogin', nowS() - 10 * 86400, 60)
    await session('expiredlogin', nowS() - 60, 30)
    const first = nowS() - 100
    await session('freshlogin', first, 50)

    const gone = await radtest('expiredlogin', 'x', radiusd.authPort, SECRET)
    expect(gone.code).toBe('Access-Reject')
    expect(messages(gone)).toEqual(['Your access period has ended'])

    const before = nowS()
    const fresh = await radtest('freshlogin', 'x', radiusd.authPort, SECRET)
    const after = nowS()
    expect(fresh.code).toBe('Access-Accept')
    const timeout = Number(attribute(fresh, 'Session-Timeout'))
    expect(timeout).toBeGreaterThanOrEqual(3600 - (after - first))
    expect(timeout).toBeLessThanOrEqual(3600 - (before - first))

    const never = await radtest('neverlogin', 'x', radiusd.authPort, SECRET)
    expect(attribute(never, 'Session-Timeout')).toBe('3600')
  })

  it('Max-Data (PHPNuxBill\'s quotalimit): input + output octets; Mikrotik-Total-Limit = the rest; used up ⇒ reject', async () => {
    await rows('radcheck', [['datain', 'Cleartext-Password', ':=', 'x'], ['datain', 'Max-Data', ':=', '1000000000'],
      ['dataout', 'Cleartext-Password', ':=', 'x'], ['dataout', 'Max-Data', ':=', '500000000']])
    for (const user of ['datain', 'dataout']) {
      await session(user, nowS() - 7200, 600, [300_000_000, 150_000_000])
      await session(user, nowS() - 3600, 600, [20_000_000, 30_000_000])
    }
    const inside = await radtest('datain', 'x', radiusd.authPort, SECRET)
    expect(inside.code).toBe('Access-Accept')
    expect(attribute(inside, 'Mikrotik-Total-Limit')).toBe('500000000')
    const out = await radtest('dataout', 'x', radiusd.authPort, SECRET)
    expect(out.code).toBe('Access-Reject')
    expect(messages(out)).toEqual(['Your maximum data usage has been reached'])
  })

  it('archived sessions, and sessions whose archive month retention dropped, still count toward the all-time counters', async () => {
    await rows('radcheck', [['archtime', 'Cleartext-Password', ':=', 'x'], ['archtime', 'Max-All-Session', ':=', '5000'],
      ['archdata', 'Cleartext-Password', ':=', 'x'], ['archdata', 'Max-Data', ':=', '1000000000'],
      ['archfirst', 'Cleartext-Password', ':=', 'x'], ['archfirst', 'Expire-After', ':=', String(400 * 86400 + 1000)]])
    await session('archtime', nowS() - 400 * 86400, 1000) // archived, then its month dropped
    await session('archtime', nowS() - 100 * 86400, 1500) // archived
    await session('archtime', nowS() - 3600, 500) // hot
    await session('archdata', nowS() - 400 * 86400, 60, [300_000_000, 100_000_000])
    await session('archdata', nowS() - 60 * 86400, 60, [100_000_000, 100_000_000])
    await session('archfirst', nowS() - 400 * 86400, 10)
    await session('archfirst', nowS() - 600, 10)
    const pass = await archiveAccountingAcrossPlatform(t.db, { hotDays: 35, retentionMonths: 6 })
    expect(pass.dropped.length).toBeGreaterThan(0)
    const left = await sql<{ hot: number; archived: number }>`SELECT
        (SELECT count(*)::int FROM radacct WHERE username LIKE 'arch%') AS hot,
        (SELECT count(*)::int FROM radacct_archive WHERE username LIKE 'arch%') AS archived`.execute(t.db)
    expect(left.rows[0]).toEqual({ hot: 2, archived: 2 })

    const time = await radtest('archtime', 'x', radiusd.authPort, SECRET)
    expect(time.code).toBe('Access-Accept')
    expect(attribute(time, 'Session-Timeout')).toBe('2000')
    const data = await radtest('archdata', 'x', radiusd.authPort, SECRET)
    expect(data.code).toBe('Access-Accept')
    expect(attribute(data, 'Mikrotik-Total-Limit')).toBe('400000000')
    const before = nowS()
    const first = await radtest('archfirst', 'x', radiusd.authPort, SECRET)
    const after = nowS()
    expect(first.code).toBe('Access-Accept')
    const timeout = Number(attribute(first, 'Session-Timeout'))
    // The first login is the one 400 days ago, whose partition is gone: about 1,000 s of the period are left.
    expect(timeout).toBeGreaterThanOrEqual(1000 - (after - before) - 2)
    expect(timeout).toBeLessThanOrEqual(1000)
  })
})

describe('User-Profile (rlm_sql read_profiles): the profile is a radusergroup pseudo-user whose groups apply after the user\'s', () => {
  it('sends the profile groups\' reply attributes after the user\'s own group, in one Access-Accept', async () => {
    await rows('radcheck', [['profiled', 'Cleartext-Password', ':=', 'x'], ['profiled', 'User-Profile', ':=', 'gold-profile']])
    await rows('radreply', [['profiled', 'Idle-Timeout', ':=', '120']])
    await sql`INSERT INTO radusergroup (username, groupname, priority, tenant_id) VALUES
      ('profiled', 'own-group', 1, ${tenant.id}), ('gold-profile', 'gold-speed', 1, ${tenant.id}), ('gold-profile', 'gold-extras', 2, ${tenant.id})`.execute(t.db)
    await rows('radgroupreply', [['own-group', 'Acct-Interim-Interval', ':=', '60'],
      ['gold-speed', 'Mikrotik-Rate-Limit', ':=', '5M/5M'], ['gold-speed', 'Idle-Timeout', '=', '999'], ['gold-speed', 'Fall-Through', '=', 'Yes'],
      ['gold-extras', 'Mikrotik-Address-List', ':=', 'gold']])
    // Another tenant's rows for the same profile name are not read.
    await rows('radgroupreply', [['gold-speed', 'Mikrotik-Group', ':=', 'other']], otherTenant.id)
    const reply = await radtest('profiled', 'x', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Accept')
    expect(reply.attributes.slice(1)).toEqual([['Idle-Timeout', '120'], ['Acct-Interim-Interval', '60'],
      ['Mikrotik-Rate-Limit', '5M/5M'], ['Mikrotik-Address-List', 'gold']])
  })

  it('applies counter check items of a profile group set from a group row', async () => {
    await rows('radcheck', [['profcount', 'Cleartext-Password', ':=', 'x']])
    await sql`INSERT INTO radusergroup (username, groupname, priority, tenant_id) VALUES
      ('profcount', 'sets-profile', 1, ${tenant.id}), ('hourly-profile', 'one-hour', 1, ${tenant.id})`.execute(t.db)
    await rows('radgroupcheck', [['sets-profile', 'User-Profile', ':=', 'hourly-profile'], ['one-hour', 'Max-All-Session', ':=', '3600']])
    await session('profcount', nowS() - 7200, 3000)
    const reply = await radtest('profcount', 'x', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Accept')
    expect(attribute(reply, 'Session-Timeout')).toBe('600')
  })
})
