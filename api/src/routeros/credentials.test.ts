import { describe, expect, it } from 'vitest'
import { createSecretBox, generateSecretKey, secretContext, type HotspotRow } from '@mnetifi/db'
import { routerTargetOf } from './credentials.js'

const box = createSecretBox(generateSecretKey('k1'))
const id = '0d3c6f5e-8a0b-4d6e-9f7a-1b2c3d4e5f60'
const row = {
  id, tenant_id: 't', location_name: 'Kibera Market', nas_ip: '10.99.0.2', router_api_ip: null, router_api_port: 8729, router_api_tls: true,
  router_api_user: 'mnetifi', router_api_pass: box.encrypt('s3cret-api', secretContext('hotspots', 'router_api_pass', id)), vpn_address: '10.99.0.2',
} as unknown as HotspotRow

describe('routerTargetOf', () => {
  it('reaches the router through its tunnel address and opens the sealed password', () => {
    expect(routerTargetOf(row, box)).toEqual({ host: '10.99.0.2', port: 8729, tls: true, user: 'mnetifi', password: 's3cret-api' })
    expect(routerTargetOf({ ...row, router_api_ip: '192.0.2.7' }, box).host).toBe('192.0.2.7')
  })

  it('names what is missing', () => {
    expect(() => routerTargetOf({ ...row, vpn_address: null, router_api_pass: null }, box))
      .toThrowError('The router of hotspot "Kibera Market" is missing an API address (or a tunnel address), an API password')
  })

  it('does not open a password sealed for another hotspot', () => {
    expect(() => routerTargetOf({ ...row, id: '11111111-2222-4333-8444-555555555555' }, box)).toThrowError(/did not authenticate/)
  })
})
