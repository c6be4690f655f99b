/**
 * `mnetifi vpn server-config` (what compose's wireguard-config service runs before the tunnel comes up), on the
 * real CLI and database: the exact wg-quick file with one peer per provisioned hotspot of every tenant (archived
 * ones left out), written 0600 with --out and accepted by `wg-quick strip`; refused without the server key.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareHotspotTunnelAcrossTenants, RouterConfigSchema } from '@mnetifi/api'
import { createSecretBox, generateSecretKey, secretContext } from '@mnetifi/db'
import { createTestDatabase, insertTestHotspot, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'
import { generateKeyPair } from '@mnetifi/vpn'
import { BIN, ROOT } from './processes.js'

const KEY = generateSecretKey('k1')
const box = createSecretBox(KEY)
const server = generateKeyPair()
const VPN = { VPN_SERVER_PRIVATE_KEY: server.privateKey, VPN_ENDPOINT: 'vpn.example.test:51820', VPN_NETWORK: '10.99.0.0/24' }

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('cli_vpn') })
afterAll(async () => { await t?.destroy() })

function cli(args: string[], env: Record<string, string> = VPN) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NODE_ENV: 'production', MNETIFI_SECRET_KEY: KEY, DATABASE_URL: t.url, ...env },
  })
}

describe('mnetifi vpn server-config', () => {
  it('renders every provisioned router of every tenant as a peer, writes it 0600, and wg-quick accepts it', async () => {
    const config = { ...RouterConfigSchema.parse(VPN), PUBLIC_BASE_URL: 'https://mnetifi.example.test' }
    const [a, b] = [await insertTestTenant(t.db), await insertTestTenant(t.db)]
    const first = await insertTestHotspot(t.db, a.id, { location_name: 'Market stall', nas_ip: '192.0.2.10' })
    const second = await insertTestHotspot(t.db, b.id, { location_name: 'Bus stage', nas_ip: '192.0.2.11' })
    const archived = await insertTestHotspot(t.db, b.id, { location_name: 'Closed shop', nas_ip: '192.0.2.12' })
    await insertTestHotspot(t.db, a.id, { location_name: 'Not provisioned', nas_ip: '192.0.2.13' })
    const rows = [
      await prepareHotspotTunnelAcrossTenants(t.db, box, config, a.id, first.id),
      await prepareHotspotTunnelAcrossTenants(t.db, box, config, b.id, second.id),
    ]
    await prepareHotspotTunnelAcrossTenants(t.db, box, config, b.id, archived.id)
    await t.db.updateTable('hotspots').set({ archived_at: new Date(), vpn_address: null }).where('id', '=', archived.id).execute()
    expect(rows.map((r) => r.vpn_address)).toEqual(['10.99.0.2', '10.99.0.3'])

    const expected = [
      '# Rendered by MnetiFi: edits are overwritten.', '[Interface]', `PrivateKey = ${server.privateKey}`, 'Address = 10.99.0.1/24', 'ListenPort = 51820', '',
      ...rows.flatMap((r) => [
        `# ${r.location_name} (${r.id})`, '[Peer]', `PublicKey = ${r.vpn_public_key}`,
        `PresharedKey = ${box.decrypt(r.vpn_preshared_key!, secretContext('hotspots', 'vpn_preshared_key', r.id))}`, `AllowedIPs = ${r.vpn_address}/32`, '',
      ]),
    ].join('\n')

    const printed = cli(['vpn', 'server-config'])
    expect({ status: printed.status, stderr: printed.stderr }).toEqual({ status: 0, stderr: '' })
    expect(printed.stdout).toBe(`${expected.trimEnd()}\n`)

    const dir = mkdtempSync(join(tmpdir(), 'mnetifi-wg-'))
    try {
      const file = join(dir, 'wg0.conf')
      const written = cli(['vpn', 'server-config', '--out', file], { ...VPN, VPN_INTERFACE: 'wg-test-absent' })
      expect({ status: written.status, stderr: written.stderr }).toEqual({ status: 0, stderr: '' })
      // wg-quick strip reads the file; `wg syncconf` then fails on the interface that does not exist here.
      expect(written.stdout.startsWith(`wrote ${file} (2 peers); not applied: wg: `)).toBe(true)
      expect(readFileSync(file, 'utf8')).toBe(expected)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      const stripped = execFileSync('wg-quick', ['strip', file], { encoding: 'utf8' })
      // What `wg syncconf` takes: wg-quick's own Address line gone, comments, blank lines and every key kept.
      expect(stripped).toBe(`${expected.split('\n').filter((l) => !l.startsWith('Address = ')).join('\n')}\n`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses without VPN_SERVER_PRIVATE_KEY and VPN_ENDPOINT, and prints its usage for --help', () => {
    const refused = cli(['vpn', 'server-config'], {})
    expect(refused.status).toBe(1)
    expect(refused.stderr).toBe('mnetifi vpn: Router provisioning is not set up on this MnetiFi server (VPN_SERVER_PRIVATE_KEY and VPN_ENDPOINT)\n')
    const help = cli(['vpn', 'server-config', '--help'], {})
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^usage:\nmnetifi vpn server-config \[--out FILE\]/)
  })
})
