import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { startFakeNas, type FakeNas } from '../helpers/fake-nas.js'
import { CLAIM_PURGE_LOCK_KEY, purgeExpiredClaims } from '../../src/enforcement/enforcer.js'
import { eventually, radclient, radtest, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
let nas: FakeNas

beforeAll(async () => {
  t = await createTestDatabase('radiusd_enforce')
  nas = await startFakeNas(SECRET)
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id, { coa_port: nas.port })
  radiusd = await startTestRadiusd(t, { RADIUS_ENFORCE_INTERVAL_MS: 500 })
})
afterAll(async () => { await radiusd?.close(); await nas?.close(); await t?.destroy() })

describe('expiry enforcement (Disconnect-Request to the NAS)', () => {
  it('ends an open session within 5 s of its user\'s expiry_time, identifying it by User-Name, Acct-Session-Id and Framed-IP-Address', async () => {
    const plan = await insertTestPlan(t.db, tenant.id)
    const expiry = new Date(Date.now() + 1500)
    await insertTestUser(t.db, tenant.id, { username: 'expiring', password: 'pw', current_plan_id: plan.id, expiry_time: expiry })
    await insertTestUser(t.db, tenant.id, { username: 'staying', password: 'pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    for (const [user, session, ip] of [['expiring', 'e1', '10.5.0.9'], ['staying', 's1', '10.5.0.10']]) {
      await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, framedipaddress, tenant_id, class)
        VALUES (${session}, ${'u-' + session}, ${user}, '127.0.0.1', now(), now(), ${ip}::inet, ${tenant.id}, ${`mnetifi:${tenant.id}:x:${plan.id}`})`.execute(t.db)
    }
    const deadline = expiry.getTime() + 5000
    while (nas.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(Date.now()).toBeLessThan(deadline)
    expect(Date.now()).toBeGreaterThanOrEqual(expiry.getTime())
    expect(nas.received).toHaveLength(1)
    expect(nas.received[0]!.packet.code).toBe(40)
    expect(Object.fromEntries(nas.received[0]!.packet.attributes)).toEqual({
      'User-Name': ['expiring'], 'Acct-Session-Id': ['e1'], 'Framed-IP-Address': ['10.5.0.9'] })
    // The router's answer is counted for its CoA success rate (the dashboard's router health).
    // Generous: under load the CoA client may only have its answer after a retransmission.
    const counted = Date.now() + 15_000
    let stats = await t.db.selectFrom('nas_coa_stats').selectAll().where('nas_ip', '=', '127.0.0.1').executeTakeFirst()
    while (!stats && Date.now() < counted) {
      await new Promise((r) => setTimeout(r, 50))
      stats = await t.db.selectFrom('nas_coa_stats').selectAll().where('nas_ip', '=', '127.0.0.1').executeTakeFirst()
    }
    expect(stats).toMatchObject({ tenant_id: tenant.id, requests: 1, acks: 1, naks: 0, timeouts: 0 })
  })
})

describe('session claim purge (enforcer tick)', () => {
  it('deletes expired claims in bounded batches, keeps live ones, and only one replica purges at a time', async () => {
    const plan = await insertTestPlan(t.db, tenant.id)
    await insertTestUser(t.db, tenant.id, { username: 'claimer', password: 'pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
    const claimsOf = async (username: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM radiusd_session_claims WHERE username = ${username}`.execute(t.db)).rows[0]!.n)
    // A real login leaves a live claim (30 s TTL) until its Accounting-Start.
    expect((await radtest('claimer', 'pw', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
    expect(await claimsOf('claimer')).toBe(1)

    // Another replica holds the purge lock: this one deletes nothing while it does.
    await t.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CLAIM_PURGE_LOCK_KEY})`.execute(trx)
      // 2,500 claims of users who never logged in again (more than two 1,000-row batches).
      await sql`INSERT INTO radiusd_session_claims (tenant_id, username, calling_station_id, nas_ip, expires_at)
        SELECT ${tenant.id}::uuid, 'gone' || g, 'AA:' || g, '127.0.0.1', now() - interval '1 minute' FROM generate_series(1, 2500) g`.execute(t.db)
      expect(await purgeExpiredClaims(t.db, 1000)).toBe(0)
    })
    expect(await eventually(async () => (await claimsOf('claimer')) === 1 &&
      Number((await sql<{ n: string }>`SELECT count(*) AS n FROM radiusd_session_claims`.execute(t.db)).rows[0]!.n) === 1, 5000)).toBe(true)

    // One statement deletes at most its batch.
    await sql`INSERT INTO radiusd_session_claims (tenant_id, username, nas_ip, expires_at)
      SELECT ${tenant.id}::uuid, 'old' || g, '127.0.0.1', now() - interval '1 minute' FROM generate_series(1, 5) g`.execute(t.db)
    expect(await purgeExpiredClaims(t.db, 2)).toBeLessThanOrEqual(2)
  })
})

describe('operator rows in rad* tables (FreeRADIUS rlm_sql semantics)', () => {
  async function rows(table: string, values: [string, string, string, string][]) {
    for (const [key, attribute, op, value] of values) {
      const keyColumn = table.startsWith('radgroup') ? 'groupname' : 'username'
      await sql`INSERT INTO ${sql.table(table)} (${sql.ref(keyColumn)}, attribute, op, value, tenant_id) VALUES (${key}, ${attribute}, ${op}, ${value}, ${tenant.id})`.execute(t.db)
    }
  }

  it('authorises a daloRADIUS-style user: group reply, user `=` beats group `=`, group `:=` overrides, Fall-Through to a second group', async () => {
    await rows('radcheck', [['olduser', 'Cleartext-Password', ':=', 'oldpw']])
    await rows('radreply', [['olduser', 'Idle-Timeout', '=', '120'], ['olduser', 'Acct-Interim-Interval', '=', '60'], ['olduser', 'Fall-Through', '=', 'Yes']])
    await sql`INSERT INTO radusergroup (username, groupname, priority, tenant_id) VALUES ('olduser', 'gold', 1, ${tenant.id}), ('olduser', 'extras', 2, ${tenant.id})`.execute(t.db)
    await rows('radgroupreply', [['gold', 'Idle-Timeout', '=', '999'], ['gold', 'Acct-Interim-Interval', ':=', '600'],
      ['gold', 'Mikrotik-Rate-Limit', '=', '3M/6M'], ['gold', 'Fall-Through', '=', 'Yes'], ['extras', 'Mikrotik-Address-List', '=', 'paid']])
    const reply = await radtest('olduser', 'oldpw', radiusd.authPort, SECRET)
    expect(reply.code).toBe('Access-Accept')
    expect(reply.attributes.slice(1)).toEqual([['Idle-Timeout', '120'], ['Acct-Interim-Interval', '600'],
      ['Mikrotik-Rate-Limit', '3M/6M'], ['Mikrotik-Address-List', 'paid']])
    expect((await radtest('olduser', 'wrong', radiusd.authPort, SECRET)).code).toBe('Access-Reject')
  })

  it('rejects Auth-Type := Reject with the operator\'s Reply-Message, an Expiration in the past, and a second session under Simultaneous-Use', async () => {
    await rows('radcheck', [['blocked', 'Cleartext-Password', ':=', 'x'], ['blocked', 'Auth-Type', ':=', 'Reject']])
    await rows('radreply', [['blocked', 'Reply-Message', ':=', 'Account closed by the ISP']])
    expect((await radtest('blocked', 'x', radiusd.authPort, SECRET)).attributes.slice(1)).toEqual([['Reply-Message', 'Account closed by the ISP']])

    await rows('radcheck', [['gone', 'Cleartext-Password', ':=', 'x'], ['gone', 'Expiration', ':=', 'Jan 01 2020 00:00:00 UTC']])
    expect((await radtest('gone', 'x', radiusd.authPort, SECRET)).code).toBe('Access-Reject')

    await rows('radcheck', [['soon', 'Cleartext-Password', ':=', 'x'], ['soon', 'Expiration', ':=', String(Math.floor(Date.now() / 1000) + 100)]])
    const soon = await radtest('soon', 'x', radiusd.authPort, SECRET)
    expect(Number(soon.attributes.find(([n]) => n === 'Session-Timeout')?.[1])).toBeLessThanOrEqual(100)

    await rows('radcheck', [['single', 'Cleartext-Password', ':=', 'x'], ['single', 'Simultaneous-Use', ':=', '1']])
    await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, tenant_id)
      VALUES ('z', 'u-z', 'single', '127.0.0.1', now(), now(), ${tenant.id})`.execute(t.db)
    const [denied] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = single\nUser-Password = x\nCalling-Station-Id = "AA:01"'])
    expect(denied?.attributes.slice(1)).toEqual([['Reply-Message', 'You are already logged in - access denied']])
  })

  it('ignores a check item with op `=` on Cleartext-Password (it never matches in FreeRADIUS either)', async () => {
    await rows('radcheck', [['badop', 'Cleartext-Password', '=', 'x']])
    expect((await radtest('badop', 'x', radiusd.authPort, SECRET)).code).toBe('Access-Reject')
  })

  it('checks PAP against hashed passwords migrated from daloRADIUS (MD5-Password, SSHA-Password with a salt)', async () => {
    const { createHash } = await import('node:crypto')
    const salt = Buffer.from('5a17', 'hex')
    const ssha = Buffer.concat([createHash('sha1').update('hashpw').update(salt).digest(), salt]).toString('base64')
    await rows('radcheck', [
      ['md5user', 'MD5-Password', ':=', createHash('md5').update('hashpw').digest('hex')],
      ['sshauser', 'SSHA-Password', ':=', ssha],
    ])
    expect((await radtest('md5user', 'hashpw', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
    expect((await radtest('md5user', 'nope', radiusd.authPort, SECRET)).code).toBe('Access-Reject')
    expect((await radtest('sshauser', 'hashpw', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
    expect((await radtest('sshauser', 'hashpw2', radiusd.authPort, SECRET)).code).toBe('Access-Reject')
  })

  it('checks PAP against Crypt-Password (daloRADIUS DES, {crypt} SHA-512-crypt) and rejects CHAP for such a user with a readable message', async () => {
    await rows('radcheck', [
      // Python `crypt.crypt('crypt-pw', 'SALT_DALORADIUS')`: what daloRADIUS writes (PHP crypt, DES salt "SA").
      ['cryptuser', 'Crypt-Password', ':=', 'SAy0b2iljUnAk'],
      // `openssl passwd -6 -salt saltsalt crypt-pw` behind rlm_pap's {crypt} header.
      ['sha512user', 'Password-With-Header', ':=', '{crypt}$6$saltsalt$Z0obe1tdhkfMWvzAZ4GPwvf8Oc51wuWIcx2X0o9mLIRHw8Vs6TT7XunSMGl8UnXIe0V9qSGr.aT/0rIzqLji60'],
    ])
    const wrongPassword = [['Reply-Message', 'Wrong password. Please try again.']]
    expect((await radtest('cryptuser', 'crypt-pw', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
    const wrong = await radtest('cryptuser', 'crypt-p', radiusd.authPort, SECRET)
    expect(wrong.code).toBe('Access-Reject')
    expect(wrong.attributes.slice(1)).toEqual(wrongPassword)
    expect((await radtest('sha512user', 'crypt-pw', radiusd.authPort, SECRET)).code).toBe('Access-Accept')
    expect((await radtest('sha512user', 'crypt-pw2', radiusd.authPort, SECRET)).code).toBe('Access-Reject')
    // CHAP needs the cleartext (rlm_chap): even the right password cannot be checked against a crypt hash.
    const [chap] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = cryptuser\nCHAP-Password = crypt-pw'])
    expect(chap?.code).toBe('Access-Reject')
    expect(chap?.attributes.slice(1)).toEqual(wrongPassword)
    // MS-CHAPv2 needs an NT hash (rlm_mschap): any response is refused the same way.
    const msResponse = Buffer.concat([Buffer.from([7, 0]), Buffer.alloc(16, 0x21), Buffer.alloc(8), Buffer.alloc(24, 0x5a)])
    const [mschap] = await radclient(radiusd.authPort, 'auth', SECRET, [`User-Name = cryptuser\nMS-CHAP-Challenge = 0x${'5b'.repeat(16)}\nMS-CHAP2-Response = 0x${msResponse.toString('hex')}`])
    expect(mschap?.code).toBe('Access-Reject')
    expect(mschap?.attributes.slice(1)).toEqual(wrongPassword)
  })

  it('enforces Login-Time: outside the hours a readable reject; inside, Session-Timeout no longer than the time left in the window', async () => {
    // Read in the NAS tenant's zone, not the process's (UTC here): Asia/Kolkata's +05:30 would misplace both
    // windows by hours if the wrong zone were used.
    await t.db.updateTable('tenants').set({ timezone: 'Asia/Kolkata' }).where('id', '=', tenant.id).execute()
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    const hhmm = (ms: number) => clock.format(new Date(ms)).replace(':', '')
    const t0 = Date.now()
    const hour = 3600_000
    await rows('radcheck', [
      // Every day from an hour ago to an hour from now (continuous across midnight, since every day has it).
      ['dayuser', 'Cleartext-Password', ':=', 'x'], ['dayuser', 'Login-Time', ':=', `Al${hhmm(t0 - hour)}-${hhmm(t0 + hour)}`],
      // Every day from two to three hours from now: not now.
      ['nightuser', 'Cleartext-Password', ':=', 'x'], ['nightuser', 'Login-Time', ':=', `Al${hhmm(t0 + 2 * hour)}-${hhmm(t0 + 3 * hour)}`],
    ])
    // The zone change reaches the running radiusd through the nas NOTIFY (tenants_timezone_changed): until then
    // it reads the windows in the tenant's old zone (Africa/Nairobi), where dayuser's is not now.
    expect(await eventually(async () => (await radtest('dayuser', 'x', radiusd.authPort, SECRET)).code === 'Access-Accept', 5000)).toBe(true)
    const outside = await radtest('nightuser', 'x', radiusd.authPort, SECRET)
    expect(outside.code).toBe('Access-Reject')
    expect(outside.attributes.slice(1)).toEqual([['Reply-Message', 'You cannot log in at this time. Please try again during your allowed hours.']])

    const before = Math.floor(Date.now() / 1000)
    const inside = await radtest('dayuser', 'x', radiusd.authPort, SECRET)
    const after = Math.floor(Date.now() / 1000)
    expect(inside.code).toBe('Access-Accept')
    // The window's last minute is the one an hour after t0, so it ends 60 s after that minute starts.
    const windowEnd = Math.floor(t0 / 60_000) * 60 + 3600 + 60
    const sessionTimeout = Number(inside.attributes.find(([name]) => name === 'Session-Timeout')?.[1])
    expect(sessionTimeout).toBeLessThanOrEqual(windowEnd - before)
    expect(sessionTimeout).toBeGreaterThanOrEqual(windowEnd - after)
  })
})
