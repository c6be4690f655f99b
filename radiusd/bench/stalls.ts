/**
 * Which slow answers coincide with a garbage collection in radiusd. Starts radiusd (stall-radiusd.ts: production
 * defaults, reject delay 0, a GC log on stdout) on mnetifi_bench, warms it up, sends PAP auths open-loop at
 * 1,000/s (loadgen rate mode) and, for every answer slower than `--slow` ms, checks whether a GC ran in radiusd
 * between its send and its answer (both on the wall clock: performance.timeOrigin + now()), or one in this
 * process (the load generator, whose own pauses delay the answers it timestamps).
 *
 * `tsx radiusd/bench/stalls.ts [--seconds 10] [--reps 3] [--slow 2.5]`; `STALLS_DUMP=/tmp/st` also writes each rep's
 * samples and radiusd GCs to /tmp/st.<rep>.json for clustering by time.
 */
import { spawn } from 'node:child_process'
import { PerformanceObserver } from 'node:perf_hooks'
import { join } from 'node:path'
import { runRate, runWindow } from './loadgen.js'
import { MNETIFI_URL, query } from './prepare.js'

const here = new URL('.', import.meta.url).pathname
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const SECONDS = arg('seconds', 10), REPS = arg('reps', 3), SLOW = arg('slow', 2.5), PORT = 21812
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const gcs: { kind: string; start: number; end: number }[] = []
const ownGcs: { start: number; end: number }[] = []
new PerformanceObserver((list) => { for (const e of list.getEntries()) ownGcs.push({ start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.startTime + e.duration }) }).observe({ entryTypes: ['gc'] })
const radiusd = spawn(process.execPath, ['--import', 'tsx', join(here, 'stall-radiusd.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, DATABASE_URL: MNETIFI_URL, MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
    RADIUS_AUTH_PORT: String(PORT), RADIUS_ACCT_PORT: String(PORT + 1), RADIUS_BIND_ADDRESS: '127.0.0.1',
    RADIUS_METRICS_PORT: String(PORT + 2), RADIUS_REJECT_DELAY_MS: '0', LOG_LEVEL: 'warn' },
})
let buffered = ''
radiusd.stdout.on('data', (d: Buffer) => {
  buffered += d.toString()
  const lines = buffered.split('\n')
  buffered = lines.pop()!
  for (const line of lines) {
    const m = /^gc (\S+) ([\d.]+) ([\d.]+)$/.exec(line)
    if (m) gcs.push({ kind: m[1]!, start: Number(m[2]), end: Number(m[2]) + Number(m[3]) })
  }
})

try {
  await sleep(4000)
  await query(MNETIFI_URL, 'TRUNCATE radacct, radpostauth, radiusd_session_claims')
  await runWindow({ kind: 'auth', port: PORT, count: 5000, parallel: 20, prefix: 'w' })
  for (let rep = 0; rep < REPS; rep++) {
    await query(MNETIFI_URL, 'TRUNCATE radacct, radpostauth, radiusd_session_claims')
    const samples: [number, number][] = []
    let base = 0
    const res = await runRate({ kind: 'auth', port: PORT, rate: 1000, seconds: SECONDS, first: 1 + rep * 1000 * SECONDS,
      onSample: (sentMs, rtt) => { if (base === 0) base = performance.timeOrigin + performance.now() - sentMs - rtt; samples.push([sentMs, rtt]) } })
    await sleep(300)
    if (process.env.STALLS_DUMP) (await import('node:fs')).writeFileSync(`${process.env.STALLS_DUMP}.${rep}.json`, JSON.stringify({ base, samples, gcs }))
    const slow = samples.filter(([, rtt]) => rtt > SLOW)
    let withGc = 0, withOwn = 0, withNeither = 0
    const byKind: Record<string, number> = {}
    for (const [sentMs, rtt] of slow) {
      const from = base + sentMs, to = from + rtt
      const gc = gcs.find((g) => g.start < to && g.end > from)
      if (gc) { withGc++; byKind[gc.kind] = (byKind[gc.kind] ?? 0) + 1 }
      const own = ownGcs.find((g) => g.start < to && g.end > from)
      if (own) withOwn++
      if (!gc && !own) withNeither++
    }
    const minor = gcs.filter((g) => g.kind === 'minor' && g.start >= base && g.start <= base + SECONDS * 1000)
    console.log(`rep ${rep + 1}: p99 ${res.p99} ms; ${slow.length} answers > ${SLOW} ms (${(100 * slow.length / samples.length).toFixed(2)} %), ` +
      `${withGc} of them overlap a GC (${JSON.stringify(byKind)}), ${withOwn} a GC in the load generator, ${withNeither} neither; ${minor.length} minor GCs in the run`)
  }
} finally {
  radiusd.kill('SIGTERM')
}
