/**
 * API-SSL (8729) against the emulator's TLS listener with a self-signed certificate made by openssl: accepted when
 * the hotspot says "TLS" (RouterOS certificates are self-signed; the tunnel authenticates the router), verified
 * when a CA is pinned, refused when the pinned CA is not the router's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAppError } from '@mnetifi/db/domain'
import { RouterConnection, RouterPool } from '../../src/routeros/index.js'
import { startEmulatedRouter, type RunningRouter } from './emulator/harness.js'
import { createSelfSignedCertificate, type TestCertificate } from './emulator/tls-cert.js'

describe('API-SSL', () => {
  let r: RunningRouter
  let cert: TestCertificate
  beforeAll(async () => {
    cert = createSelfSignedCertificate()
    r = await startEmulatedRouter({ identity: 'tls-router', tls: cert })
  })
  afterAll(async () => r.close())

  it('runs commands over TLS, accepting the router\'s self-signed certificate', async () => {
    const pool = new RouterPool()
    expect(r.target.tls).toBe(true)
    expect(await pool.clientFor(r.target).getIdentity()).toBe('tls-router')
    await pool.close()
  })

  it('verifies the certificate against a pinned CA', async () => {
    const connection = await RouterConnection.open({ ...r.target, tls: { ca: cert.cert } })
    expect(await connection.run('/system/identity/print')).toEqual([{ name: 'tls-router' }])
    await connection.close()
  })

  it('refuses a router whose certificate the pinned CA did not sign', async () => {
    const other = createSelfSignedCertificate()
    try {
      await RouterConnection.open({ ...r.target, tls: { ca: other.cert } })
      expect.unreachable()
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('ROUTER_UNREACHABLE')
      expect((err as Error).message).toBe(`Router 127.0.0.1:${r.port} is unreachable: TLS handshake or socket failure (does API-SSL have a certificate?)`)
    }
  })

  it('refuses plain API words on the TLS port', async () => {
    try {
      await RouterConnection.open({ ...r.target, tls: false }, { connectTimeoutMs: 300 })
      expect.unreachable()
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('ROUTER_UNREACHABLE')
    }
  })
})
