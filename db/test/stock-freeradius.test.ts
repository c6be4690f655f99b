/**
 * A stock FreeRADIUS 3.2 (Debian) pointed at a MnetiFi database with the tenant-aware queries from
 * docker/freeradius/ authorises our users from the rows the mirror triggers write: same reply attributes our
 * radiusd sends, same rejections, and the NAS decides the tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase,
} from '@mnetifi/db/testing'
import { radclient, startStockFreeradius, type StockFreeradius } from './support/stock-freeradius.js'

let t: TestDatabase
let fr: StockFreeradius
let ids: { tenantA: string; userA: string; planA: string; monthly: string }
const inOneHour = () => new Date(Date.now() + 3600_000)

beforeAll(async () => {
  t = await createTestDatabase('stock_freeradius')
  const a = await insertTestTenant(t.db, { name: 'ISP A' })
  const b = await insertTestTenant(t.db, { name: 'ISP B' })
  await insertTestHotspot(t.db, a.id, { nas_ip: '127.0.0.1', radius_secret: 'testing123' })
  await insertTestHotspot(t.db, b.id, { nas_ip: '10.0.0.2', radius_secret: 'other-secret' })
  const planA = await insertTestPlan(t.db, a.id, {
    burst_rate_up: 4_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 1_500_000, burst_threshold_down: 4_000_000,
    burst_time: 8, acct_interim_interval: 300, idle_timeout: 600,
  })
  const monthly = await insertTestPlan(t.db, a.id, { name: 'Home', account_types: ['PPPOE', 'STATIC'], upload_limit: 5_000_000, download_limit: 10_000_000 })
  const planB = await insertTestPlan(t.db, b.id)
  const userA = await insertTestUser(t.db, a.id, { username: 'alice', password: 'pw-a', current_plan_id: planA.id, expiry_time: inOneHour() })
  await insertTestUser(t.db, b.id, { username: 'alice', password: 'pw-b', current_plan_id: planB.id, expiry_time: inOneHour() })
  await insertTestUser(t.db, a.id, { username: 'suspended', password: 'pw', current_plan_id: planA.id, expiry_time: inOneHour(), status: 'SUSPENDED' })
  await insertTestUser(t.db, a.id, { username: 'expired', password: 'pw', current_plan_id: planA.id, expiry_time: new Date(Date.now() - 60_000) })
  await insertTestUser(t.db, a.id, { username: 'ppp', password: 'pw', account_type: 'PPPOE', framed_pool: 'pppoe-pool', current_plan_id: monthly.id, expiry_time: inOneHour() })
  const stat = await insertTestUser(t.db, a.id, { username: 'static', password: 'pw', account_type: 'STATIC', current_plan_id: monthly.id, expiry_time: inOneHour() })
  const pool = await t.db.insertInto('ip_pools').values({ tenant_id: a.id, name: 'static', cidr: '10.20.0.0/24' }).returning('id').executeTakeFirstOrThrow()
  await t.db.insertInto('ip_assignments').values({ tenant_id: a.id, pool_id: pool.id, user_id: stat.id, ip_address: '10.20.0.9' }).execute()
  ids = { tenantA: a.id, userA: userA.id, planA: planA.id, monthly: monthly.id }
  fr = await startStockFreeradius(t.url)
})
afterAll(async () => {
  await fr?.stop()
  await t?.destroy()
})

const hex = (s: string) => `0x${Buffer.from(s).toString('hex')}`
const sessionTimeout = (attrs: string[]) => Number(/^Session-Timeout = (\d+)$/.exec(attrs.find((a) => a.startsWith('Session-Timeout')) ?? '')?.[1])

describe('stock FreeRADIUS on the MnetiFi database', () => {
  it('accepts a hotspot user with the plan rate limit, interim, idle timeout, Class and Session-Timeout to expiry', () => {
    const r = radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "alice", User-Password = "pw-a"')
    expect(r.code).toBe('Access-Accept')
    const { tenantA, userA, planA } = ids
    expect(r.attributes.filter((a) => !a.startsWith('Session-Timeout'))).toEqual([
      `Class = ${hex(`mnetifi:${tenantA}:${userA}:${planA}`)}`,
      'Mikrotik-Rate-Limit = "2M/5M 4M/10M 1500k/4M 8/8"',
      'Acct-Interim-Interval = 300',
      'Idle-Timeout = 600',
    ])
    expect(sessionTimeout(r.attributes)).toBeGreaterThan(3590)
    expect(sessionTimeout(r.attributes)).toBeLessThanOrEqual(3600)
  })

  it('lets the NAS decide the tenant: the other ISP\'s password for the same username is rejected', () => {
    expect(radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "alice", User-Password = "pw-b"').code).toBe('Access-Reject')
  })

  it('rejects a suspended user with the readable reason, and an expired one', () => {
    const r = radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "suspended", User-Password = "pw"')
    expect(r).toEqual({ code: 'Access-Reject', attributes: ['Reply-Message = "Your account is suspended. Please contact support."'] })
    expect(radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "expired", User-Password = "pw"').code).toBe('Access-Reject')
  })

  it('gives a PPPoE user Framed-Protocol and its pool, a static user its address', () => {
    const ppp = radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "ppp", User-Password = "pw", Service-Type = Framed-User')
    expect(ppp.code).toBe('Access-Accept')
    expect(ppp.attributes).toEqual(expect.arrayContaining(['Framed-Protocol = PPP', 'Framed-Pool = "pppoe-pool"', 'Mikrotik-Rate-Limit = "5M/10M"']))
    const stat = radclient(fr.authPort, 'auth', 'testing123', 'User-Name = "static", User-Password = "pw"')
    expect(stat.attributes).toEqual(expect.arrayContaining(['Framed-IP-Address = 10.20.0.9', 'Mikrotik-Rate-Limit = "5M/10M"']))
  })

  it('records accounting with the tenant filled in from the NAS', async () => {
    const r = radclient(fr.acctPort, 'acct', 'testing123', [
      'User-Name = "alice"', 'Acct-Status-Type = Start', 'Acct-Session-Id = "80100014"', 'NAS-IP-Address = 127.0.0.1',
      'NAS-Port = 2148532244', 'Framed-IP-Address = 10.5.88.2', 'Calling-Station-Id = "BC:24:11:EB:56:4D"',
    ].join(', '))
    expect(r.code).toBe('Accounting-Response')
    const row = await t.db.selectFrom('radacct').select(['username', 'acctsessionid', 'tenant_id', 'acctstoptime', 'framedipaddress']).executeTakeFirstOrThrow()
    expect(row).toEqual({ username: 'alice', acctsessionid: '80100014', tenant_id: ids.tenantA, acctstoptime: null, framedipaddress: '10.5.88.2' })
  })
})
