/**
 * The morning after a power cut (issue 14, point 2), at the scale of one router: its sessions are still open and
 * fresh in radacct because it rebooted without Accounting-On, and its subscribers log in again from the same
 * devices under Simultaneous-Use 1. Their own dead sessions must not reject them; another device must still be
 * refused. Through radclient against a running radiusd.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { radclient, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow

beforeAll(async () => {
  t = await createTestDatabase('radiusd_storm')
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id)
  const plan = await insertTestPlan(t.db, tenant.id, { simultaneous_use: 1 })
  for (const username of ['storm1', 'storm2', 'storm3']) {
    await insertTestUser(t.db, tenant.id, { username, password: 'pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 86_400_000) })
  }
  radiusd = await startTestRadiusd(t)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

/** An open session updated a minute ago (not stale: the interim is 300 s), as a rebooted router leaves it. */
async function openSession(username: string, sessionId: string, mac: string, nasIp = '127.0.0.1'): Promise<void> {
  await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, callingstationid, tenant_id)
    VALUES (${sessionId}, ${'u-' + sessionId}, ${username}, ${nasIp}::inet, now() - interval '1 hour', now() - interval '1 minute', ${mac}, ${tenant.id})`.execute(t.db)
}
const login = async (username: string, mac: string) => {
  const [reply] = await radclient(radiusd.authPort, 'auth', SECRET, [`User-Name = ${username}\nUser-Password = pw\nCalling-Station-Id = "${mac}"`])
  return [reply?.code, reply?.attributes.filter(([n]) => n === 'Reply-Message').map(([, v]) => v)]
}

describe('re-authentication after a router reboot without Accounting-On', () => {
  it('lets a device in again despite its own open session, and still refuses a second device', async () => {
    await openSession('storm1', '80000001', 'AA:AA:AA:00:00:01')
    expect(await login('storm1', 'AA:AA:AA:00:00:01')).toEqual(['Access-Accept', []])
    // The device's retry (a new request, RouterOS's timeout passed) is let in as well: its own claim never blocks it.
    expect(await login('storm1', 'AA:AA:AA:00:00:01')).toEqual(['Access-Accept', []])
    expect(await login('storm1', 'BB:BB:BB:00:00:02')).toEqual(['Access-Reject', ['You are already logged in - access denied']])
  })

  it('still refuses the same MAC behind another router (a cloned MAC shares nothing)', async () => {
    await openSession('storm3', '80000003', 'AA:AA:AA:00:00:05', '10.77.0.1')
    expect(await login('storm3', 'AA:AA:AA:00:00:05')).toEqual(['Access-Reject', ['You are already logged in - access denied']])
  })

  it('after Accounting-On the closed sessions free every device', async () => {
    await openSession('storm2', '80000002', 'AA:AA:AA:00:00:03')
    const [ack] = await radclient(radiusd.acctPort, 'acct', SECRET, ['Acct-Status-Type = Accounting-On\nNAS-IP-Address = 127.0.0.1'])
    expect(ack?.code).toBe('Accounting-Response')
    expect(await login('storm2', 'CC:CC:CC:00:00:04')).toEqual(['Access-Accept', []])
  })
})
