/**
 * The soak bench's mutations at a small count (issue 14, point 5): every hostile datagram is dropped unanswered
 * and counted under its reason in /metrics, exactly, while valid requests interleaved with them are all answered.
 */
import { createSocket, type Socket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser, type TestDatabase } from '@mnetifi/db/testing'
import type { RunningRadiusd } from '../../src/main.js'
import { DROP_REASONS, type DropReason } from '../../src/metrics.js'
import { createRandom } from '../protocol/attribute-samples.js'
import { classifyDrop, createHostileGenerator, MUTATIONS, type Mutation } from '../helpers/hostile-packets.js'
import { eventually, startTestRadiusd } from '../helper.js'

const SECRET = Buffer.from('testing123')
let t: TestDatabase
let radiusd: RunningRadiusd

beforeAll(async () => {
  t = await createTestDatabase('radiusd_hostile')
  const tenant = await insertTestTenant(t.db)
  // The NAS must send Message-Authenticator, so an Access-Request without one is hostile too (BlastRADIUS).
  await insertTestHotspot(t.db, tenant.id, { require_message_authenticator: true })
  const plan = await insertTestPlan(t.db, tenant.id)
  await insertTestUser(t.db, tenant.id, { username: 'soak-user', password: 'soak-pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 86_400_000) })
  radiusd = await startTestRadiusd(t)
})
afterAll(async () => { await radiusd?.close(); await t?.destroy() })

async function bound(address: string): Promise<{ socket: Socket; replies: Buffer[] }> {
  const socket = createSocket('udp4')
  const replies: Buffer[] = []
  socket.on('message', (m) => replies.push(m))
  await new Promise<void>((r) => socket.bind(0, address, r))
  return { socket, replies }
}

async function dropCounts(): Promise<Record<string, number>> {
  const body = await (await fetch(`http://127.0.0.1:${radiusd.metricsPort}/metrics`)).text()
  return Object.fromEntries([...body.matchAll(/^radiusd_dropped_packets_total\{reason="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]))
}

describe('hostile packets', () => {
  it('each targeted mutation yields the reason it is built for', () => {
    const generator = createHostileGenerator({ secret: SECRET, userName: 'soak-user', password: 'soak-pw', random: createRandom(5) })
    const seen = new Map<Mutation, Set<DropReason>>()
    for (let i = 0; i < 5000; i++) {
      const p = generator.next()
      if (!p.fromUnknownSource) expect(classifyDrop(p.bytes, p.kind, SECRET)).toBe(p.expected)
      seen.set(p.mutation, (seen.get(p.mutation) ?? new Set()).add(p.expected))
    }
    expect([...seen.keys()].sort()).toEqual([...MUTATIONS].sort())
    const reasons = (m: Mutation) => [...seen.get(m)!].sort()
    expect(reasons('vsa-overflow')).toEqual(['bad-attribute-length'])
    expect(reasons('attribute-overflow')).toEqual(['bad-attribute-length'])
    expect(reasons('bad-value')).toEqual(['bad-value'])
    expect(reasons('bad-authenticator')).toEqual(['bad-authenticator'])
    expect(reasons('wrong-secret')).toEqual(['bad-authenticator', 'bad-message-authenticator'])
    expect(reasons('missing-message-authenticator')).toEqual(['missing-message-authenticator'])
    expect(reasons('unknown-code')).toEqual(['unknown-code'])
    expect(reasons('wrong-port-code')).toEqual(['unexpected-code'])
    expect(reasons('runt')).toEqual(['too-short'])
    expect(reasons('unknown-source')).toEqual(['unknown-client'])
    expect(reasons('truncation')).toEqual(['length-mismatch', 'too-short'])
  })

  it('drops 3,000 hostile datagrams, counting each under its reason, and answers the 120 valid requests sent among them', async () => {
    const generator = createHostileGenerator({ secret: SECRET, userName: 'soak-user', password: 'soak-pw', random: createRandom(14) })
    const before = await dropCounts()
    expect(Object.keys(before).sort()).toEqual([...DROP_REASONS].sort())
    const hostile = await bound('127.0.0.1')
    const stranger = await bound('127.0.0.2')
    const valid = await bound('127.0.0.1')
    const expected: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]))
    let validSent = 0
    for (let i = 1; i <= 3000; i++) {
      const p = generator.next()
      expected[p.expected]!++
      ;(p.fromUnknownSource ? stranger : hostile).socket.send(p.bytes, p.kind === 'auth' ? radiusd.authPort : radiusd.acctPort, '127.0.0.1')
      if (i % 50 === 0) {
        valid.socket.send(generator.validAccess(), radiusd.authPort, '127.0.0.1')
        valid.socket.send(generator.validAccounting(), radiusd.acctPort, '127.0.0.1')
        validSent += 2
        // Paced like a NAS, not a kernel-buffer overflow: every datagram must reach radiusd to be counted.
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    expect(validSent).toBe(120)
    expect(await eventually(async () => valid.replies.length >= validSent, 10_000)).toBe(true)
    const after = await dropCounts()
    expect(Object.fromEntries(DROP_REASONS.map((r) => [r, after[r]! - before[r]!]))).toEqual(expected)
    expect(valid.replies.map((r) => r[0]).sort()).toEqual([...Array(60).fill(2), ...Array(60).fill(5)])
    expect(hostile.replies).toEqual([])
    expect(stranger.replies).toEqual([])
    for (const s of [hostile, stranger, valid]) s.socket.close()
  })
})
