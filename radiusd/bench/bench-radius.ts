/**
 * `npm run bench:radius` — radiusd vs Debian FreeRADIUS 3.2.1 + rlm_sql on the same machine, same load.
 *
 * 1. FreeRADIUS: `bench/freeradius/setup.sh` (a copy of shared/bench/freeradius/setup.sh; ACCT_FILES=no, SQL-only
 *    accounting like radiusd) builds `radius_bench` with 10,000 users and starts FreeRADIUS on 127.0.0.1:1812/1813.
 *    PostgreSQL is never restarted (setup.sh skips it when it already listens on 127.0.0.1 only).
 * 2. radiusd: a scratch database `mnetifi_bench` with our migrations and the SAME rad* rows (operator rows, so
 *    both servers run rlm_sql semantics incl. Simultaneous-Use), radiusd as its own process on 11812/11813 with
 *    its production defaults. Both databases get the same extra radacct indexes (open sessions by username;
 *    username + start time, migration 600500).
 * 3. The load comes from `loadgen.ts` (radclient costs more CPU per request than radiusd + Postgres together on
 *    this 2-core machine, see results.md), run in this process: 20,000 PAP auths over user1..10000 (each user's
 *    second login comes from the same device MAC), then accounting Start / Interim / Stop for 20,000 sessions,
 *    -p 100, servers interleaved with alternating order; then the same auth load on a lived-in radacct (1M
 *    closed + 10k open sessions, radacct-history.sql); then open-loop latency at 1,000 auths/s.
 * Each run records the load average and "other CPU" (machine CPU not used by the server under test, its
 * Postgres backends or the load generator). Writes radiusd/bench/results.md; the last line printed is
 * `auth ratio <x> acct ratio <y>` (empty-radacct medians, same run).
 * Env: N (20000), REPS (3), PARALLEL (100), LAT_REPS (3), LIVED_IN (1; 0 skips that state), RADIUSD_NODE_FLAGS ('').
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { runRate, runWindow, type LoadKind } from './loadgen.js'
import { FR_URL, MNETIFI_URL, fillLivedIn, prepareMnetifiDatabase, query } from './prepare.js'

const N = Number(process.env.N ?? 20000)
const REPS = Number(process.env.REPS ?? 3)
const P = Number(process.env.PARALLEL ?? 100)
const LAT_REPS = Number(process.env.LAT_REPS ?? 3)
const LIVED_IN = process.env.LIVED_IN !== '0'
const here = new URL('.', import.meta.url).pathname
const FR_PIDFILE = '/var/run/freeradius/freeradius.pid'
const log = (msg: string): void => console.log(`[bench] ${msg}`)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Server { readonly name: 'freeradius' | 'radiusd'; readonly auth: number; readonly acct: number; readonly url: string; pid(): number | null }
interface Run { server: string; state: string; test: string; rps: number; ok: number; rejected: number; lost: number; load1: number; otherPct: number }

const jiffies = (pid: number | null): number => {
  if (!pid) return 0
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return Number(f[11]) + Number(f[12])
  } catch { return 0 }
}
const machineBusy = (): { busy: number; total: number } => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - f[3]! - f[4]!, total }
}

/** CPU of the server, its database's backends and this process vs the whole machine over `fn`. */
async function measured<T>(server: Server, fn: () => Promise<T>): Promise<{ result: T; load1: number; otherPct: number }> {
  const pgPids = async (): Promise<number[]> => (await query(server.url, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows.map((r) => Number(r.pid))
  const pids = [server.pid(), ...await pgPids()]
  const before = pids.map(jiffies)
  const m0 = machineBusy(), c0 = process.cpuUsage()
  const load1 = loadavg()[0]!
  const result = await fn()
  const m1 = machineBusy(), c1 = process.cpuUsage(c0)
  // A backend that exited meanwhile (FreeRADIUS's pool closes idle connections) reads 0: leave it out.
  const ours = pids.reduce((sum: number, pid, k) => { const j = jiffies(pid); return sum + (j >= before[k]! ? j - before[k]! : 0) }, 0)
  const self = (c1.user + c1.system) / 10_000 // µs → jiffies (USER_HZ 100)
  const otherPct = Math.max(0, (m1.busy - m0.busy - ours - self) / (m1.total - m0.total)) * 100
  return { result, load1: Math.round(load1 * 100) / 100, otherPct: Math.round(otherPct * 10) / 10 }
}

/** Someone else's job may stop the shared FreeRADIUS (stop.sh): start it again with the same configuration. */
async function ensureFreeradius(): Promise<void> {
  const pid = frPid()
  if (pid) return
  log('FreeRADIUS is not running (stopped by another job?): starting it again')
  execFileSync('install', ['-d', '-o', 'freerad', '-g', 'freerad', '-m', '0755', '/var/run/freeradius'])
  execFileSync('freeradius')
  for (let i = 0; i < 50 && !frPid(); i++) await sleep(100)
  await sleep(500)
}
function frPid(): number | null {
  if (!existsSync(FR_PIDFILE)) return null
  const pid = Number(readFileSync(FR_PIDFILE, 'utf8').trim())
  try { process.kill(pid, 0); return pid } catch { return null }
}

async function reset(s: Server, what: 'all' | 'postauth'): Promise<void> {
  const tables = what === 'all' ? 'radacct, radpostauth' : 'radpostauth'
  await query(s.url, s.name === 'radiusd' ? `TRUNCATE ${tables}, radiusd_session_claims` : `TRUNCATE ${tables}`)
  await query(s.url, 'CHECKPOINT') // a checkpoint left over from the reset must not land in the next run
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? 0 }

async function main(): Promise<void> {
  log(`FreeRADIUS setup (radius_bench, 10,000 users), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} …`)
  execFileSync(join(here, 'freeradius/setup.sh'), { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(here, 'freeradius'), env: { ...process.env, ACCT_FILES: 'no' } })
  log('mnetifi_bench: migrations + the same 10,000 users …')
  await prepareMnetifiDatabase()
  log('starting radiusd on 127.0.0.1:11812/11813 (production defaults, reject delay 0 like the runs need) …')
  // RADIUSD_NODE_FLAGS: extra V8/Node flags for radiusd, to try GC settings (results.md, run 5); none by default.
  const flags = (process.env.RADIUSD_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  log(`radiusd V8 flags: ${flags.join(' ') || '(defaults)'}`)
  const radiusd = spawn(process.execPath, [...flags, '--import', 'tsx', join(here, 'run-radiusd.ts')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env,
    DATABASE_URL: MNETIFI_URL, MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'), RADIUS_AUTH_PORT: '11812',
    RADIUS_ACCT_PORT: '11813', RADIUS_BIND_ADDRESS: '127.0.0.1', RADIUS_METRICS_PORT: '19812', RADIUS_REJECT_DELAY_MS: '0', LOG_LEVEL: 'warn' } })
  await sleep(4000)
  const servers: Server[] = [
    { name: 'freeradius', auth: 1812, acct: 1813, url: FR_URL, pid: frPid },
    { name: 'radiusd', auth: 11812, acct: 11813, url: MNETIFI_URL, pid: () => radiusd.pid ?? null },
  ]
  const runs: Run[] = []
  const latencies: { server: string; state: string; line: string; p99: number }[] = []
  const window = async (s: Server, state: string, test: string, kind: LoadKind): Promise<void> => {
    if (s.name === 'freeradius') await ensureFreeradius()
    const m = await measured(s, () => runWindow({ kind, port: kind === 'auth' ? s.auth : s.acct, count: N, parallel: P, prefix: `r${runs.length}` }))
    const r = m.result
    runs.push({ server: s.name, state, test, rps: r.rps, ok: r.ok, rejected: r.rejected, lost: r.lost, load1: m.load1, otherPct: m.otherPct })
    log(`${s.name} ${state} ${test}: ${r.rps}/s ok ${r.ok} rejected ${r.rejected} lost ${r.lost} (load ${m.load1}, other CPU ${m.otherPct}%)`)
  }
  const latency = async (s: Server, state: string, rep: number): Promise<void> => {
    if (s.name === 'freeradius') await ensureFreeradius()
    const m = await measured(s, () => runRate({ kind: 'auth', port: s.auth, rate: 1000, seconds: 5, first: 1 + rep * 5000 }))
    const r = m.result
    const line = `sent ${r.sent} in ${r.seconds}s answered ${r.answered} (accept ${r.accepts}) lost ${r.lost} p50 ${r.p50} p90 ${r.p90} p99 ${r.p99} p99.9 ${r.p999} max ${r.max} ms (load ${m.load1}, other CPU ${m.otherPct}%)`
    latencies.push({ server: s.name, state, line, p99: r.p99 })
    log(`${s.name} ${state} latency @1000/s: ${line}`)
  }
  try {
    for (const s of servers) { await reset(s, 'all'); await runWindow({ kind: 'auth', port: s.auth, count: 5000, parallel: P }) } // warm-up
    for (let rep = 0; rep < REPS; rep++) {
      for (const s of rep % 2 === 0 ? servers : [...servers].reverse()) {
        await reset(s, 'all')
        await window(s, 'empty', 'auth', 'auth')
        await reset(s, 'all')
        for (const [test, kind] of [['acct Start', 'start'], ['acct Interim', 'interim'], ['acct Stop', 'stop']] as const) await window(s, 'empty', test, kind)
        if (s.name === 'freeradius') await sleep(5000) // cleanup_delay: FreeRADIUS still holds the last requests
      }
    }
    for (let rep = 0; rep < LAT_REPS; rep++) {
      for (const s of rep % 2 === 0 ? servers : [...servers].reverse()) { await reset(s, 'all'); await latency(s, 'empty', rep) }
    }
    if (LIVED_IN) {
      log('lived-in radacct on both databases (1,000,000 closed + 10,000 open sessions) …')
      for (const s of servers) await fillLivedIn(s.url)
      for (let rep = 0; rep < REPS; rep++) {
        for (const s of rep % 2 === 0 ? servers : [...servers].reverse()) { await reset(s, 'postauth'); await window(s, 'lived-in', 'auth', 'auth') }
      }
      for (let rep = 0; rep < LAT_REPS; rep++) {
        for (const s of rep % 2 === 0 ? servers : [...servers].reverse()) { await reset(s, 'postauth'); await latency(s, 'lived-in', rep) }
      }
    }

    const med = (server: string, state: string, test: string): number => median(runs.filter((r) => r.server === server && r.state === state && r.test.startsWith(test)).map((r) => r.rps))
    const medP99 = (server: string, state: string): number => median(latencies.filter((l) => l.server === server && l.state === state).map((l) => l.p99))
    const authRatio = med('radiusd', 'empty', 'auth') / med('freeradius', 'empty', 'auth')
    const acctRatio = med('radiusd', 'empty', 'acct') / med('freeradius', 'empty', 'acct')
    const livedRatio = LIVED_IN ? med('radiusd', 'lived-in', 'auth') / med('freeradius', 'lived-in', 'auth') : NaN
    const table = runs.map((r) => `| ${r.server} | ${r.state} | ${r.test} | ${r.rps} | ${r.ok} | ${r.rejected} | ${r.lost} | ${r.load1} | ${r.otherPct} |`).join('\n')
    const summary = `Measured ${new Date().toISOString()} on this 2-core machine by \`npm run bench:radius\` (loadgen.ts, -p ${P}, N = ${N},
REPS = ${REPS}, servers interleaved with alternating order).

| server | radacct | test | req/s | ok | rejected | lost | load avg (1 min) at start | other CPU % |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}

Medians, empty radacct: FreeRADIUS auth ${med('freeradius', 'empty', 'auth')}/s, accounting ${med('freeradius', 'empty', 'acct')}/s;
radiusd auth ${med('radiusd', 'empty', 'auth')}/s, accounting ${med('radiusd', 'empty', 'acct')}/s.
${LIVED_IN ? `Medians, lived-in radacct: FreeRADIUS auth ${med('freeradius', 'lived-in', 'auth')}/s, radiusd auth ${med('radiusd', 'lived-in', 'auth')}/s (ratio ${livedRatio.toFixed(2)}).\n` : ''}
Open-loop latency at 1,000 PAP auths/s for 5 s (loadgen.ts rate mode), ${LAT_REPS} interleaved reps per server and state:

${latencies.map((l) => `- ${l.server}, ${l.state}: ${l.line}`).join('\n')}

Median p99: ${servers.map((s) => `${s.name} ${medP99(s.name, 'empty')} ms (empty)${LIVED_IN ? `, ${medP99(s.name, 'lived-in')} ms (lived-in)` : ''}`).join('; ')}.

auth ratio ${authRatio.toFixed(2)} acct ratio ${acctRatio.toFixed(2)}
`
    writeFileSync(join(here, 'last-run.md'), summary)
    console.log(summary)
    console.log(`auth ratio ${authRatio.toFixed(2)} acct ratio ${acctRatio.toFixed(2)}`)
  } finally {
    radiusd.kill('SIGTERM')
    spawnSync(join(here, 'freeradius/stop.sh'), ['--keep-postgres'], { stdio: 'ignore', cwd: join(here, 'freeradius') })
  }
}

await main()
