/**
 * radiusd driven by what RouterOS 7 sends, in RouterOS's wire order (protocol digest §4.3), through the RouterOS
 * emulator in ../helpers/routeros-nas.ts: real UDP from 127.0.0.x NAS addresses, real Postgres.
 *
 * Two routers: 127.0.0.21 runs RouterOS ≥ 7.15 (Message-Authenticator in every Access-Request, last, as in the
 * trace) and says NAS-IP-Address = 10.0.0.1 like the trace's router (its RADIUS traffic leaves from another
 * address, as through a tunnel); 127.0.0.22 runs RouterOS ≤ 7.14 (none). radiusd runs in its production
 * Message-Authenticator mode, `auto`.
 */
import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { PlanRow, TenantRow } from '@mnetifi/db'
import type { RunningRadiusd } from '../../src/main.js'
import { acctUniqueId } from '../../src/accounting/record.js'
import { authenticatorResponse, mppeKeys, ntPasswordHash } from '../../src/auth/mschapv2.js'
import { encodeResponse, PacketCode } from '../../src/protocol/codec.js'
import { startTestRadiusd } from '../helper.js'
import {
  createRouterOsNas, encodeAccessRequest, encodeAccountingRequest, expectedAcctUniqueId, hotspotAccessRequestAttributes,
  hotspotAccountingAttributes, listAttributes, verifyReply, type HotspotClient, type RouterOsNas, type RouterOsReply,
} from '../helpers/routeros-nas.js'

const SECRET = 'testing123'
const GIGA = 4294967296
// Fixed ids: the Class in the byte-for-byte Access-Accept fixture carries them.
const TENANT_ID = '11111111-1111-4111-8111-111111111111'
const PLAN_ID = '22222222-2222-4222-8222-222222222222'
const PUMPER_ID = '33333333-3333-4333-8333-333333333333'
/** Far enough that the seconds left exceed 2^32 − 1: radiusd then sends Session-Timeout = 4294967295 whatever the clock. */
const FAR_EXPIRY = new Date('2200-01-01T00:00:00Z')
/** The trace's Start: Event-Timestamp "Jun 30 2026 00:33:02 +07". */
const T0 = 1_782_754_382
const NEW_ROUTER = '127.0.0.21'
const OLD_ROUTER = '127.0.0.22'

/** The hotspot client of the digest's RouterOS 7 trace. */
const TRACE_CLIENT: HotspotClient = { mac: 'BC:24:11:EB:56:4D', ip: '10.5.88.2', server: 'hs-vlan888-hotspot',
  interface: 'vlan888-hotspot', sessionId: '80100014', gateway: '10.5.88.1' }
const client = (mac: string, sessionId: string, ip: string): HotspotClient => ({ ...TRACE_CLIENT, mac, sessionId, ip })

let t: TestDatabase
let radiusd: RunningRadiusd
let tenant: TenantRow
let hotspotPlan: PlanRow
let pppoePlan: PlanRow
let router: RouterOsNas
let oldRouter: RouterOsNas

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../fixtures/routeros/${name}`, import.meta.url), 'utf8').trim(), 'hex')
const classOf = (tenantId: string, userId: string, planId: string): Buffer => Buffer.from(`mnetifi:${tenantId}:${userId}:${planId}`)
const inTwoHours = (): Date => new Date(Date.now() + 2 * 3600_000)
const at = (epoch: number): Date => new Date(epoch * 1000)
const rows = async () => (await sql<Record<string, unknown>>`SELECT * FROM radacct ORDER BY radacctid`.execute(t.db)).rows
const metric = async (name: string): Promise<number> => {
  const body = await (await fetch(`http://127.0.0.1:${radiusd.metricsPort}/metrics`)).text()
  return body.split('\n').filter((l) => l.startsWith(name)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}
function accepted(reply: RouterOsReply | null): RouterOsReply {
  expect(reply?.packet.code).toBe(PacketCode.AccessAccept)
  return reply!
}

