/**
 * `mnetifi start` (what `npm start` runs): the whole stack on one machine. Checks Postgres and Redis, creates and
 * migrates the database, seeds the demo ISP on an empty database, then runs each service as a child process and
 * restarts any that dies (with backoff), until SIGINT/SIGTERM stops them all.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { checkDatabaseReachable, ensureDatabase, listTenantsAcrossPlatform } from '@mnetifi/db'
import { migrateToLatest } from '@mnetifi/migrations'
import { parse, UsageError } from '../args.js'
import type { Command, CommandContext } from '../context.js'
import { DEMO_ADMIN_EMAIL, seedDemo } from './seed-demo.js'
import { SUPERVISED_SERVICES, serviceEnv } from './services.js'
import { loadConfig as loadApiConfig } from '@mnetifi/api'

const USAGE = 'mnetifi start [--only radiusd,api,…]'
const BIN = fileURLToPath(new URL('../../bin/mnetifi.js', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Redis (or another dependency) does not answer; the message says how to start it. */
export class ServiceUnreachableError extends Error {
  override name = 'ServiceUnreachableError'
}

/** Resolves when something accepts TCP connections at `url`'s host and port. */
async function checkRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url)
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 3000 })
    socket.once('connect', () => { socket.destroy(); resolve() })
    const fail = (e?: Error) => {
      socket.destroy()
      reject(new ServiceUnreachableError(`Redis is not reachable at ${hostname}:${port || 6379}${e ? ` (${e.message})` : ''}.\n` +
        '  Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'))
    }
    socket.once('error', fail)
    socket.once('timeout', () => fail())
  })
}

/** Prepares the database: reachable, created, migrated, and seeded with the demo ISP when empty. */
export async function prepareStack(ctx: CommandContext): Promise<void> {
  await checkDatabaseReachable(ctx.config.DATABASE_URL)
  await checkRedisReachable(ctx.config.REDIS_URL)
  if (await ensureDatabase(ctx.config.DATABASE_URL)) ctx.out('created the database')
  const applied = await migrateToLatest(ctx.db())
  if (applied.length) ctx.out(`applied ${applied.length} migration(s)`)
  if ((await listTenantsAcrossPlatform(ctx.db())).length === 0) {
    ctx.out('empty database: creating the demo ISP')
    await seedDemo([], ctx)
  }
  buildWebAppsWhenMissing(ctx)
}

/** The API serves the built apps; a fresh checkout has none yet, so build each once (a few seconds). */
function buildWebAppsWhenMissing(ctx: CommandContext): void {
  const api = loadApiConfig(serviceEnv(ctx))
  const apps = [
    { dir: api.WEB_PORTAL_DIR, workspace: '@mnetifi/portal', what: 'captive portal', path: '/portal/' },
    { dir: api.WEB_ADMIN_DIR, workspace: '@mnetifi/admin', what: 'admin dashboard', path: '/admin/' },
  ]
  for (const app of apps) {
    if (existsSync(join(app.dir, 'index.html'))) continue
    ctx.out(`building the ${app.what} (first start)…`)
    const built = spawnSync('npm', ['run', 'build', '--silent', '-w', app.workspace], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
    if (built.status !== 0) ctx.err(`the ${app.what} build failed: the API will answer 503 on ${app.path} (run npm run build -w ${app.workspace} to see why)`)
  }
}

/** Where people open the apps, printed once everything is started. */
async function printUrls(ctx: CommandContext): Promise<void> {
  const api = loadApiConfig(serviceEnv(ctx))
  const base = api.PUBLIC_BASE_URL.replace(/\/$/, '')
  const tenants = await listTenantsAcrossPlatform(ctx.db())
  ctx.out(`admin dashboard: ${base}/admin/ — demo owner ${DEMO_ADMIN_EMAIL} (password printed when the demo was created; a new one: npm run mnetifi -- admin reset-password ${DEMO_ADMIN_EMAIL})`)
  for (const t of tenants.slice(0, 5)) ctx.out(`captive portal of ${t.name}: ${base}/portal/${t.subdomain}/`)
  ctx.out(`API reference: ${base}/api/docs`)
}

export const start: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { only: { type: 'string' } }, USAGE)
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, USAGE)
  const names = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUPERVISED_SERVICES]
  const unknown = names.find((n) => !SUPERVISED_SERVICES.includes(n))
  if (unknown) throw new UsageError(`--only: unknown service "${unknown}" (have ${SUPERVISED_SERVICES.join(', ')})`, USAGE)
  await prepareStack(ctx)
  await printUrls(ctx)
  await ctx.close()

  const children = new Map<string, ChildProcess>()
  let stopping = false
  const launch = (name: string, attempt = 0) => {
    const child = spawn(process.execPath, [BIN, name], { stdio: 'inherit', env: { ...process.env, MNETIFI_SECRET_KEY: ctx.config.MNETIFI_SECRET_KEY } })
    children.set(name, child)
    const startedAt = Date.now()
    child.on('exit', (code, signal) => {
      children.delete(name)
      if (stopping) return
      // A service that ran for a minute is healthy again: restart it quickly; a crash loop backs off to 30 s.
      const next = Date.now() - startedAt > 60_000 ? 0 : attempt + 1
      const delay = Math.min(30_000, 1000 * 2 ** next)
      ctx.err(`${name} exited (${signal ?? code}); restarting in ${delay / 1000}s`)
      setTimeout(() => launch(name, next), delay).unref()
    })
  }
  for (const name of names) launch(name)
  ctx.out(`running: ${names.join(', ')} — Ctrl-C stops everything`)

  await new Promise<void>((resolve) => {
    const stop = () => {
      if (stopping) return
      stopping = true
      for (const child of children.values()) child.kill('SIGTERM')
      const deadline = setTimeout(() => { for (const c of children.values()) c.kill('SIGKILL'); resolve() }, 10_000)
      const check = setInterval(() => {
        if (children.size === 0) { clearInterval(check); clearTimeout(deadline); resolve() }
      }, 100)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}
