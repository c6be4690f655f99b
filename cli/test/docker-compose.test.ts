/**
 * The deployment compose file is valid (Debian's docker-compose parses it; no engine runs here) and
 * refuses to start without its secrets.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const FILE = new URL('../../docker/compose.yaml', import.meta.url).pathname

function compose(env: Record<string, string>, ...args: string[]) {
  const { PATH, HOME } = process.env
  return spawnSync('docker-compose', ['-f', FILE, 'config', ...args], { env: { PATH: PATH!, HOME: HOME!, ...env }, encoding: 'utf8' })
}

describe('docker/compose.yaml', () => {
  it('is valid and runs every MnetiFi process from one image after the migration', () => {
    const r = compose({ POSTGRES_PASSWORD: 'pw', MNETIFI_SECRET_KEY: 'k1:abc' }, '--services')
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n').sort()).toEqual(['api', 'migrate', 'postgres', 'radiusd', 'redis', 'worker'])
  })

  it('refuses to render without MNETIFI_SECRET_KEY', () => {
    const r = compose({ POSTGRES_PASSWORD: 'pw' }, '-q')
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/set MNETIFI_SECRET_KEY/)
  })
})