beforeAll(async () => {
  t = await createTestDatabase('radiusd_routeros')
  tenant = await insertTestTenant(t.db, { id: TENANT_ID })
  await insertTestHotspot(t.db, tenant.id, { nas_ip: NEW_ROUTER, nas_identifier: 'KhwanrichaiHome', acct_interim_interval: 300, mac_auth_enabled: true })
  await insertTestHotspot(t.db, tenant.id, { nas_ip: OLD_ROUTER, nas_identifier: 'OldTown', acct_interim_interval: 300 })
  hotspotPlan = await insertTestPlan(t.db, tenant.id, { id: PLAN_ID, name: 'Day 10M', upload_limit: 2_000_000, download_limit: 10_000_000 })
  pppoePlan = await insertTestPlan(t.db, tenant.id, { name: 'PPPoE 20M', upload_limit: 5_000_000, download_limit: 20_000_000, account_types: ['PPPOE'] })
  // The trace's subscriber, with the trace's password (its CHAP-Password verifies against it).
  await insertTestUser(t.db, tenant.id, { id: PUMPER_ID, username: 'thepumper', password: 'lkfgxifde', current_plan_id: hotspotPlan.id, expiry_time: FAR_EXPIRY })
  radiusd = await startTestRadiusd(t, { RADIUS_MESSAGE_AUTHENTICATOR: 'auto' })
  router = createRouterOsNas({ sourceAddress: NEW_ROUTER, secret: SECRET, authPort: radiusd.authPort, acctPort: radiusd.acctPort,
    identity: 'KhwanrichaiHome', nasIp: '10.0.0.1', firstIdentifier: 100 })
  oldRouter = createRouterOsNas({ sourceAddress: OLD_ROUTER, secret: SECRET, authPort: radiusd.authPort, acctPort: radiusd.acctPort,
    identity: 'OldTown', messageAuthenticator: false })
})
beforeEach(async () => { await sql`TRUNCATE radacct, radiusd_session_claims`.execute(t.db) })
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

