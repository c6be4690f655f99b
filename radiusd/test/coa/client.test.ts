import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCoaClient } from '../../src/coa/client.js'
import { startFakeNas, type FakeNas } from '../helpers/fake-nas.js'

const SECRET = 'coa-secret-1'
let nas: FakeNas
const client = createCoaClient({ retryMs: 30, maxAttempts: 3 })

beforeAll(async () => { nas = await startFakeNas(SECRET) })
afterEach(() => { nas.received.length = 0; nas.behave({ kind: 'ack' }) })
afterAll(async () => { await client.close(); await nas.close() })

describe('CoA / Disconnect client (RFC 5176)', () => {
  it('sends a Disconnect-Request with exactly the identification attributes and resolves on Disconnect-ACK', async () => {
    const result = await client.disconnect({ nasIp: '127.0.0.1', port: nas.port, secret: SECRET,
      attributes: { 'User-Name': 'alice', 'Acct-Session-Id': '80100014', 'Framed-IP-Address': '10.5.88.2' } })
    expect(result).toEqual({ kind: 'ack' })
    expect(nas.received).toHaveLength(1)
    expect(nas.received[0]!.packet.code).toBe(40)
    expect(Object.fromEntries(nas.received[0]!.packet.attributes)).toEqual({
      'User-Name': ['alice'], 'Acct-Session-Id': ['80100014'], 'Framed-IP-Address': ['10.5.88.2'] })
  })

  it('sends a CoA-Request with a new rate limit and session timeout and reports the NAK Error-Cause by name', async () => {
    nas.behave({ kind: 'nak', errorCause: 503 })
    const result = await client.changeAuthorization({ nasIp: '127.0.0.1', port: nas.port, secret: SECRET,
      attributes: { 'User-Name': 'bob', 'Mikrotik-Rate-Limit': '1M/2M', 'Session-Timeout': 600 } })
    expect(result).toEqual({ kind: 'nak', errorCause: 'Session-Context-Not-Found' })
    expect(nas.received[0]!.packet.code).toBe(43)
    expect(nas.received[0]!.packet.attributes.get('Mikrotik-Rate-Limit')).toEqual(['1M/2M'])
    expect(nas.received[0]!.packet.attributes.get('Session-Timeout')).toEqual([600])
  })

  it('retransmits identical bytes with backoff and gives up as a timeout after maxAttempts', async () => {
    nas.behave({ kind: 'silent' })
    const started = Date.now()
    const result = await client.disconnect({ nasIp: '127.0.0.1', port: nas.port, secret: SECRET, attributes: { 'User-Name': 'carol' } })
    expect(result).toEqual({ kind: 'timeout' })
    expect(nas.received).toHaveLength(3)
    expect(nas.received[1]!.raw).toEqual(nas.received[0]!.raw)
    expect(nas.received[2]!.raw).toEqual(nas.received[0]!.raw)
    // 30 + 60 + 120 ms of waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200)
  })

  it('answers the first retransmission when the NAS was silent once', async () => {
    let calls = 0
    nas.behave(() => (++calls === 1 ? { kind: 'silent' } : { kind: 'ack' }))
    expect(await client.disconnect({ nasIp: '127.0.0.1', port: nas.port, secret: SECRET, attributes: { 'User-Name': 'dan' } }))
      .toEqual({ kind: 'ack' })
    expect(nas.received).toHaveLength(2)
  })

  it('ignores a reply signed with the wrong secret', async () => {
    const liar = await startFakeNas(SECRET, 'not-the-secret')
    try {
      expect(await client.disconnect({ nasIp: '127.0.0.1', port: liar.port, secret: SECRET, attributes: { 'User-Name': 'eve' } }))
        .toEqual({ kind: 'timeout' })
      expect(liar.received).toHaveLength(3)
    } finally { await liar.close() }
  })

  it('refuses to put authorisation attributes into a Disconnect-Request', () => {
    expect(() => client.disconnect({ nasIp: '127.0.0.1', port: nas.port, secret: SECRET,
      attributes: { 'User-Name': 'x', 'Mikrotik-Rate-Limit': '1M' } as never })).toThrow(/not a session identification/)
  })
})
