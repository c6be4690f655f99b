/**
 * FreeRADIUS fidelity for operators migrating from FreeRADIUS + daloRADIUS (issue 14, point 4), through Debian's
 * radclient/radtest against a running radiusd:
 * - an operator's own Reply-Message rows on a reject are sent as FreeRADIUS sends them (all, in order), our
 *   default only when there are none;
 * - every radacct column of every Start / Interim-Update / Stop / Accounting-On/Off path is what Debian 12's
 *   FreeRADIUS 3.2.1 `mods-config/sql/main/postgresql/queries.conf` writes, the query quoted per case; the only
 *   columns of ours that differ are `class` and `tenant_id` (radiusd/README.md, "Differences from FreeRADIUS").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'
import type { TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { acctUniqueId } from '../../src/accounting/record.js'
import { radclient, radtest, startTestRadiusd } from '../helper.js'

const SECRET = 'testing123'
let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
const T0 = 1_790_000_000

beforeAll(async () => {
  t = await createTestDatabase('radiusd_fidelity')
  tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id)
  radiusd = await startTestRadiusd(t)
})
beforeEach(async () => {
  await sql`TRUNCATE radacct, radcheck, radreply, radgroupcheck, radgroupreply, radusergroup`.execute(t.db)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

async function rad(table: string, values: [string, string, string, string][]): Promise<void> {
  for (const [key, attribute, op, value] of values) {
    const keyColumn = table.startsWith('radgroup') ? 'groupname' : 'username'
    await sql`INSERT INTO ${sql.table(table)} (${sql.ref(keyColumn)}, attribute, op, value, tenant_id) VALUES (${key}, ${attribute}, ${op}, ${value}, ${tenant.id})`.execute(t.db)
  }
}
const rejectAttributes = async (user: string, password: string) => {
  const reply = await radtest(user, password, radiusd.authPort, SECRET)
  expect(reply.code).toBe('Access-Reject')
  return reply.attributes.filter(([name]) => name !== 'Message-Authenticator')
}

describe('an operator\'s Reply-Message on a reject', () => {
  beforeEach(async () => {
    await rad('radcheck', [['opuser', 'Cleartext-Password', ':=', 'right']])
    // One batch per table (rlm_sql pairmove): `=` and `+=` rows both land; the group's `+=` is appended after.
    await rad('radreply', [['opuser', 'Reply-Message', '=', 'Welcome to Acme WiFi'], ['opuser', 'Reply-Message', '+=', 'Help: 0700 000 000'],
      ['opuser', 'Session-Timeout', '=', '3600']])
    await sql`INSERT INTO radusergroup (username, groupname, priority, tenant_id) VALUES ('opuser', 'acme', 1, ${tenant.id})`.execute(t.db)
    await rad('radgroupreply', [['acme', 'Reply-Message', '+=', 'Acme group notice'], ['acme', 'Mikrotik-Rate-Limit', '=', '2M/2M']])
  })

  it('a wrong password sends every operator Reply-Message in radreply-then-radgroupreply order, and nothing else', async () => {
    expect(await rejectAttributes('opuser', 'wrong')).toEqual([
      ['Reply-Message', 'Welcome to Acme WiFi'], ['Reply-Message', 'Help: 0700 000 000'], ['Reply-Message', 'Acme group notice']])
  })

  it('an Expiration in the past and Auth-Type := Reject send the operator\'s messages, not ours', async () => {
    await rad('radcheck', [['opuser', 'Expiration', ':=', 'Jan 01 2020 00:00:00 UTC']])
    expect(await rejectAttributes('opuser', 'right')).toEqual([
      ['Reply-Message', 'Welcome to Acme WiFi'], ['Reply-Message', 'Help: 0700 000 000'], ['Reply-Message', 'Acme group notice']])
    await rad('radcheck', [['closed', 'Auth-Type', ':=', 'Reject']])
    await rad('radreply', [['closed', 'Reply-Message', ':=', 'Account closed by the ISP']])
    expect(await rejectAttributes('closed', 'any')).toEqual([['Reply-Message', 'Account closed by the ISP']])
  })

  it('Simultaneous-Use replaces the reply with FreeRADIUS\'s msg_denied, operator messages included (auth.c)', async () => {
    await rad('radcheck', [['opuser', 'Simultaneous-Use', ':=', '1']])
    await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, tenant_id)
      VALUES ('z', 'u-z', 'opuser', '127.0.0.1', now(), now(), ${tenant.id})`.execute(t.db)
    const [denied] = await radclient(radiusd.authPort, 'auth', SECRET, ['User-Name = opuser\nUser-Password = right\nCalling-Station-Id = "AA:01"'])
    expect(denied?.code).toBe('Access-Reject')
    expect(denied?.attributes.slice(1)).toEqual([['Reply-Message', 'You are already logged in - access denied']])
  })

  it('without operator Reply-Message rows the reject carries our readable default', async () => {
    await rad('radcheck', [['plain', 'Cleartext-Password', ':=', 'right']])
    await rad('radreply', [['plain', 'Session-Timeout', '=', '60']])
    expect(await rejectAttributes('plain', 'wrong')).toEqual([['Reply-Message', 'Wrong password. Please try again.']])
  })
})

/** A RouterOS 7 hotspot accounting packet (protocol digest §4.3), with overrides. */
function acct(status: string | undefined, sessionId: string, extra: Record<string, string | number> = {}): string {
  const attrs: Record<string, string | number> = {
    'User-Name': 'thepumper', 'Acct-Session-Id': sessionId, 'NAS-IP-Address': '10.0.0.1',
    'NAS-Identifier': 'KhwanrichaiHome', 'NAS-Port-Id': 'vlan888-hotspot', 'NAS-Port': 2148532244, 'NAS-Port-Type': 'Wireless-802.11',
    'Calling-Station-Id': 'BC:24:11:EB:56:4D', 'Called-Station-Id': 'hs-vlan888-hotspot', 'Framed-IP-Address': '10.5.88.2',
    ...(status ? { 'Acct-Status-Type': status } : {}), ...extra,
  }
  return Object.entries(attrs).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `"${v}"`}`).join('\n')
}
const send = async (...packets: string[]) => (await radclient(radiusd.acctPort, 'acct', SECRET, packets)).map((r) => r.code)
const rows = async () => (await sql<Record<string, unknown>>`SELECT * FROM radacct ORDER BY radacctid`.execute(t.db)).rows
  .map(({ radacctid: _id, ...row }) => row)
const at = (epoch: number) => new Date(epoch * 1000)

/** The columns every FreeRADIUS accounting INSERT fills from the packet above, as queries.conf expands them. */
function fromPacket(sessionId: string): Record<string, unknown> {
  return {
    acctsessionid: sessionId, username: 'thepumper', realm: null, nasipaddress: '10.0.0.1', nasportid: 'vlan888-hotspot',
    acctuniqueid: acctUniqueId({ userName: 'thepumper', sessionId, nasIp: '10.0.0.1', nasIdentifier: 'KhwanrichaiHome', nasPortId: 'vlan888-hotspot', nasPort: '2148532244' }),
    // '%{Acct-Authentic}', '%{Service-Type}', '%{Framed-Protocol}' of absent attributes: ''. NULLIF(…)::inet: NULL.
    nasporttype: 'Wireless-802.11', acctauthentic: '', calledstationid: 'hs-vlan888-hotspot', callingstationid: 'BC:24:11:EB:56:4D',
    servicetype: '', framedprotocol: '', framedipaddress: '10.5.88.2', framedipv6address: null, framedipv6prefix: null,
    framedinterfaceid: null, delegatedipv6prefix: null,
    // Ours: Class is not sent here, so NULL as FreeRADIUS leaves it; tenant_id is the NAS's tenant.
    class: null, tenant_id: tenant.id,
  }
}

describe('radacct, column for column as Debian FreeRADIUS 3.2.1 queries.conf writes it', () => {
  it('Stop without Start and without Connect-Info: stop query 2 (INSERT), connectinfo_start \'\' and connectinfo_stop NULL', async () => {
    expect(await send(acct('Stop', 'ab01', { 'Event-Timestamp': T0 + 100, 'Acct-Session-Time': 40, 'Acct-Input-Octets': 7,
      'Acct-Output-Gigawords': 1, 'Acct-Output-Octets': 9, 'Acct-Terminate-Cause': 'Lost-Carrier' }))).toEqual(['Accounting-Response'])
    expect(await rows()).toEqual([{ ...fromPacket('ab01'),
      // TO_TIMESTAMP(event − Acct-Session-Time), event, event, NULLIF('%{Acct-Session-Time}','')::bigint
      acctstarttime: at(T0 + 60), acctupdatetime: at(T0 + 100), acctstoptime: at(T0 + 100), acctsessiontime: 40, acctinterval: null,
      connectinfo_start: '', connectinfo_stop: null, acctinputoctets: 7, acctoutputoctets: 4294967305, acctterminatecause: 'Lost-Carrier' }])
  })

  it('Stop without Start with Connect-Info: it goes to connectinfo_start, connectinfo_stop stays NULL; no Acct-Session-Time is NULL', async () => {
    await send(acct('Stop', 'ab02', { 'Event-Timestamp': T0 + 100, 'Connect-Info': '54Mbps 802.11g' }))
    expect(await rows()).toEqual([{ ...fromPacket('ab02'),
      acctstarttime: at(T0 + 100), acctupdatetime: at(T0 + 100), acctstoptime: at(T0 + 100), acctsessiontime: null, acctinterval: null,
      connectinfo_start: '54Mbps 802.11g', connectinfo_stop: null, acctinputoctets: 0, acctoutputoctets: 0, acctterminatecause: '' }])
  })

  it('Start (query 1 INSERT), Interim (query 1 UPDATE), Stop without Connect-Info (query 1 UPDATE: connectinfo_stop \'\')', async () => {
    await send(acct('Start', 'ab03', { 'Event-Timestamp': T0, 'Acct-Authentic': 'RADIUS', 'Connect-Info': 'start-ci' }))
    const started = { ...fromPacket('ab03'), acctauthentic: 'RADIUS', acctstarttime: at(T0), acctupdatetime: at(T0), acctstoptime: null,
      acctsessiontime: 0, acctinterval: null, connectinfo_start: 'start-ci', connectinfo_stop: null, acctinputoctets: 0, acctoutputoctets: 0,
      acctterminatecause: null }
    expect(await rows()).toEqual([started])
    // The interim changes the framed address: queries.conf's interim UPDATE rewrites the framed columns.
    await send(acct('Interim-Update', 'ab03', { 'Event-Timestamp': T0 + 300, 'Acct-Session-Time': 300, 'Acct-Input-Octets': 5,
      'Acct-Output-Octets': 6, 'Framed-IP-Address': '10.5.88.3' }))
    const interim = { ...started, framedipaddress: '10.5.88.3', acctupdatetime: at(T0 + 300), acctsessiontime: 300, acctinterval: 300,
      acctinputoctets: 5, acctoutputoctets: 6 }
    expect(await rows()).toEqual([interim])
    await send(acct('Stop', 'ab03', { 'Event-Timestamp': T0 + 400, 'Acct-Input-Octets': 50, 'Acct-Output-Octets': 60 }))
    // AcctSessionTime = COALESCE(Acct-Session-Time, event − AcctStartTime); cause '' and connectinfo_stop ''.
    const stopped = { ...interim, acctstoptime: at(T0 + 400), acctupdatetime: at(T0 + 400), acctsessiontime: 400,
      acctinputoctets: 50, acctoutputoctets: 60, acctterminatecause: '', connectinfo_stop: '', framedipaddress: '10.5.88.2' }
    expect(await rows()).toEqual([stopped])
    // A duplicate Stop (query 3, no open row) re-stamps the closed row's stop, counters and cause.
    await send(acct('Stop', 'ab03', { 'Event-Timestamp': T0 + 410, 'Acct-Session-Time': 405, 'Acct-Input-Octets': 51,
      'Acct-Terminate-Cause': 'User-Request', 'Connect-Info': 'stop-ci' }))
    expect(await rows()).toEqual([{ ...stopped, acctstoptime: at(T0 + 410), acctupdatetime: at(T0 + 410), acctsessiontime: 405,
      acctinputoctets: 51, acctoutputoctets: 0, acctterminatecause: 'User-Request', connectinfo_stop: 'stop-ci' }])
  })

  it('a repeated Start on an open row re-dates only acctstarttime, acctupdatetime and connectinfo_start (ON CONFLICT DO UPDATE)', async () => {
    await send(acct('Start', 'ab04', { 'Event-Timestamp': T0, 'Connect-Info': 'first' }))
    await send(acct('Start', 'ab04', { 'Event-Timestamp': T0 + 5, 'Connect-Info': 'second', 'Acct-Authentic': 'Local', 'Framed-IP-Address': '10.9.9.9' }))
    expect(await rows()).toEqual([{ ...fromPacket('ab04'), acctstarttime: at(T0 + 5), acctupdatetime: at(T0 + 5), acctstoptime: null,
      acctsessiontime: 0, acctinterval: null, connectinfo_start: 'second', connectinfo_stop: null, acctinputoctets: 0, acctoutputoctets: 0,
      acctterminatecause: null }])
  })

  it('Interim without Start (query 2 INSERT): start = the interim\'s event (Debian 3.2.1), acctinterval NULL, connectinfo_stop NULL', async () => {
    await send(acct('Interim-Update', 'ab05', { 'Event-Timestamp': T0 + 600, 'Acct-Session-Time': 600, 'Acct-Input-Gigawords': 2,
      'Acct-Input-Octets': 1, 'Connect-Info': 'ci' }))
    expect(await rows()).toEqual([{ ...fromPacket('ab05'), acctstarttime: at(T0 + 600), acctupdatetime: at(T0 + 600), acctstoptime: null,
      acctsessiontime: 600, acctinterval: null, connectinfo_start: 'ci', connectinfo_stop: null, acctinputoctets: 8589934593,
      acctoutputoctets: 0, acctterminatecause: null }])
  })

  it('Accounting-On closes the NAS\'s sessions started before it (NAS-Reboot); Accounting-Off takes its Acct-Terminate-Cause', async () => {
    await send(acct('Start', 'ab06', { 'Event-Timestamp': T0 }), acct('Start', 'ab07', { 'Event-Timestamp': T0 + 500 }))
    const open = (id: string, start: number) => ({ ...fromPacket(id), acctstarttime: at(start), acctupdatetime: at(start), acctstoptime: null,
      acctsessiontime: 0, acctinterval: null, connectinfo_start: '', connectinfo_stop: null, acctinputoctets: 0, acctoutputoctets: 0,
      acctterminatecause: null })
    expect(await send('Acct-Status-Type = Accounting-On\nNAS-IP-Address = 10.0.0.1\nEvent-Timestamp = ' + (T0 + 200))).toEqual(['Accounting-Response'])
    // SET AcctStopTime = AcctUpdateTime = event, AcctSessionTime = event − start, cause; nothing else changes.
    const closedOn = { ...open('ab06', T0), acctstoptime: at(T0 + 200), acctupdatetime: at(T0 + 200), acctsessiontime: 200, acctterminatecause: 'NAS-Reboot' }
    expect(await rows()).toEqual([closedOn, open('ab07', T0 + 500)])
    await send('Acct-Status-Type = Accounting-Off\nNAS-IP-Address = 10.0.0.1\nAcct-Terminate-Cause = Admin-Reboot\nEvent-Timestamp = ' + (T0 + 900))
    expect(await rows()).toEqual([closedOn, { ...open('ab07', T0 + 500), acctstoptime: at(T0 + 900), acctupdatetime: at(T0 + 900),
      acctsessiontime: 400, acctterminatecause: 'Admin-Reboot' }])
  })

  it('an Accounting-Request without Acct-Status-Type is acknowledged and writes nothing (type.accounting: SELECT true)', async () => {
    expect(await send(acct(undefined, 'ab08', { 'Event-Timestamp': T0 }))).toEqual(['Accounting-Response'])
    expect(await rows()).toEqual([])
  })
})