describe('the emulator is the router of the RouterOS 7 trace', () => {
  it('builds the trace\'s Access-Request (242 octets), Start (168) and Stop (216) with its attributes in its order', () => {
    const nas = { identity: 'KhwanrichaiHome', nasIp: '10.0.0.1', sourceAddress: NEW_ROUTER }
    const request = encodeAccessRequest(hotspotAccessRequestAttributes(nas, TRACE_CLIENT, { method: 'http-chap', username: 'thepumper',
      password: 'lkfgxifde', chapId: 0x34, chapChallenge: Buffer.from('19a63ce2e283187f977609b470b01368', 'hex') }), { identifier: 44, secret: SECRET })
    expect(request.length).toBe(242)
    const requestAttributes = listAttributes(request, SECRET, request.subarray(4, 20))
    expect(requestAttributes.map(([n]) => n)).toEqual(['NAS-Port-Type', 'Calling-Station-Id', 'Called-Station-Id', 'NAS-Port-Id', 'User-Name',
      'NAS-Port', 'Acct-Session-Id', 'Framed-IP-Address', 'Mikrotik-Host-IP', 'CHAP-Challenge', 'CHAP-Password', 'Service-Type',
      'WISPr-Logoff-URL', 'NAS-Identifier', 'NAS-IP-Address', 'Message-Authenticator'])
    expect(requestAttributes.find(([n]) => n === 'CHAP-Password')?.[1]).toEqual(Buffer.from('34b7226284e0fdeddd5b12a8ee74e8b25c', 'hex'))
    expect(requestAttributes.find(([n]) => n === 'NAS-Port')?.[1]).toBe(2148532244)

    const start = encodeAccountingRequest(hotspotAccountingAttributes(nas, TRACE_CLIENT, 'thepumper', { status: 'Start', eventTimestamp: T0 }),
      { identifier: 45, secret: SECRET })
    expect(start.length).toBe(168)
    expect(listAttributes(start, SECRET, start.subarray(4, 20)).map(([n]) => n)).toEqual(['Acct-Status-Type', 'NAS-Port-Type',
      'Calling-Station-Id', 'Called-Station-Id', 'NAS-Port-Id', 'User-Name', 'NAS-Port', 'Acct-Session-Id', 'Framed-IP-Address',
      'Mikrotik-Host-IP', 'Event-Timestamp', 'NAS-Identifier', 'Acct-Delay-Time', 'NAS-IP-Address'])
    const stop = encodeAccountingRequest(hotspotAccountingAttributes(nas, TRACE_CLIENT, 'thepumper', { status: 'Stop', eventTimestamp: T0 + 5,
      sessionTime: 5, inputBytes: 56, outputBytes: 56, inputPackets: 1, outputPackets: 1 }), { identifier: 46, secret: SECRET })
    expect(stop.length).toBe(216)
    expect(listAttributes(stop, SECRET, stop.subarray(4, 20))).toEqual([['Acct-Status-Type', 'Stop'], ['Acct-Terminate-Cause', 'User-Request'],
      ['NAS-Port-Type', 'Wireless-802.11'], ['Calling-Station-Id', 'BC:24:11:EB:56:4D'], ['Called-Station-Id', 'hs-vlan888-hotspot'],
      ['NAS-Port-Id', 'vlan888-hotspot'], ['User-Name', 'thepumper'], ['NAS-Port', 2148532244], ['Acct-Session-Id', '80100014'],
      ['Framed-IP-Address', '10.5.88.2'], ['Mikrotik-Host-IP', '10.5.88.2'], ['Event-Timestamp', T0 + 5], ['Acct-Input-Octets', 56],
      ['Acct-Output-Octets', 56], ['Acct-Input-Gigawords', 0], ['Acct-Output-Gigawords', 0], ['Acct-Input-Packets', 1],
      ['Acct-Output-Packets', 1], ['Acct-Session-Time', 5], ['NAS-Identifier', 'KhwanrichaiHome'], ['Acct-Delay-Time', 0],
      ['NAS-IP-Address', '10.0.0.1']])
  })

  it('discards, as RouterOS ≥ 7.15 does, an answer without Message-Authenticator to a request that carried one; ≤ 7.14 takes it', () => {
    const bareAccept = (request: Buffer) => encodeResponse({ code: PacketCode.AccessAccept, identifier: 9,
      requestAuthenticator: request.subarray(4, 20), attributes: [], secret: Buffer.from(SECRET), messageAuthenticator: false })
    const withMa = encodeAccessRequest([['User-Name', 'x']], { identifier: 9, secret: SECRET })
    expect(() => verifyReply(bareAccept(withMa), withMa, SECRET)).toThrow('would discard an answer without Message-Authenticator')
    const withoutMa = encodeAccessRequest([['User-Name', 'x']], { identifier: 9, secret: SECRET, messageAuthenticator: false })
    expect(verifyReply(bareAccept(withoutMa), withoutMa, SECRET).packet.code).toBe(PacketCode.AccessAccept)
  })
})

