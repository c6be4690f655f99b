import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import pg from 'pg'
import { createTestDatabase, insertTestHotspot, insertTestTenant, TEST_SERVER_URL, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { acctUniqueId } from '../../src/accounting/record.js'
import { radclient, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
const T0 = 1_790_000_000 // Event-Timestamp base (2026-09-21)

beforeAll(async () => {
  t = await createTestDatabase('radiusd_acct')
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id)
  radiusd = await startTestRadiusd(t)
})
beforeEach(async () => { await sql`TRUNCATE radacct`.execute(t.db) })
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

/** A RouterOS 7 hotspot accounting packet (digest §4.3), with overrides. */
function acct(status: string, sessionId: string, extra: Record<string, string | number> = {}): string {
  const attrs: Record<string, string | number> = {
    'User-Name': 'thepumper', 'Acct-Status-Type': status, 'Acct-Session-Id': sessionId, 'NAS-IP-Address': '10.0.0.1',
    'NAS-Identifier': 'KhwanrichaiHome', 'NAS-Port-Id': 'vlan888-hotspot', 'NAS-Port': 2148532244, 'NAS-Port-Type': 'Wireless-802.11',
    'Calling-Station-Id': 'BC:24:11:EB:56:4D', 'Called-Station-Id': 'hs-vlan888-hotspot', 'Framed-IP-Address': '10.5.88.2', ...extra,
  }
  return Object.entries(attrs).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `"${v}"`}`).join('\n')
}
const send = async (...packets: string[]) => (await radclient(radiusd.acctPort, 'acct', SECRET, packets)).map((r) => r.code)
const rows = async () => (await sql<Record<string, unknown>>`SELECT * FROM radacct ORDER BY radacctid`.execute(t.db)).rows
const at = (epoch: number) => new Date(epoch * 1000)

describe('Accounting (FreeRADIUS 3.2 queries.conf port)', () => {
  it('keys sessions by the FreeRADIUS acct_unique MD5 (digest §1.3 test vector)', () => {
    expect(acctUniqueId({ userName: 'thepumper', sessionId: '80100014', nasIp: '10.0.0.1', nasIdentifier: 'KhwanrichaiHome',
      nasPortId: 'vlan888-hotspot', nasPort: '2148532244' })).toBe('baf56d545295c3594bcd0e562847bcf2')
  })

  it('writes Start, Interim-Update (gigawords) and Stop column for column, with Class echoed', async () => {
    const cls = { Class: 'mnetifi:t:u:p' }
    expect(await send(acct('Start', '80100014', { 'Event-Timestamp': T0, 'Acct-Authentic': 'RADIUS', ...cls }))).toEqual(['Accounting-Response'])
    expect(await send(acct('Interim-Update', '80100014', { 'Event-Timestamp': T0 + 300, 'Acct-Session-Time': 300,
      'Acct-Input-Octets': 5, 'Acct-Input-Gigawords': 1, 'Acct-Output-Octets': 7, 'Acct-Output-Gigawords': 2, ...cls }))).toEqual(['Accounting-Response'])
    const [open] = await rows()
    expect(open).toMatchObject({ acctinterval: 300, acctsessiontime: 300, acctinputoctets: 4294967301, acctoutputoctets: 8589934599,
      acctupdatetime: at(T0 + 300), acctstoptime: null })
    expect(await send(acct('Stop', '80100014', { 'Event-Timestamp': T0 + 450, 'Acct-Session-Time': 450, 'Acct-Input-Octets': 10,
      'Acct-Output-Octets': 20, 'Acct-Terminate-Cause': 'User-Request', ...cls }))).toEqual(['Accounting-Response'])
    const all = await rows()
    expect(all).toHaveLength(1)
    const { radacctid: _id, ...row } = all[0]!
    expect(row).toEqual({
      acctsessionid: '80100014', acctuniqueid: 'baf56d545295c3594bcd0e562847bcf2', username: 'thepumper', realm: null,
      nasipaddress: '10.0.0.1', nasportid: 'vlan888-hotspot', nasporttype: 'Wireless-802.11',
      acctstarttime: at(T0), acctupdatetime: at(T0 + 450), acctstoptime: at(T0 + 450), acctinterval: 300, acctsessiontime: 450,
      acctauthentic: 'RADIUS', connectinfo_start: '', connectinfo_stop: '', acctinputoctets: 10, acctoutputoctets: 20,
      calledstationid: 'hs-vlan888-hotspot', callingstationid: 'BC:24:11:EB:56:4D', acctterminatecause: 'User-Request',
      servicetype: '', framedprotocol: '', framedipaddress: '10.5.88.2', framedipv6address: null, framedipv6prefix: null,
      framedinterfaceid: null, delegatedipv6prefix: null, class: 'mnetifi:t:u:p', tenant_id: tenant.id,
    })
  })

  it('is idempotent: a retransmitted Stop with a bumped Acct-Delay-Time changes nothing twice', async () => {
    await send(acct('Start', 'aa01', { 'Event-Timestamp': T0 }))
    const stop = (delay: number) => acct('Stop', 'aa01', { 'Event-Timestamp': T0 + 60, 'Acct-Session-Time': 60, 'Acct-Delay-Time': delay,
      'Acct-Input-Octets': 100, 'Acct-Terminate-Cause': 'Idle-Timeout' })
    await send(stop(0))
    const first = await rows()
    await send(stop(5))
    expect(await rows()).toEqual(first)
  })

  it('creates the row from an Interim without Start (start = interim event, Debian 3.2.1) and from a Stop without Start (start = event − session time)', async () => {
    await send(acct('Interim-Update', 'bb01', { 'Event-Timestamp': T0 + 100, 'Acct-Session-Time': 100, 'Acct-Input-Octets': 1 }),
      acct('Stop', 'bb02', { 'Event-Timestamp': T0 + 100, 'Acct-Session-Time': 40, 'Acct-Terminate-Cause': 'Lost-Carrier' }))
    const [interim, stop] = await rows()
    expect(interim).toMatchObject({ acctsessionid: 'bb01', acctstarttime: at(T0 + 100), acctstoptime: null, acctsessiontime: 100, acctinputoctets: 1 })
    expect(stop).toMatchObject({ acctsessionid: 'bb02', acctstarttime: at(T0 + 60), acctstoptime: at(T0 + 100), acctsessiontime: 40,
      acctterminatecause: 'Lost-Carrier' })
  })

  it('re-dates a closed session on a late Start (its event before the stop), as FreeRADIUS does', async () => {
    await send(acct('Stop', 'cc01', { 'Event-Timestamp': T0 + 100, 'Acct-Session-Time': 100 }))
    await send(acct('Start', 'cc01', { 'Event-Timestamp': T0 + 2 }))
    const all = await rows()
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({ acctstarttime: at(T0 + 2), acctstoptime: at(T0 + 100) })
  })

  it('opens a new row when a rebooted router reuses an Acct-Session-Id after the old session stopped (gotcha 14)', async () => {
    await send(acct('Start', 'dd01', { 'Event-Timestamp': T0 }),
      acct('Stop', 'dd01', { 'Event-Timestamp': T0 + 100, 'Acct-Session-Time': 100, 'Acct-Input-Octets': 111 }))
    await send(acct('Start', 'dd01', { 'Event-Timestamp': T0 + 5000 }))
    await send(acct('Interim-Update', 'dd01', { 'Event-Timestamp': T0 + 5300, 'Acct-Session-Time': 300, 'Acct-Input-Octets': 9 }))
    const [old, fresh] = await rows()
    expect(old).toMatchObject({ acctstarttime: at(T0), acctstoptime: at(T0 + 100), acctinputoctets: 111 })
    expect(String(old!.acctuniqueid)).toMatch(/^[0-9a-f]{32}\/\d+$/)
    expect(fresh).toMatchObject({ acctstarttime: at(T0 + 5000), acctstoptime: null, acctinputoctets: 9, acctuniqueid: String(old!.acctuniqueid).split('/')[0] })
  })

  it('closes the NAS\'s open sessions on Accounting-On with NAS-Reboot, leaving later ones open', async () => {
    await send(acct('Start', 'ee01', { 'Event-Timestamp': T0 }), acct('Start', 'ee02', { 'Event-Timestamp': T0 + 500 }))
    await send('Acct-Status-Type = Accounting-On\nNAS-IP-Address = 10.0.0.1\nEvent-Timestamp = ' + (T0 + 200))
    const [a, b] = await rows()
    expect(a).toMatchObject({ acctstoptime: at(T0 + 200), acctsessiontime: 200, acctterminatecause: 'NAS-Reboot' })
    expect(b).toMatchObject({ acctstoptime: null })
  })
})

describe('Accounting-Response only after COMMIT', () => {
  it('sends no ACK while Postgres refuses connections, then ACKs the retransmission after recovery with the row present', async () => {
    const admin = new pg.Client({ connectionString: TEST_SERVER_URL })
    await admin.connect()
    const dbName = new URL(t.url).pathname.slice(1)
    try {
      // Real outage for radiusd: no new connections to its database, and the existing ones are killed.
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`)
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])
      const during = await radclient(radiusd.acctPort, 'acct', SECRET, [acct('Start', 'ff01', { 'Event-Timestamp': T0 })], { timeoutS: 1, retries: 2 })
      expect(during).toEqual([])
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`)
      await admin.end()
    }
    const after = await radclient(radiusd.acctPort, 'acct', SECRET, [acct('Start', 'ff01', { 'Event-Timestamp': T0, 'Acct-Delay-Time': 3 })], { timeoutS: 2, retries: 3 })
    expect(after.map((r) => r.code)).toEqual(['Accounting-Response'])
    expect((await rows()).map((r) => [r.acctsessionid, r.acctstarttime])).toEqual([['ff01', at(T0)]])
  })
})
