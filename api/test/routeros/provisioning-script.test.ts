/**
 * The rendered provisioning script: every line is a RouterOS command form the emulator's parser accepts (menus,
 * verbs and properties checked), the emulator applies it to the expected state, a second run changes nothing,
 * and a RouterOS v6 router refuses it before touching anything.
 */
import { describe, expect, it } from 'vitest'
import { derivePublicKey, generateKeyPair, generatePresharedKey } from '@mnetifi/vpn'
import { renderProvisioningScript, rosString, type ProvisioningInput } from '../../src/routeros/provisioning-script.js'
import { EmulatedRouter } from './emulator/router.js'
import { parseScript } from './emulator/script.js'

const router = generateKeyPair()
const server = generateKeyPair()
const input: ProvisioningInput = {
  hotspotId: '0d3c6f5e-8a0b-4d6e-9f7a-1b2c3d4e5f60', locationName: 'Kibera "Market" $(1)',
  tunnel: {
    interfaceName: 'wg-mnetifi', routerPrivateKey: router.privateKey, routerAddress: '10.99.0.7', prefix: 24, serverPublicKey: server.publicKey,
    presharedKey: generatePresharedKey(), serverAddress: '10.99.0.1', serverEndpoint: 'vpn.mnetifi.example:51820',
  },
  radius: { secret: 'Zq1-radius_secret$?"x', interimSeconds: 300, macAuth: true, authPort: 1812, acctPort: 1813 },
  api: { user: 'mnetifi', password: 'api-Pass_word-123' },
  walledGardenHosts: ['wifi.mnetifi.example', '*.safaricom.co.ke'],
  hotspotPages: { 'login.html': 'https://wifi.mnetifi.example/api/provisioning/tok/hotspot/login.html' },
}

async function apply(r: EmulatedRouter, script: string): Promise<void> {
  r.addDynamic('/file', { name: 'mnetifi.rsc', type: 'script', contents: script })
  await r.terminal('/import file-name=mnetifi.rsc', async (url) => `<html><!-- page for ${url} --></html>`)
  r.remove('/file', [r.items('/file').find((f) => f.name === 'mnetifi.rsc')!['.id']])
}