describe('hotspot http-chap login from RouterOS ≥ 7.15 (Message-Authenticator in the request)', () => {
  it('answers the trace\'s Access-Request with exactly the fixture Access-Accept, byte for byte', async () => {
    // Deterministic answer: fixed ids (Class), fixed Request Authenticator, and an expiry in 2200 so that
    // Session-Timeout is the uint32 cap rather than "seconds from now" (README in the fixtures folder).
    const request = fixture('hotspot-chap-request.hex')
    const rebuilt = encodeAccessRequest(hotspotAccessRequestAttributes(router.options, TRACE_CLIENT, { method: 'http-chap',
      username: 'thepumper', password: 'lkfgxifde', chapId: 0x34, chapChallenge: Buffer.from('19a63ce2e283187f977609b470b01368', 'hex') }),
    { identifier: 44, secret: SECRET, authenticator: request.subarray(4, 20) })
    expect(rebuilt.toString('hex')).toBe(request.toString('hex'))

    const expected = fixture('hotspot-chap-accept.hex')
    // The fixture itself, checked with node:crypto: Response Authenticator (RFC 2865 §3) and Message-Authenticator
    // (RFC 3579 §3.2, over the packet with the request's authenticator and the MA zeroed).
    const secret = Buffer.from(SECRET)
    expect(createHash('md5').update(Buffer.concat([expected.subarray(0, 4), request.subarray(4, 20), expected.subarray(20), secret])).digest())
      .toEqual(expected.subarray(4, 20))
    const unsigned = Buffer.concat([expected.subarray(0, 4), request.subarray(4, 20), expected.subarray(20, 22), Buffer.alloc(16), expected.subarray(38)])
    expect(createHmac('md5', secret).update(unsigned).digest()).toEqual(expected.subarray(22, 38))

    const [reply] = await router.send('auth', request)
    expect(reply!.raw.toString('hex')).toBe(expected.toString('hex'))
    expect(reply!.attributes).toEqual([['Message-Authenticator', expected.subarray(22, 38)], ['Mikrotik-Rate-Limit', '2M/10M'],
      ['Session-Timeout', 4294967295], ['Acct-Interim-Interval', 300], ['Class', classOf(TENANT_ID, PUMPER_ID, PLAN_ID)]])
  })

  it('accepts with Message-Authenticator first, the plan\'s rate limit, Session-Timeout to the expiry second, the interim and Class; rejects a wrong password with its Reply-Message', async () => {
    const user = await insertTestUser(t.db, tenant.id, { username: 'hs-chap', password: 'pw-chap', current_plan_id: hotspotPlan.id, expiry_time: inTwoHours() })
    const device = client('A4:17:31:41:CB:B6', '8010001a', '10.5.88.3')
    const before = Date.now()
    const ok = accepted((await router.hotspotLogin(device, { method: 'http-chap', username: 'hs-chap', password: 'pw-chap' })).reply)
    const after = Date.now()
    const timeout = ok.attributes.find(([n]) => n === 'Session-Timeout')?.[1] as number
    expect(timeout).toBeGreaterThanOrEqual(Math.floor((user.expiry_time!.getTime() - after) / 1000))
    expect(timeout).toBeLessThanOrEqual(Math.floor((user.expiry_time!.getTime() - before) / 1000))
    expect(ok.attributes).toEqual([['Message-Authenticator', expect.any(Buffer)], ['Mikrotik-Rate-Limit', '2M/10M'], ['Session-Timeout', timeout],
      ['Acct-Interim-Interval', 300], ['Class', classOf(tenant.id, user.id, hotspotPlan.id)]])

    const { reply: bad } = await router.hotspotLogin(device, { method: 'http-chap', username: 'hs-chap', password: 'pw-wrong' })
    expect(bad?.packet.code).toBe(PacketCode.AccessReject)
    expect(bad!.attributes).toEqual([['Message-Authenticator', expect.any(Buffer)], ['Reply-Message', 'Wrong password. Please try again.']])
  })

  it('accepts the same login with Message-Authenticator first in the request (where our own codec puts it)', async () => {
    const first = createRouterOsNas({ ...router.options, messageAuthenticatorPosition: 'first' })
    const { request, reply } = await first.hotspotLogin(TRACE_CLIENT, { method: 'http-chap', username: 'thepumper', password: 'lkfgxifde' })
    expect(request[20]).toBe(80)
    expect(accepted(reply).attributes.map(([n]) => n)).toEqual(['Message-Authenticator', 'Mikrotik-Rate-Limit', 'Session-Timeout',
      'Acct-Interim-Interval', 'Class'])
  })
})

describe('hotspot http-chap login from RouterOS ≤ 7.14 (no Message-Authenticator)', () => {
  it('accepts with the same attributes (Message-Authenticator still first, which old RouterOS ignores) and rejects a wrong password', async () => {
    const user = await insertTestUser(t.db, tenant.id, { username: 'hs-old', password: 'pw-old', current_plan_id: hotspotPlan.id, expiry_time: inTwoHours() })
    const device = client('00:0C:42:11:22:33', '81a00003', '192.168.88.254')
    const before = Date.now()
    const { request, reply } = await oldRouter.hotspotLogin(device, { method: 'http-chap', username: 'hs-old', password: 'pw-old' })
    const after = Date.now()
    expect(listAttributes(request, SECRET, request.subarray(4, 20)).some(([n]) => n === 'Message-Authenticator')).toBe(false)
    const ok = accepted(reply)
    const timeout = ok.attributes.find(([n]) => n === 'Session-Timeout')?.[1] as number
    expect(timeout).toBeGreaterThanOrEqual(Math.floor((user.expiry_time!.getTime() - after) / 1000))
    expect(timeout).toBeLessThanOrEqual(Math.floor((user.expiry_time!.getTime() - before) / 1000))
    expect(ok.attributes).toEqual([['Message-Authenticator', expect.any(Buffer)], ['Mikrotik-Rate-Limit', '2M/10M'], ['Session-Timeout', timeout],
      ['Acct-Interim-Interval', 300], ['Class', classOf(tenant.id, user.id, hotspotPlan.id)]])

    const { reply: bad } = await oldRouter.hotspotLogin(device, { method: 'http-chap', username: 'hs-old', password: 'nope' })
    expect(bad?.packet.code).toBe(PacketCode.AccessReject)
    expect(bad!.attributes).toEqual([['Message-Authenticator', expect.any(Buffer)], ['Reply-Message', 'Wrong password. Please try again.']])
  })
})

