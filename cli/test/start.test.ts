/**
 * `mnetifi start` (what `npm start` runs) on an empty database: migrates it, seeds the demo ISP, runs
 * every process, answers RADIUS (radtest from freeradius-utils) and HTTP, sells a plan through the portal and the
 * Daraja simulator, and stops cleanly on SIGTERM.
 */
import { spawn, execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '@mnetifi/db/testing'
import { generateSecretKey } from '@mnetifi/db'
import { BIN, freePort } from './processes.js'

let t: TestDatabase
beforeAll(async () => { t = await createTestDatabase('cli_start', { migrate: false }) })
afterAll(async () => { await t?.destroy() })

describe('mnetifi start', () => {
  it('brings up the whole stack on a fresh database and stops cleanly', async () => {
    const ports = {
      auth: await freePort('udp'), acct: await freePort('udp'), metrics: await freePort('tcp'), api: await freePort('tcp'), sim: await freePort('tcp'),
      worker: await freePort('tcp'),
    }
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'warn',
        DATABASE_URL: t.url, MNETIFI_SECRET_KEY: generateSecretKey('k1'), JOBS_PREFIX: `test-start-${ports.api}`,
        RADIUS_AUTH_PORT: String(ports.auth), RADIUS_ACCT_PORT: String(ports.acct), RADIUS_BIND_ADDRESS: '127.0.0.1',
        RADIUS_METRICS_PORT: String(ports.metrics), API_PORT: String(ports.api), API_HOST: '127.0.0.1', WORKER_HEALTH_PORT: String(ports.worker),
        DARAJA_SIM_URL: `http://127.0.0.1:${ports.sim}`, DARAJA_SIM_PROCESSING_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => { output += d })
    child.stderr.on('data', (d) => { output += d })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const deadline = Date.now() + 40_000
      let ready = false
      while (!ready && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250))
        ready = await fetch(`http://127.0.0.1:${ports.api}/api/docs/json`).then((r) => r.ok, () => false)
      }
      expect(ready, output).toBe(true)
      expect(output).toMatch(/applied \d+ migration\(s\)\nempty database: creating the demo ISP/)
      expect(output).toMatch(/admin login \(shown once\): owner@demo\.mnetifi\.local \/ \S+/)
      // The dashboard is served, its URL printed, and the printed login signs the demo owner in.
      expect(output).toMatch(/admin dashboard: http:\/\/\S+\/admin\/ — demo owner owner@demo\.mnetifi\.local/)
      const dashboard = await fetch(`http://127.0.0.1:${ports.api}/`)
      expect(dashboard.url).toBe(`http://127.0.0.1:${ports.api}/admin/`)
      expect(await dashboard.text()).toContain('<title>MnetiFi Admin</title>')
      const password = /admin login \(shown once\): owner@demo\.mnetifi\.local \/ (\S+)/.exec(output)![1]!
      const signIn = await fetch(`http://127.0.0.1:${ports.api}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@demo.mnetifi.local', password }),
      })
      expect(signIn.status).toBe(200)

      const radtest = execFileSync('radtest', ['0712345678', 'demo1234', `127.0.0.1:${ports.auth}`, '0', 'testing123'], { encoding: 'utf8' })
      expect(radtest).toMatch(/Received Access-Accept/)
      expect(radtest).toMatch(/Mikrotik-Rate-Limit = "2M\/5M 4M\/10M 1500k\/4M 8\/8"/)

      const metrics = await fetch(`http://127.0.0.1:${ports.metrics}/metrics`).then((r) => r.text())
      expect(metrics).toMatch(/radius/)
      // A customer buys the 24-hour plan through the portal; the simulator pays, the worker (same JOBS_PREFIX as
      // the API) and the callback settle it, and the new login gets an Access-Accept.
      const portal = `http://127.0.0.1:${ports.api}/api/portal/demo`
      const plans = await fetch(`${portal}/plans`).then((r) => r.json()) as { id: string; name: string }[]
      const day = plans.find((p) => p.name === '24 Hours')!
      const purchase = await fetch(`${portal}/purchases`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ planId: day.id, phone: '0799 111 222' }),
      })
      expect(purchase.status, await purchase.clone().text()).toBe(202)
      const { transactionId } = await purchase.json() as { transactionId: string }
      let status: { status: string; login: { username: string; password: string } | null } = { status: 'PENDING', login: null }
      for (let i = 0; i < 60 && status.status === 'PENDING'; i++) {
        await new Promise((r) => setTimeout(r, 250))
        status = await fetch(`${portal}/purchases/${transactionId}`).then((r) => r.json()) as typeof status
      }
      expect(status.status).toBe('COMPLETED')
      // The worker that settled it answers its readiness on its own port.
      expect(await fetch(`http://127.0.0.1:${ports.worker}/ready`).then((r) => r.json())).toEqual({
        status: 'ready', postgres: 'ok', redis: 'ok', workers: { payments: 'running', notifications: 'running', routers: 'running' },
      })
      const login = execFileSync('radtest', [status.login!.username, status.login!.password, `127.0.0.1:${ports.auth}`, '0', 'testing123'], { encoding: 'utf8' })
      expect(login).toMatch(/Received Access-Accept[\s\S]*Mikrotik-Rate-Limit = "3M\/8M 6M\/15M 2M\/6M 10\/10"/)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(output).not.toMatch(/exited \(|restarting in/)
  }, 60_000)
})
