/**
 * `npm run bench:radius` — radiusd vs Debian FreeRADIUS 3.2.1 + rlm_sql on the same machine, same load.
 *
 * 1. FreeRADIUS: `bench/freeradius/setup.sh` (a copy of shared/bench/freeradius/setup.sh) builds `radius_bench`
 *    with 10,000 users and starts FreeRADIUS on 127.0.0.1:1812/1813.
 * 2. radiusd: a scratch database `mnetifi_bench` with our migrations and the SAME rad* rows (operator rows, so
 *    both servers run rlm_sql semantics incl. Simultaneous-Use), radiusd started as its own process on 11812/11813.
 *    Both databases get the same open-sessions-by-username index.
 * 3. The same radclient load as run.sh (20,000 PAP auths over user1..10000, then accounting Start / Interim /
 *    Stop for 20,000 sessions), interleaved A/B/A/B, and the open-loop latency probe at 1,000 auths/s.
 * Writes radiusd/bench/results.md; the last line is `auth ratio <x> acct ratio <y>`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { createDb, ensureDatabase } from '@mnetifi/db'
import { migrateToLatest } from '@mnetifi/migrations'

const N = Number(process.env.N ?? 20000)
const REPS = Number(process.env.REPS ?? 2)
const P = Number(process.env.PARALLEL ?? 100)
const here = new URL('.', import.meta.url).pathname
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const MNETIFI_URL = ADMIN_URL.replace(/\/[^/]*$/, '/mnetifi_bench')
const FR_URL = ADMIN_URL.replace(/\/[^/]*$/, '/radius_bench')
const tmp = mkdtempSync(join(tmpdir(), 'bench-radius-'))
const log = (msg: string): void => console.log(`[bench] ${msg}`)

function writeLoadFiles(): { auth: string; start: string; interim: string; stop: string } {
  const auth: string[] = []
  for (let i = 1; i <= N; i++) {
    const u = ((i - 1) % 10000) + 1
    const mac = `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`
    auth.push(`User-Name = "user${u}"\nUser-Password = "pw${u}"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = "bench-nas"\nNAS-Port = ${i}\nNAS-Port-Type = Wireless-802.11\nService-Type = Login-User\nCalling-Station-Id = "${mac}"\nCalled-Station-Id = "hotspot1"\nMessage-Authenticator = 0x00\n`)
  }
  const acct = (status: string): string => {
    const out: string[] = []
    for (let i = 1; i <= N; i++) {
      const u = ((i - 1) % 10000) + 1
      let s = `User-Name = "user${u}"\nAcct-Status-Type = ${status}\nAcct-Session-Id = "b-${i}"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = "bench-nas"\nNAS-Port = ${i}\nNAS-Port-Type = Wireless-802.11\nFramed-IP-Address = 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\nCalling-Station-Id = "02:00:00:00:00:01"\nCalled-Station-Id = "hotspot1"\nAcct-Authentic = RADIUS\nAcct-Delay-Time = 0\n`
      if (status === 'Interim-Update') s += `Acct-Session-Time = 300\nAcct-Input-Octets = ${1000000 + i}\nAcct-Output-Octets = ${5000000 + i}\n`
      if (status === 'Stop') s += `Acct-Session-Time = 600\nAcct-Input-Octets = ${2000000 + i}\nAcct-Output-Octets = ${9000000 + i}\nAcct-Terminate-Cause = User-Request\n`
      out.push(s)
    }
    return out.join('\n')
  }
  const files = { auth: join(tmp, 'auth.txt'), start: join(tmp, 'start.txt'), interim: join(tmp, 'interim.txt'), stop: join(tmp, 'stop.txt') }
  writeFileSync(files.auth, auth.join('\n'))
  writeFileSync(files.start, acct('Start'))
  writeFileSync(files.interim, acct('Interim-Update'))
  writeFileSync(files.stop, acct('Stop'))
  return files
}

async function prepareMnetifiDatabase(): Promise<void> {
  await ensureDatabase(MNETIFI_URL)
  const db = createDb({ connectionString: MNETIFI_URL, max: 2 })
  await migrateToLatest(db)
  await sql`TRUNCATE radcheck, radreply, radusergroup, radgroupcheck, radgroupreply, radacct, radpostauth, nas, radiusd_session_claims RESTART IDENTITY`.execute(db)
  // The same rows shared/bench/freeradius/setup.sh loads into radius_bench.
  await sql`INSERT INTO radcheck (username, attribute, op, value) SELECT 'user' || i, 'Cleartext-Password', ':=', 'pw' || i FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radreply (username, attribute, op, value) SELECT 'user' || i, 'Session-Timeout', ':=', (3600 + i)::text FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radusergroup (username, groupname, priority) SELECT 'user' || i, 'plan10m', 1 FROM generate_series(1, 10000) i`.execute(db)
  await sql`INSERT INTO radgroupreply (groupname, attribute, op, value) VALUES ('plan10m', 'Mikrotik-Rate-Limit', ':=', '10M/10M 20M/20M 8M/8M 16/16'), ('plan10m', 'Acct-Interim-Interval', ':=', '300')`.execute(db)
  await sql`INSERT INTO radgroupcheck (groupname, attribute, op, value) VALUES ('plan10m', 'Simultaneous-Use', ':=', '1')`.execute(db)
  await sql`INSERT INTO nas (nasname, shortname, secret) VALUES ('127.0.0.1', 'bench', 'testing123')`.execute(db)
  await sql`ANALYZE`.execute(db)
  await db.destroy()
  // Same indexes on both sides: FreeRADIUS's schema lacks the open-sessions-by-username index ours has.
  const fr = new pg.Client({ connectionString: FR_URL })
  await fr.connect()
  await fr.query('CREATE INDEX IF NOT EXISTS radacct_active_user_idx ON radacct (UserName) WHERE AcctStopTime IS NULL')
  await fr.end()
}

async function truncate(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query('TRUNCATE radacct, radpostauth')
  await c.end()
}

interface Run { server: string; test: string; rps: number; ok: number; rejected: number; lost: number }

function radclient(file: string, port: number, type: 'auth' | 'acct'): Omit<Run, 'server' | 'test'> {
  const t0 = process.hrtime.bigint()
  const r = spawnSync('radclient', ['-f', file, '-p', String(P), '-s', '-q', '-t', '3', '-r', '3', `127.0.0.1:${port}`, type, 'testing123'], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const out = r.stdout + r.stderr
  const num = (label: string): number => Number(new RegExp(`${label}\\s*:\\s*(\\d+)`).exec(out)?.[1] ?? 0)
  return { rps: Math.round(N / seconds), ok: num('Accepted'), rejected: num('Rejected'), lost: num('Lost') }
}

function latency(port: number, rate: number): string {
  const r = spawnSync('/usr/bin/python3', [join(here, 'freeradius/latency.py'), '--port', String(port), '--rates', String(rate), '--seconds', '5', '--warmup', '1'], { encoding: 'utf8' })
  return (r.stdout.split('\n').find((l) => l.startsWith('auth')) ?? r.stdout + r.stderr).trim()
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? 0 }

async function main(): Promise<void> {
  log('FreeRADIUS setup (radius_bench, 10,000 users) …')
  // ACCT_FILES=no: SQL-only accounting (no detail file / radwtmp), the README's variant — radiusd writes no files either.
  execFileSync(join(here, 'freeradius/setup.sh'), { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(here, 'freeradius'), env: { ...process.env, ACCT_FILES: 'no' } })
  log('mnetifi_bench: migrations + the same 10,000 users …')
  await prepareMnetifiDatabase()
  const files = writeLoadFiles()
  log(`starting radiusd on 127.0.0.1:11812/11813 (claim TTL 1 s: the load never sends the Start a real NAS would) …`)
  const radiusd = spawn(process.execPath, ['--import', 'tsx', join(here, 'run-radiusd.ts')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env,
    DATABASE_URL: MNETIFI_URL, MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'), RADIUS_AUTH_PORT: '11812',
    RADIUS_ACCT_PORT: '11813', RADIUS_BIND_ADDRESS: '127.0.0.1', RADIUS_METRICS_PORT: '19812', RADIUS_REJECT_DELAY_MS: '0',
    RADIUS_CLAIM_TTL_SECONDS: '1', LOG_LEVEL: 'warn' } })
  await new Promise((r) => setTimeout(r, 4000))
  const servers = [
    { name: 'freeradius', auth: 1812, acct: 1813, url: FR_URL },
    { name: 'radiusd', auth: 11812, acct: 11813, url: MNETIFI_URL },
  ]
  const runs: Run[] = []
  try {
    for (const s of servers) radclient(files.auth, s.auth, 'auth') // warm-up, not measured
    for (let rep = 0; rep < REPS; rep++) {
      for (const s of servers) {
        await truncate(s.url)
        const a = radclient(files.auth, s.auth, 'auth')
        runs.push({ server: s.name, test: 'auth', ...a })
        log(`${s.name} auth rep ${rep + 1}: ${a.rps}/s ok ${a.ok} rejected ${a.rejected} lost ${a.lost}`)
        await truncate(s.url)
        for (const [test, file] of [['acct Start', files.start], ['acct Interim', files.interim], ['acct Stop', files.stop]] as const) {
          const r = radclient(file, s.acct, 'acct')
          runs.push({ server: s.name, test, ...r })
          log(`${s.name} ${test} rep ${rep + 1}: ${r.rps}/s ok ${r.ok} lost ${r.lost}`)
        }
        await new Promise((r) => setTimeout(r, 6000)) // FreeRADIUS cleanup_delay
      }
    }
    const latencies = servers.map((s) => ({ server: s.name, line: latency(s.auth, 1000) }))
    latencies.forEach((l) => log(`${l.server} latency @1000/s: ${l.line}`))

    const med = (server: string, test: string): number => median(runs.filter((r) => r.server === server && r.test.startsWith(test)).map((r) => r.rps))
    const authRatio = med('radiusd', 'auth') / med('freeradius', 'auth')
    const acctRatio = med('radiusd', 'acct') / med('freeradius', 'acct')
    const table = runs.map((r) => `| ${r.server} | ${r.test} | ${r.rps} | ${r.ok} | ${r.rejected} | ${r.lost} |`).join('\n')
    const md = `# radiusd vs FreeRADIUS 3.2.1 + rlm_sql — \`npm run bench:radius\`

Measured ${new Date().toISOString()} on this 2-core machine, same session, interleaved (FreeRADIUS, radiusd) × ${REPS},
radclient -p ${P}, N = ${N} per phase, 10,000 users as operator rad* rows (Cleartext-Password, Session-Timeout,
group plan10m with Mikrotik-Rate-Limit, Acct-Interim-Interval and Simultaneous-Use := 1), empty radacct at the
start of each auth run, the same open-sessions-by-username index on both databases. radiusd runs with
RADIUS_CLAIM_TTL_SECONDS=1 (each user logs in twice from different MACs ~seconds apart and the load never sends
the Accounting-Start a real NAS would; with the 30 s default the second login is — correctly — refused).

| server | test | req/s | ok | rejected | lost |
| --- | --- | --- | --- | --- | --- |
${table}

Medians: FreeRADIUS auth ${med('freeradius', 'auth')}/s, accounting ${med('freeradius', 'acct')}/s;
radiusd auth ${med('radiusd', 'auth')}/s, accounting ${med('radiusd', 'acct')}/s.

Open-loop latency at 1,000 PAP auths/s for 5 s (latency.py):

${latencies.map((l) => `- ${l.server}: \`${l.line}\``).join('\n')}

auth ratio ${authRatio.toFixed(2)} acct ratio ${acctRatio.toFixed(2)}
`
    writeFileSync(join(here, 'results.md'), md)
    console.log(md)
    console.log(`auth ratio ${authRatio.toFixed(2)} acct ratio ${acctRatio.toFixed(2)}`)
  } finally {
    radiusd.kill('SIGTERM')
    spawnSync(join(here, 'freeradius/stop.sh'), ['--keep-postgres'], { stdio: 'ignore', cwd: join(here, 'freeradius') })
  }
}

await main()