describe('hotspot http-pap and MAC login', () => {
  it('accepts http-pap (User-Password instead of CHAP) and rejects a wrong one', async () => {
    const user = await insertTestUser(t.db, tenant.id, { username: 'hs-pap', password: 'pw-pap', current_plan_id: hotspotPlan.id, expiry_time: inTwoHours() })
    const device = client('3C:22:FB:00:00:01', '80100020', '10.5.88.20')
    const ok = accepted((await router.hotspotLogin(device, { method: 'http-pap', username: 'hs-pap', password: 'pw-pap' })).reply)
    expect(ok.attributes.map(([n, v]) => (n === 'Session-Timeout' || n === 'Message-Authenticator' ? [n] : [n, v]))).toEqual([
      ['Message-Authenticator'], ['Mikrotik-Rate-Limit', '2M/10M'], ['Session-Timeout'], ['Acct-Interim-Interval', 300],
      ['Class', classOf(tenant.id, user.id, hotspotPlan.id)]])
    const { reply: bad } = await router.hotspotLogin(device, { method: 'http-pap', username: 'hs-pap', password: 'pw-pa' })
    expect(bad!.attributes.slice(1)).toEqual([['Reply-Message', 'Wrong password. Please try again.']])
  })

  it('lets a device that paid in by its MAC (User-Name = the MAC, empty password) as the paying user; an unpaid MAC is an unknown user', async () => {
    const payer = await insertTestUser(t.db, tenant.id, { username: 'payer', password: 'pw-payer', current_plan_id: hotspotPlan.id, expiry_time: inTwoHours() })
    await t.db.insertInto('wifi_user_devices').values({ tenant_id: tenant.id, user_id: payer.id, mac_address: 'bc:24:11:eb:56:4e' }).execute()
    const paid = client('BC:24:11:EB:56:4E', '80100021', '10.5.88.21')
    const { request, reply } = await router.hotspotLogin(paid, { method: 'mac' })
    const sent = listAttributes(request, SECRET, request.subarray(4, 20))
    expect(sent.find(([n]) => n === 'User-Name')?.[1]).toBe('BC:24:11:EB:56:4E')
    expect(sent.find(([n]) => n === 'User-Password')?.[1]).toBe('')
    const ok = accepted(reply)
    expect(ok.attributes.map(([n, v]) => (n === 'Session-Timeout' || n === 'Message-Authenticator' ? [n] : [n, v]))).toEqual([
      ['Message-Authenticator'], ['Mikrotik-Rate-Limit', '2M/10M'], ['Session-Timeout'], ['Acct-Interim-Interval', 300],
      ['Class', classOf(tenant.id, payer.id, hotspotPlan.id)]])

    const { reply: unpaid } = await router.hotspotLogin(client('BC:24:11:EB:56:4F', '80100022', '10.5.88.22'), { method: 'mac' })
    expect(unpaid?.packet.code).toBe(PacketCode.AccessReject)
    expect(unpaid!.attributes.slice(1)).toEqual([['Reply-Message', 'Unknown username. Please check it, or buy a package to get one.']])
  })
})

