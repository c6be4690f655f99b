/**
 * Two radiusd processes on one Postgres, as a MikroTik with two `/radius` entries sees them: logins and
 * accounting may land on either, Simultaneous-Use holds across both, one session's Start/Interim/Stop split
 * over both servers is one radacct row, and when one server dies mid-load the router's failover to the other
 * loses no accounting record (a record is acknowledged only after it is committed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { radclient, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let a: RunningRadiusd
let b: RunningRadiusd
let tenant: TenantRow

beforeAll(async () => {
  t = await createTestDatabase('radiusd_replicas')
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id, { nas_ip: '127.0.0.1', radius_secret: SECRET })
  const plan = await insertTestPlan(t.db, tenant.id, { simultaneous_use: 1 })
  for (const username of ['one-device', 'split', ...Array.from({ length: 20 }, (_, i) => `load-${i}`)]) {
    await insertTestUser(t.db, tenant.id, { username, password: 'pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 86_400_000) })
  }
  a = await startTestRadiusd(t)
  b = await startTestRadiusd(t)
})
afterAll(async () => {
  await a?.close().catch(() => {})
  await b?.close()
  await t?.destroy()
})

const auth = async (server: RunningRadiusd, user: string, mac: string) => {
  const [reply] = await radclient(server.authPort, 'auth', SECRET, [`User-Name = ${user}\nUser-Password = pw\nCalling-Station-Id = "${mac}"`])
  return reply?.code
}
const acct = (user: string, session: string, type: string, extra = '') =>
  `User-Name = ${user}\nAcct-Status-Type = ${type}\nAcct-Session-Id = "${session}"\nNAS-IP-Address = 127.0.0.1\nCalling-Station-Id = "AA:00:00:00:00:01"${extra}`
const rows = (user: string) => t.db.selectFrom('radacct').selectAll().where('username', '=', user).execute()

describe('two radiusd replicas on one database', () => {
  it('holds Simultaneous-Use across both servers', async () => {
    expect(await auth(a, 'one-device', 'AA:00:00:00:00:01')).toBe('Access-Accept')
    const [started] = await radclient(a.acctPort, 'acct', SECRET, [acct('one-device', 'od-1', 'Start')])
    expect(started?.code).toBe('Accounting-Response')
    // A second device asks the other server: it sees the first session in the shared radacct.
    expect(await auth(b, 'one-device', 'BB:00:00:00:00:02')).toBe('Access-Reject')
  })

  it('records one session whose Start, Interim and Stop went to different servers as one row', async () => {
    for (const [server, type, extra] of [[a, 'Start', ''], [b, 'Interim-Update', '\nAcct-Session-Time = 60\nAcct-Input-Octets = 1000'], [a, 'Stop', '\nAcct-Session-Time = 120\nAcct-Input-Octets = 5000\nAcct-Terminate-Cause = User-Request']] as const) {
      const [reply] = await radclient(server.acctPort, 'acct', SECRET, [acct('split', 'split-1', type, extra)])
      expect(reply?.code).toBe('Accounting-Response')
    }
    const [row, ...more] = await rows('split')
    expect(more).toEqual([])
    expect(row).toMatchObject({ acctsessionid: 'split-1', acctsessiontime: 120, acctinputoctets: 5000, acctterminatecause: 'User-Request' })
    expect(row!.acctstoptime).not.toBeNull()
  })

  it('loses no accounting record when one server dies mid-load and the router fails over to the other', async () => {
    const starts = Array.from({ length: 20 }, (_, i) => acct(`load-${i}`, `load-sess-${i}`, 'Start'))
    // The first half reach server A and are acknowledged; then A dies.
    const first = await radclient(a.acctPort, 'acct', SECRET, starts.slice(0, 10), { parallel: 10 })
    expect(first.map((r) => r.code)).toEqual(Array(10).fill('Accounting-Response'))
    await a.close()
    // The second half get no answer from A (1 s timeout, one retry, as radclient and RouterOS do) …
    const lost = await radclient(a.acctPort, 'acct', SECRET, starts.slice(10), { parallel: 10, timeoutS: 1, retries: 1 })
    expect(lost).toEqual([])
    // … so the router sends them to its second server, and B acknowledges every one.
    const failover = await radclient(b.acctPort, 'acct', SECRET, starts.slice(10), { parallel: 10 })
    expect(failover.map((r) => r.code)).toEqual(Array(10).fill('Accounting-Response'))
    const all = await t.db.selectFrom('radacct').select(['username', 'acctsessionid']).where('username', 'like', 'load-%').orderBy('acctsessionid').execute()
    expect(all).toHaveLength(20)
    expect(new Set(all.map((r) => r.acctsessionid)).size).toBe(20)
  })
})
