import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { RunningRadiusd } from '../../src/main.js'
import { decodePacket, encodeRequest, PacketCode } from '../../src/protocol/codec.js'
import { eventually, sendRaw, startTestRadiusd } from '../helper.js'

const SECRET = Buffer.from('testing123')
let t: TestDatabase
let radiusd: RunningRadiusd

beforeAll(async () => {
  t = await createTestDatabase('radiusd_server')
  const tenant = await insertTestTenant(t.db)
  await insertTestHotspot(t.db, tenant.id)
  // 127.0.0.3 is a second NAS that insists on Message-Authenticator (BlastRADIUS hardening).
  await insertTestHotspot(t.db, tenant.id, { nas_ip: '127.0.0.3', require_message_authenticator: true })
  const plan = await insertTestPlan(t.db, tenant.id, { simultaneous_use: 100 })
  await insertTestUser(t.db, tenant.id, { username: 'dup', password: 'pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 3600_000) })
  radiusd = await startTestRadiusd(t)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

const papRequest = (id: number, extra: [string, string][] = [], ma = true) => encodeRequest({ code: PacketCode.AccessRequest, identifier: id,
  secret: SECRET, messageAuthenticator: ma, attributes: [['User-Name', 'dup'], ['User-Password', 'pw'], ...extra] as never })
/** Sends `packet` once, waits for the reply, then again from the same socket: the second answer must come from the cache. */
async function sendRawPair(packet: Buffer): Promise<Buffer[]> {
  return sendRaw(radiusd.authPort, [packet, packet], { waitMs: 300, gapMs: 200 })
}
const metric = async (name: string) => {
  const body = await (await fetch(`http://127.0.0.1:${radiusd.metricsPort}/metrics`)).text()
  return body.split('\n').filter((l) => l.startsWith(name)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}

describe('radiusd server loop', () => {
  it('answers a retransmission (same source, Id, authenticator) from the cache, byte for byte, and processes it once', async () => {
    const packet = papRequest(42, [['Calling-Station-Id', 'dedupe-test']])
    const inProgressBefore = await metric('radiusd_dropped_packets_total{reason="duplicate-in-progress"}')
    // The second copy arrives while the first is in the database (dropped), the last two after the reply (cached).
    const replies = await sendRaw(radiusd.authPort, [packet, packet, packet, packet], { waitMs: 300, gapMs: 0 })
    const later = await sendRaw(radiusd.authPort, [], { waitMs: 0 })
    expect(later).toEqual([])
    expect(replies.length).toBeGreaterThanOrEqual(1)
    expect(new Set(replies.map((r) => r.toString('hex'))).size).toBe(1)
    expect(await metric('radiusd_dropped_packets_total{reason="duplicate-in-progress"}') + await metric('radiusd_duplicates_total'))
      .toBeGreaterThanOrEqual(inProgressBefore + 3)
    const cached = await sendRawPair(packet)
    expect(cached[1]).toEqual(cached[0])
    // Six datagrams, two sources ports (RouterOS uses a new port per request): processed exactly twice.
    expect(await eventually(async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM radpostauth WHERE callingstationid = 'dedupe-test'`.execute(t.db)).rows[0]!.n === 2))
      .toBe(true)
    await new Promise((r) => setTimeout(r, 400))
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM radpostauth WHERE callingstationid = 'dedupe-test'`.execute(t.db)).rows[0]!.n).toBe(2)
  })

  it('puts Message-Authenticator first and echoes every Proxy-State in order', async () => {
    const packet = papRequest(43, [['Proxy-State', 'first'], ['Proxy-State', 'second']])
    const [reply] = await sendRaw(radiusd.authPort, [packet])
    expect(reply![20]).toBe(80)
    const decoded = decodePacket(reply!, SECRET, { requestAuthenticator: packet.subarray(4, 20) })
    expect(decoded.code).toBe(PacketCode.AccessAccept)
    expect(decoded.attributes.get('Proxy-State')).toEqual([Buffer.from('first'), Buffer.from('second')])
  })

  it('drops packets from unknown sources without answering, and counts them', async () => {
    const before = await metric('radiusd_dropped_packets_total{reason="unknown-client"}')
    expect(await sendRaw(radiusd.authPort, [papRequest(44)], { sourceAddress: '127.0.0.2' })).toEqual([])
    expect(await metric('radiusd_dropped_packets_total{reason="unknown-client"}')).toBe(before + 1)
  })

  it('drops an Access-Request without Message-Authenticator from a NAS that requires it, and answers one with it', async () => {
    expect(await sendRaw(radiusd.authPort, [papRequest(45, [], false)], { sourceAddress: '127.0.0.3' })).toEqual([])
    expect(await sendRaw(radiusd.authPort, [papRequest(46, [], true)], { sourceAddress: '127.0.0.3' })).toHaveLength(1)
  })

  it('auto mode: a NAS that sent Message-Authenticator once must always send it, persisted on its hotspot', async () => {
    const tenant = await insertTestTenant(t.db)
    const hotspot = await insertTestHotspot(t.db, tenant.id, { nas_ip: '127.0.0.4' })
    await insertTestUser(t.db, tenant.id, { username: 'dup', password: 'pw', current_plan_id: (await insertTestPlan(t.db, tenant.id, { simultaneous_use: 100 })).id,
      expiry_time: new Date(Date.now() + 3600_000) })
    const auto = await startTestRadiusd(t, { RADIUS_MESSAGE_AUTHENTICATOR: 'auto' })
    try {
      const send = (id: number, ma: boolean) => sendRaw(auto.authPort, [papRequest(id, [], ma)], { sourceAddress: '127.0.0.4' })
      expect(await send(60, false)).toHaveLength(1) // never sent one: not required yet
      expect(await send(61, true)).toHaveLength(1) // learns it
      expect(await send(62, false)).toEqual([]) // from now on required
      expect(await eventually(async () => (await t.db.selectFrom('hotspots').select('require_message_authenticator').where('id', '=', hotspot.id)
        .executeTakeFirstOrThrow()).require_message_authenticator)).toBe(true)
    } finally {
      await auto.close()
    }
    // A restarted process (or another replica) reads the persisted flag.
    const again = await startTestRadiusd(t, { RADIUS_MESSAGE_AUTHENTICATOR: 'flag' })
    try {
      expect(await sendRaw(again.authPort, [papRequest(63, [], false)], { sourceAddress: '127.0.0.4' })).toEqual([])
      expect(await sendRaw(again.authPort, [papRequest(64, [], true)], { sourceAddress: '127.0.0.4' })).toHaveLength(1)
    } finally {
      await again.close()
    }
  })

  it('auto mode: an operator nas row without a hotspot keeps the learned flag across restarts too (radiusd_nas_flags)', async () => {
    const nas = await t.db.insertInto('nas').values({ nasname: '127.0.0.5', shortname: 'operator-nas', secret: 'testing123' })
      .returning('id').executeTakeFirstOrThrow()
    await t.db.insertInto('radcheck').values({ username: 'operator-user', attribute: 'Cleartext-Password', op: ':=', value: 'pw' }).execute()
    const request = (id: number, ma: boolean) => encodeRequest({ code: PacketCode.AccessRequest, identifier: id, secret: SECRET,
      messageAuthenticator: ma, attributes: [['User-Name', 'operator-user'], ['User-Password', 'pw']] })
    const codes = (replies: Buffer[]) => replies.map((r) => r[0])
    const auto = await startTestRadiusd(t, { RADIUS_MESSAGE_AUTHENTICATOR: 'auto' })
    try {
      const send = (id: number, ma: boolean) => sendRaw(auto.authPort, [request(id, ma)], { sourceAddress: '127.0.0.5' })
      expect(codes(await send(70, false))).toEqual([PacketCode.AccessAccept]) // never sent one: not required yet
      expect(codes(await send(71, true))).toEqual([PacketCode.AccessAccept]) // learns it
      expect(await send(72, false)).toEqual([])
      const flag = () => t.db.selectFrom('radiusd_nas_flags').selectAll().where('nas_id', '=', nas.id).executeTakeFirst()
      expect(await eventually(async () => (await flag()) !== undefined)).toBe(true)
      expect(await flag()).toMatchObject({ nas_id: nas.id, tenant_id: null, require_message_authenticator: true })
    } finally {
      await auto.close()
    }
    const again = await startTestRadiusd(t, { RADIUS_MESSAGE_AUTHENTICATOR: 'flag' })
    try {
      expect(await sendRaw(again.authPort, [request(73, false)], { sourceAddress: '127.0.0.5' })).toEqual([])
      expect(codes(await sendRaw(again.authPort, [request(74, true)], { sourceAddress: '127.0.0.5' }))).toEqual([PacketCode.AccessAccept])
      // Deleting the learned flag resets the NAS; the running replica hears it through the nas NOTIFY.
      await t.db.deleteFrom('radiusd_nas_flags').where('nas_id', '=', nas.id).execute()
      expect(await eventually(async () => (await sendRaw(again.authPort, [request(75, false)], { sourceAddress: '127.0.0.5' })).length === 1)).toBe(true)
    } finally {
      await again.close()
    }
  })

  it('survives random and mutated packets (fuzz), counts them as drops, and still answers a valid request', async () => {
    const valid = papRequest(47)
    const junk: Buffer[] = []
    let seed = 12345
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n }
    for (let i = 0; i < 300; i++) {
      if (i % 3 === 0) junk.push(randomBytes(rand(120)))
      else {
        const m = Buffer.from(valid)
        for (let k = 0; k < 1 + rand(4); k++) m[rand(m.length)] = rand(256)
        junk.push(i % 3 === 1 ? m : m.subarray(0, rand(m.length)))
      }
    }
    // Structured edge cases: declared length larger than datagram, attribute length 0/1, VSA overruns.
    junk.push(Buffer.from([1, 1, 0x10, 0, ...Buffer.alloc(16)]), Buffer.from([1, 2, 0, 22, ...Buffer.alloc(16), 1, 0]),
      Buffer.from([1, 3, 0, 28, ...Buffer.alloc(16), 26, 8, 0, 0, 0x3a, 0x8c, 8, 9]))
    for (let i = 0; i < junk.length; i += 50) await sendRaw(radiusd.authPort, junk.slice(i, i + 50), { waitMs: 20 })
    await sendRaw(radiusd.acctPort, junk.slice(0, 50), { waitMs: 20 })
    expect(await metric('radiusd_handler_errors_total')).toBe(0)
    expect(await metric('radiusd_dropped_packets_total')).toBeGreaterThan(100)
    const [reply] = await sendRaw(radiusd.authPort, [valid])
    expect(decodePacket(reply!, SECRET, { requestAuthenticator: valid.subarray(4, 20) }).code).toBe(PacketCode.AccessAccept)
  })

  it('answers Status-Server on the auth port (RFC 5997)', async () => {
    const status = encodeRequest({ code: PacketCode.StatusServer, identifier: 9, secret: SECRET, attributes: [] })
    const [reply] = await sendRaw(radiusd.authPort, [status])
    expect(decodePacket(reply!, SECRET, { requestAuthenticator: status.subarray(4, 20) }).code).toBe(PacketCode.AccessAccept)
  })
})
