/**
 * A private redis-server on a free port, so a test can restart it without disturbing other suites that share
 * the machine's Redis on 6379.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Starts redis-server; `persistent` turns on the append-only file (what production should run). */
export async function startOwnRedis(opts: { persistent: boolean }) {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'mnetifi-redis-'))
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', opts.persistent ? 'yes' : 'no',
      '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' })
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {})
    for (let i = 0; i < 100; i++) {
      try { await probe.connect(); await probe.ping(); probe.disconnect(); return } catch { await new Promise((r) => setTimeout(r, 50)) }
    }
    throw new Error('redis-server did not start')
  }
  const stop = async () => {
    const c = child
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGTERM') })
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Stops the server (SIGTERM: an AOF server has written every command) and starts it again. */
    async restart() { await stop(); await start() },
    async close() { await stop(); rmSync(dir, { recursive: true, force: true }) },
  }
}
