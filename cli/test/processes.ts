/**
 * Running the real `mnetifi` command as a child process in tests: free ports, the child's output, its exit, and
 * waiting for an HTTP answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { connect, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../bin/mnetifi.js', import.meta.url))
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** The environment of a service child on `databaseUrl`: quiet background timers, a fresh key, then `over`. */
export function serviceEnv(databaseUrl: string, secretKey: string, over: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test', LOG_LEVEL: 'info', MNETIFI_SECRET_KEY: secretKey, DATABASE_URL: databaseUrl, REDIS_URL,
    GHOST_SESSION_INTERVAL_SECONDS: '0', SAAS_BILLING_INTERVAL_SECONDS: '0', USAGE_FOLD_INTERVAL_SECONDS: '0', ...over,
  }
}

/** A port nothing listens on right now. */
export async function freePort(kind: 'udp' | 'tcp' = 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const s = createSocket('udp4')
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
    const { port } = s.address()
    await new Promise<void>((r) => s.close(() => r()))
    return port
  }
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** A running child: everything it printed so far, and its exit. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams
  output(): string
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Whether it is still running. */
  running(): boolean
}

/** Spawns `node cli/bin/mnetifi.js <args>` with only `env` (plus PATH and HOME). */
export function spawnCli(args: string[], env: Record<string, string>): Child {
  return track(spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  }))
}

/** Spawns any executable (redis-server…) the same way. */
export function spawnProgram(command: string, args: string[]): Child {
  return track(spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }))
}

/** Collects a child's stdout and stderr and follows its exit. */
function track(child: ChildProcessWithoutNullStreams): Child {
  let output = ''
  child.stdout.on('data', (d) => { output += d })
  child.stderr.on('data', (d) => { output += d })
  let done = false
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => {
    done = true
    resolve({ code, signal })
  }))
  return { process: child, output: () => output, exited, running: () => !done }
}

/** GET `url`: status and body text, or null when nothing answers. */
export async function get(url: string): Promise<{ status: number; body: string } | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) })
    return { status: r.status, body: await r.text() }
  } catch {
    return null
  }
}

/** Polls `check` every 100 ms until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`)
    await sleep(100)
  }
}

/** Opens a new TCP connection to 127.0.0.1:`port`: 'connected' or the error code (ECONNREFUSED…). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve('connected') })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}
