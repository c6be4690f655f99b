/**
 * Integration-test helpers: a migrated database per file, radiusd on ephemeral ports, radclient/radtest runners
 * and a raw UDP client for byte-level checks.
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { createLogger } from '@mnetifi/db'
import type { TestDatabase } from '@mnetifi/db/testing'
import { startRadiusd, type RunningRadiusd } from '../src/main.js'
import type { Config } from '../src/config.js'

export function testConfig(db: TestDatabase, overrides: Partial<Config> = {}): Config {
  return {
    DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
    LOG_LEVEL: 'silent', RADIUS_AUTH_PORT: 0, RADIUS_ACCT_PORT: 0, RADIUS_BIND_ADDRESS: '127.0.0.1', RADIUS_METRICS_PORT: 0,
    RADIUS_METRICS_ADDRESS: '127.0.0.1', RADIUS_DB_POOL_SIZE: 4, RADIUS_DEDUPE_SECONDS: 10, RADIUS_REJECT_DELAY_MS: 0,
    RADIUS_DEFAULT_INTERIM_SECONDS: 300, RADIUS_STALE_GRACE_SECONDS: 60, RADIUS_CLAIM_TTL_SECONDS: 30,
    // Flag mode: the suites mix Message-Authenticator and radclient requests (none) from 127.0.0.1; the auto
    // mode has its own test (server.test.ts).
    RADIUS_ENFORCE_INTERVAL_MS: 60_000, RADIUS_MESSAGE_AUTHENTICATOR: 'flag', ...overrides,
  }
}

export async function startTestRadiusd(db: TestDatabase, overrides: Partial<Config> = {}): Promise<RunningRadiusd> {
  return startRadiusd(testConfig(db, overrides), { db: db.db, log: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) })
}

export interface RadclientReply {
  /** e.g. 'Access-Accept', or 'none' when nothing came back. */
  code: string
  /** Attribute lines as radclient prints them, in wire order: [name, value]. */
  attributes: [string, string][]
}

function run(cmd: string, args: string[], input: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stdout += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout, code }))
    child.stdin.end(input)
  })
}

/** Parses every "Received …" block of radclient -x output. */
export function parseRadclient(stdout: string): RadclientReply[] {
  const replies: RadclientReply[] = []
  let current: RadclientReply | undefined
  for (const line of stdout.split('\n')) {
    const received = /^Received (\S+) Id/.exec(line)
    if (received) {
      current = { code: received[1]!, attributes: [] }
      replies.push(current)
      continue
    }
    if (/^(Sent|\(\d+\)|Expected|radclient)/.test(line)) { current = undefined; continue }
    const attr = /^\s+(\S+) = (.*)$/.exec(line)
    if (attr && current) current.attributes.push([attr[1]!, attr[2]!.replace(/^"(.*)"$/, '$1')])
  }
  return replies
}

/**
 * Runs radclient with `requests` (each a block of attribute lines) against 127.0.0.1:port; `parallel`
 * sends them concurrently (-p). One retry, 1 s timeout: a missing answer shows up as fewer replies.
 */
export async function radclient(port: number, type: 'auth' | 'acct', secret: string, requests: string[], options: { parallel?: number; timeoutS?: number; retries?: number } = {}): Promise<RadclientReply[]> {
  const input = requests.map((r) => r.trim()).join('\n\n') + '\n'
  const { stdout } = await run('radclient', ['-x', '-p', String(options.parallel ?? 1), '-t', String(options.timeoutS ?? 1),
    '-r', String(options.retries ?? 1), `127.0.0.1:${port}`, type, secret], input)
  return parseRadclient(stdout)
}

/** radtest (PAP by default) as an operator would run it. */
export async function radtest(user: string, password: string, port: number, secret: string): Promise<RadclientReply> {
  const { stdout } = await run('radtest', ['-x', user, password, `127.0.0.1:${port}`, '0', secret], '')
  return parseRadclient(stdout)[0] ?? { code: 'none', attributes: [] }
}

/** Sends raw datagrams from `sourceAddress` and collects replies for `waitMs`. */
export async function sendRaw(port: number, packets: Buffer[], options: { sourceAddress?: string; waitMs?: number; gapMs?: number } = {}): Promise<Buffer[]> {
  const socket = createSocket('udp4')
  const replies: Buffer[] = []
  socket.on('message', (m) => replies.push(m))
  await new Promise<void>((r) => socket.bind(0, options.sourceAddress ?? '127.0.0.1', r))
  for (const p of packets) {
    socket.send(p, port, '127.0.0.1')
    if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs))
  }
  await new Promise((r) => setTimeout(r, options.waitMs ?? 300))
  await new Promise<void>((r) => socket.close(() => r()))
  return replies
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Retries `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return true
    await sleep(50)
  }
  return check()
}