describe('provisioning script', () => {
  it('is made of lines that each parse as a RouterOS command form (with and without MAC login and pages)', () => {
    const variants = [input, { ...input, radius: { ...input.radius, macAuth: false } }, { ...input, hotspotPages: undefined }, { ...input, walledGardenHosts: [] }]
    for (const v of variants) {
      const lines = renderProvisioningScript(v as ProvisioningInput).split('\n').filter((l) => l.trim() !== '')
      expect(lines.length).toBeGreaterThan(20)
      for (const line of lines) expect(() => parseScript(line), line).not.toThrow()
    }
  })

  it('escapes what RouterOS would expand or end a string on', () => {
    expect(rosString('a"b\\c$d?e')).toBe('"a\\"b\\\\c\\$d\\?e"')
    expect(() => rosString('two\nlines')).toThrowError('RouterOS script strings cannot hold line breaks')
  })

  it('brings a factory router to the expected state', async () => {
    const r = new EmulatedRouter({ version: '7.18.2 (stable)' })
    await apply(r, renderProvisioningScript(input))
    const one = <T,>(xs: T[]): T => { expect(xs).toHaveLength(1); return xs[0]! }
    expect(one(r.items('/interface/wireguard'))).toMatchObject({ name: 'wg-mnetifi', 'private-key': router.privateKey, 'public-key': derivePublicKey(router.privateKey), 'listen-port': '13231', mtu: '1420' })
    expect(one(r.items('/interface/wireguard/peers'))).toMatchObject({
      interface: 'wg-mnetifi', 'public-key': server.publicKey, 'preshared-key': input.tunnel.presharedKey, 'allowed-address': '10.99.0.1/32',
      'endpoint-address': 'vpn.mnetifi.example', 'endpoint-port': '51820', 'persistent-keepalive': '25s', comment: 'MnetiFi',
    })
    expect(one(r.items('/ip/address'))).toMatchObject({ address: '10.99.0.7/24', interface: 'wg-mnetifi' })
    expect(one(r.items('/radius'))).toMatchObject({
      address: '10.99.0.1', secret: 'Zq1-radius_secret$?"x', service: 'hotspot,ppp', 'authentication-port': '1812', 'accounting-port': '1813',
      timeout: '2s', 'src-address': '10.99.0.7', 'require-message-auth': 'yes-for-request-resp', comment: 'MnetiFi',
    })
    expect(r.setting('/radius/incoming')).toEqual({ accept: 'true', port: '3799' })
    expect(r.items('/ip/firewall/filter').map((f) => [f.comment, f.protocol, f['dst-port'], f['src-address'], f['in-interface'], f.action])).toEqual([
      ['MnetiFi API', 'tcp', '8728', '10.99.0.1', 'wg-mnetifi', 'accept'], ['MnetiFi CoA', 'udp', '3799', '10.99.0.1', 'wg-mnetifi', 'accept'],
    ])
    expect(r.items('/user/group').find((g) => g.name === 'mnetifi-api')?.policy).toBe('read,write,api,test,sensitive')
    expect(r.items('/user').find((u) => u.name === 'mnetifi')).toMatchObject({ group: 'mnetifi-api', password: 'api-Pass_word-123', address: '10.99.0.1/32' })
    expect(r.checkLogin('mnetifi', 'api-Pass_word-123', '10.99.0.1')).toBe(true)
    expect(r.checkLogin('mnetifi', 'api-Pass_word-123', '192.0.2.1')).toBe(false)
    expect(r.items('/ip/service').find((s) => s.name === 'api')?.disabled).toBe('false')
    for (const p of r.items('/ip/hotspot/profile')) {
      expect(p).toMatchObject({ 'use-radius': 'true', 'radius-accounting': 'true', 'radius-interim-update': '5m', 'login-by': 'mac,http-chap,http-pap', 'html-directory': 'mnetifi-hotspot' })
    }
    expect(r.items('/file').map((f) => [f.name, f.contents])).toEqual([['mnetifi-hotspot/login.html', '<html><!-- page for https://wifi.mnetifi.example/api/provisioning/tok/hotspot/login.html --></html>']])
    expect(r.items('/ip/hotspot/walled-garden').map((w) => [w['dst-host'], w.action])).toEqual([['wifi.mnetifi.example', 'allow'], ['*.safaricom.co.ke', 'allow']])
    expect(r.items('/ip/hotspot/walled-garden/ip').map((w) => [w['dst-host'], w.action])).toEqual([['wifi.mnetifi.example', 'accept']])
    expect(r.setting('/ppp/aaa')).toMatchObject({ 'use-radius': 'true', accounting: 'true', 'interim-update': '5m' })
    expect(r.log).toEqual(['MnetiFi provisioning applied'])
  })

  it('is idempotent: a second run leaves exactly the state of the first', async () => {
    const r = new EmulatedRouter()
    const script = renderProvisioningScript(input)
    await apply(r, script)
    const first = r.snapshot()
    await apply(r, script)
    expect(r.snapshot()).toEqual(first)
  })

  it('keeps rules the ISP had and puts MnetiFi\'s first', async () => {
    const r = new EmulatedRouter()
    r.add('/ip/firewall/filter', { chain: 'input', action: 'drop', comment: 'ISP drop all' })
    await apply(r, renderProvisioningScript(input))
    expect(r.items('/ip/firewall/filter').map((f) => f.comment)).toEqual(['MnetiFi API', 'MnetiFi CoA', 'ISP drop all'])
  })

  it('refuses RouterOS v6 before changing anything', async () => {
    const r = new EmulatedRouter({ version: '6.49.10 (long-term)' })
    const before = r.snapshot()
    r.addDynamic('/file', { name: 'mnetifi.rsc', type: 'script', contents: renderProvisioningScript(input) })
    await expect(r.terminal('/import file-name=mnetifi.rsc')).rejects.toThrowError(
      'failure on line 1: import of mnetifi.rsc failed: failure on line 3: MnetiFi needs RouterOS v7 (WireGuard); this router runs v6. Upgrade RouterOS, then run this script again.',
    )
    r.remove('/file', [r.items('/file')[0]!['.id']])
    expect(r.snapshot()).toEqual(before)
  })
})
