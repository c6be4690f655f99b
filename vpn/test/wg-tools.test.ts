/**
 * Our keys and configs against the real WireGuard tools (Debian `wireguard-tools`, installed by .ci/run): no test
 * here is skipped when they are missing — a missing binary fails the test, since CI installs it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { applyServerConfig, derivePublicKey, generateKeyPair, generatePresharedKey, renderRouterWgQuickConfig, renderServerConfig } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'mnetifi-vpn-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const wg = (args: string[], input?: string) => execFileSync('wg', args, { encoding: 'utf8', ...(input === undefined ? {} : { input }) }).trim()

function strip(config: string, name: string): string {
  const path = join(dir, `${name}.conf`)
  writeFileSync(path, config, { mode: 0o600 })
  return execFileSync('wg-quick', ['strip', path], { encoding: 'utf8' })
}

describe('WireGuard keys against wg', () => {
  it('derives the same public key as `wg pubkey` for keys we generate and keys `wg genkey` makes', () => {
    const ours = Array.from({ length: 20 }, () => generateKeyPair())
    for (const pair of ours) expect(wg(['pubkey'], pair.privateKey)).toBe(pair.publicKey)
    for (let i = 0; i < 20; i++) {
      const priv = wg(['genkey'])
      expect(derivePublicKey(priv)).toBe(wg(['pubkey'], priv))
    }
  })

  it('makes preshared keys of the form `wg genpsk` does (wg accepts them)', () => {
    const psk = generatePresharedKey()
    expect(psk).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    const stripped = strip(`[Interface]\nPrivateKey = ${generateKeyPair().privateKey}\n\n[Peer]\nPublicKey = ${generateKeyPair().publicKey}\nPresharedKey = ${psk}\nAllowedIPs = 10.99.0.2/32\n`, 'psk')
    expect(stripped).toContain(`PresharedKey = ${psk}`)
  })
})

describe('rendered configs parse with wg-quick strip', () => {
  const server = generateKeyPair()
  const routers = [generateKeyPair(), generateKeyPair()]

  it('parses the server config with every peer, sorted by address', () => {
    const config = renderServerConfig({ privateKey: server.privateKey, address: '10.99.0.1/24', listenPort: 51820 }, [
      { comment: 'Kibera\nMarket (b)', publicKey: routers[1]!.publicKey, presharedKey: null, address: '10.99.0.10' },
      { comment: 'Ngong Rd (a)', publicKey: routers[0]!.publicKey, presharedKey: generatePresharedKey(), address: '10.99.0.2' },
    ])
    const stripped = strip(config, 'wg0')
    // wg-quick strip drops its own keys (Address) and comments, keeping what `wg setconf` reads.
    expect(stripped.split('\n').filter((l) => l.startsWith('PublicKey') || l.startsWith('AllowedIPs') || l.startsWith('ListenPort'))).toEqual([
      'ListenPort = 51820', `PublicKey = ${routers[0]!.publicKey}`, 'AllowedIPs = 10.99.0.2/32', `PublicKey = ${routers[1]!.publicKey}`, 'AllowedIPs = 10.99.0.10/32',
    ])
    expect(stripped).not.toContain('Address')
    expect(config).toContain('# Kibera Market (b)\n[Peer]')
  })

  it('parses a router-side config', () => {
    const config = renderRouterWgQuickConfig({
      routerPrivateKey: routers[0]!.privateKey, routerAddress: '10.99.0.2', prefix: 24, serverPublicKey: server.publicKey,
      presharedKey: generatePresharedKey(), serverAddress: '10.99.0.1', serverEndpoint: 'vpn.mnetifi.example:51820',
    })
    const stripped = strip(config, 'router')
    expect(stripped).toContain('Endpoint = vpn.mnetifi.example:51820')
    expect(stripped).toContain('PersistentKeepalive = 25')
  })

  it('refuses to render a server config around a malformed private key', () => {
    expect(() => renderServerConfig({ privateKey: 'nope', address: '10.99.0.1/24' }, [])).toThrowError(/not a WireGuard key/)
  })
})

describe('applying the server config', () => {
  const config = renderServerConfig({ privateKey: generateKeyPair().privateKey, address: '10.99.0.1/24' }, [])

  it('writes the file 0600 and reports why it could not sync a missing interface', async () => {
    const path = join(dir, 'apply-wg0.conf')
    const outcome = await applyServerConfig(config, { path, interfaceName: 'mnetifi-none0' })
    expect(readFileSync(path, 'utf8')).toBe(config)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(outcome.method).toBe('file')
    expect(outcome.method === 'file' && outcome.reason).toMatch(/^wg: Unable to (modify|retrieve current) interface/)
  })

  it('falls back to the file alone where the wg tools are not installed', async () => {
    const path = join(dir, 'apply-nowg.conf')
    expect(await applyServerConfig(config, { path, wgQuickCommand: join(dir, 'no-such-wg-quick') })).toEqual({ method: 'file', reason: 'wg-quick is not installed' })
    expect(readFileSync(path, 'utf8')).toBe(config)
  })
})