describe('PPPoE login with MS-CHAPv2', () => {
  it('accepts with a verifiable MS-CHAP2-Success, the RFC 3079 MPPE keys, Framed-Protocol = PPP and the plan\'s attributes', async () => {
    const user = await insertTestUser(t.db, tenant.id, { username: 'ppp-ms', password: 'clientPass', account_type: 'PPPOE',
      current_plan_id: pppoePlan.id, expiry_time: inTwoHours(), framed_pool: 'pppoe-pool' })
    const exchange = await router.pppoeLogin({ mac: 'D4:CA:6D:01:02:03', service: 'mnetifi-pppoe', interface: 'ether2', sessionId: '81e00010' },
      { username: 'ppp-ms', password: 'clientPass', ident: 7 })
    const ok = accepted(exchange.reply)
    const hash = ntPasswordHash('clientPass')
    const keys = mppeKeys(hash, exchange.ntResponse)
    const success = authenticatorResponse(hash, exchange.ntResponse, exchange.peerChallenge, exchange.authChallenge, 'ppp-ms')
    expect(ok.attributes.map(([n, v]) => (n === 'Session-Timeout' || n === 'Message-Authenticator' ? [n] : [n, v]))).toEqual([
      ['Message-Authenticator'], ['Mikrotik-Rate-Limit', '5M/20M'], ['Session-Timeout'], ['Acct-Interim-Interval', 300],
      ['Framed-Protocol', 'PPP'], ['Framed-Pool', 'pppoe-pool'], ['Class', classOf(tenant.id, user.id, pppoePlan.id)],
      ['MS-CHAP2-Success', Buffer.concat([Buffer.from([7]), Buffer.from(success)])],
      ['MS-MPPE-Recv-Key', keys.recvKey], ['MS-MPPE-Send-Key', keys.sendKey],
      // Microsoft type 8 = 6 (RC4-40or128-bit-Allowed); the codec names type 8 by the dictionary's first name, the singular one.
      ['MS-MPPE-Encryption-Policy', 'Encryption-Allowed'], ['MS-MPPE-Encryption-Type', 6]])
  })
})

