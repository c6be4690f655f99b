import { describe, expect, it } from 'vitest'
import {
  allocateTunnelAddress, derivePublicKey, generateKeyPair, generatePresharedKey, isWireguardKey, parseCidr,
  renderRouterOsConfig, renderServerPeer,
} from './index.js'

describe('WireGuard keys', () => {
  it('derives the RFC 7748 §6.1 public key', () => {
    // Source: RFC 7748 §6.1, Alice's private key 77076d0a…1db92c2a → public 8520f009…aa9b4e6a.
    expect(derivePublicKey('dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=')).toBe('hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=')
  })

  it('generates clamped pairs whose public key matches the private key', () => {
    const pair = generateKeyPair()
    expect(isWireguardKey(pair.privateKey) && isWireguardKey(pair.publicKey)).toBe(true)
    expect(derivePublicKey(pair.privateKey)).toBe(pair.publicKey)
    const raw = Buffer.from(pair.privateKey, 'base64')
    expect(raw[0]! & 7).toBe(0)
    expect(raw[31]! & 0xc0).toBe(0x40)
    expect(isWireguardKey(generatePresharedKey())).toBe(true)
  })

  it('refuses keys that are not 32 bytes of base64', () => {
    expect(() => derivePublicKey('c2hvcnQ=')).toThrowError(/not a WireGuard key/)
    expect(isWireguardKey('not base64!')).toBe(false)
  })
})

describe('tunnel addresses', () => {
  it('keeps the first host for the server and hands out the lowest free address', () => {
    expect(parseCidr('10.99.0.0/24').server).toBe('10.99.0.1')
    expect(allocateTunnelAddress('10.99.0.0/24', [])).toBe('10.99.0.2')
    expect(allocateTunnelAddress('10.99.0.0/24', ['10.99.0.2', '10.99.0.4/32'])).toBe('10.99.0.3')
  })
  it('says when the network is full', () => {
    expect(allocateTunnelAddress('10.99.0.0/30', ['10.99.0.2'])).toBeUndefined()
  })
  it('refuses a bad network', () => expect(() => parseCidr('10.99.0.0/33')).toThrowError(/between \/8 and \/30/))
})

describe('config rendering', () => {
  const peer = {
    routerAddress: '10.99.0.2', prefix: 24, routerPrivateKey: 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=',
    routerPublicKey: 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=', serverPublicKey: 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=',
    serverAddress: '10.99.0.1', serverEndpoint: 'vpn.mnetifi.example:51820', presharedKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    comment: 'Kibera "Market"',
  }
  it('renders the RouterOS commands, the router initiating with keepalive', () => {
    expect(renderRouterOsConfig(peer)).toBe([
      '/interface wireguard add name=wg-mnetifi listen-port=13231 mtu=1420 private-key="dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=" comment="Kibera \\"Market\\""',
      '/interface wireguard peers add interface=wg-mnetifi public-key="hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=" preshared-key="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" allowed-address=10.99.0.1/32 endpoint-address=vpn.mnetifi.example endpoint-port=51820 persistent-keepalive=25s comment="MnetiFi"',
      '/ip address add address=10.99.0.2/24 interface=wg-mnetifi comment="MnetiFi management"',
      '/radius set [find] src-address=10.99.0.2',
    ].join('\n'))
  })
  it('renders the server peer for wg-quick', () => {
    expect(renderServerPeer(peer)).toBe('# Kibera "Market"\n[Peer]\nPublicKey = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=\nPresharedKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nAllowedIPs = 10.99.0.2/32\n')
  })
})