describe('hotspot accounting as RouterOS sends it', () => {
  it('writes the radacct row column for column from Start, Interim-Update and Stop, with FreeRADIUS\'s acctuniqueid and the Accept\'s Class', async () => {
    const login = accepted((await router.hotspotLogin(TRACE_CLIENT, { method: 'http-chap', username: 'thepumper', password: 'lkfgxifde' })).reply)
    const cls = login.attributes.find(([n]) => n === 'Class')![1] as Buffer
    const ack = async (acct: Parameters<RouterOsNas['hotspotAccounting']>[2]) =>
      (await router.hotspotAccounting(TRACE_CLIENT, 'thepumper', { class: cls, ...acct })).reply?.packet.code

    expect(await ack({ status: 'Start', eventTimestamp: T0 })).toBe(PacketCode.AccountingResponse)
    expect(await ack({ status: 'Interim-Update', eventTimestamp: T0 + 300, sessionTime: 300, inputBytes: GIGA + 56,
      outputBytes: 3 * GIGA + 4096, inputPackets: 900, outputPackets: 2_500_000 })).toBe(PacketCode.AccountingResponse)
    expect((await rows())[0]).toMatchObject({ acctupdatetime: at(T0 + 300), acctinterval: 300, acctsessiontime: 300,
      acctinputoctets: GIGA + 56, acctoutputoctets: 3 * GIGA + 4096, acctstoptime: null })
    expect(await ack({ status: 'Stop', eventTimestamp: T0 + 450, sessionTime: 450, inputBytes: 2 * GIGA + 7,
      outputBytes: 5 * GIGA + 9, inputPackets: 1200, outputPackets: 3_100_000 })).toBe(PacketCode.AccountingResponse)

    // Digest §1.3 vector, sent with exactly the trace's identification attributes (NAS-IP-Address = 10.0.0.1).
    const uniqueId = 'baf56d545295c3594bcd0e562847bcf2'
    expect(expectedAcctUniqueId(['thepumper', '80100014', '10.0.0.1', 'KhwanrichaiHome', 'vlan888-hotspot', 2148532244])).toBe(uniqueId)
    expect(acctUniqueId({ userName: 'thepumper', sessionId: '80100014', nasIp: '10.0.0.1', nasIdentifier: 'KhwanrichaiHome',
      nasPortId: 'vlan888-hotspot', nasPort: '2148532244' })).toBe(uniqueId)
    const all = await rows()
    expect(all).toHaveLength(1)
    const { radacctid: _id, ...row } = all[0]!
    expect(row).toEqual({
      acctsessionid: '80100014', acctuniqueid: uniqueId, username: 'thepumper', realm: null, nasipaddress: '10.0.0.1',
      nasportid: 'vlan888-hotspot', nasporttype: 'Wireless-802.11', acctstarttime: at(T0), acctupdatetime: at(T0 + 450),
      acctstoptime: at(T0 + 450), acctinterval: 300, acctsessiontime: 450, acctauthentic: '', connectinfo_start: '',
      connectinfo_stop: '', acctinputoctets: 2 * GIGA + 7, acctoutputoctets: 5 * GIGA + 9, calledstationid: 'hs-vlan888-hotspot',
      callingstationid: 'BC:24:11:EB:56:4D', acctterminatecause: 'User-Request', servicetype: '', framedprotocol: '',
      framedipaddress: '10.5.88.2', framedipv6address: null, framedipv6prefix: null, framedinterfaceid: null, delegatedipv6prefix: null,
      class: `mnetifi:${TENANT_ID}:${PUMPER_ID}:${PLAN_ID}`, tenant_id: TENANT_ID,
    })
  })

  it('answers a retransmission (same Identifier and authenticator, same port) from the cache and one with a bumped Acct-Delay-Time (new Identifier and authenticator) anew — and neither writes anything twice', async () => {
    const device = client('F0:9F:C2:AA:BB:CC', '80100030', '10.5.88.30')
    const duplicates = () => metric('radiusd_duplicates_total{type="acct"}')
    const before = await duplicates()
    const send = async (acct: Parameters<RouterOsNas['hotspotAccounting']>[2], retransmissions = 0) => {
      const { replies } = await router.hotspotAccounting(device, 'hs-retx', acct, { retransmissions })
      expect(replies.map((r) => r?.packet.code)).toEqual(Array(retransmissions + 1).fill(PacketCode.AccountingResponse))
      expect(new Set(replies.map((r) => r!.raw.toString('hex'))).size).toBe(1)
      return rows()
    }

    const afterStart = await send({ status: 'Start', eventTimestamp: T0 }, 1)
    expect(afterStart).toHaveLength(1)
    expect(afterStart[0]).toMatchObject({ acctstarttime: at(T0), acctupdatetime: at(T0), acctstoptime: null, acctsessiontime: 0 })
    expect(await send({ status: 'Start', eventTimestamp: T0, delay: 3 })).toEqual(afterStart)

    const afterInterim = await send({ status: 'Interim-Update', eventTimestamp: T0 + 300, sessionTime: 300, inputBytes: 1000, outputBytes: 2000 }, 1)
    expect(afterInterim[0]).toMatchObject({ acctupdatetime: at(T0 + 300), acctinterval: 300, acctinputoctets: 1000, acctoutputoctets: 2000 })
    // Same Event-Timestamp, bumped delay: the interval stays 300 (queries.conf alone would set it to 0).
    expect(await send({ status: 'Interim-Update', eventTimestamp: T0 + 300, sessionTime: 300, inputBytes: 1000, outputBytes: 2000, delay: 4 }))
      .toEqual(afterInterim)

    const stop = { status: 'Stop', eventTimestamp: T0 + 360, sessionTime: 360, inputBytes: 1500, outputBytes: 2600, terminateCause: 'Idle-Timeout' } as const
    const afterStop = await send(stop, 1)
    expect(afterStop).toHaveLength(1)
    expect(afterStop[0]).toMatchObject({ acctstoptime: at(T0 + 360), acctsessiontime: 360, acctinputoctets: 1500, acctoutputoctets: 2600,
      acctterminatecause: 'Idle-Timeout', acctinterval: 300 })
    expect(await send({ ...stop, delay: 5 })).toEqual(afterStop)
    // The three byte-identical copies came from the duplicate cache; the three bumped ones were processed again.
    expect(await duplicates()).toBe(before + 3)
  })
})
