/**
 * Bytes allocated per Access-Request by radiusd, and what the resulting scavenges cost (they are the p99 at
 * 1,000 auths/s, see results.md). Runs radiusd (run-radiusd.ts, production defaults, reject delay 0) as its own
 * process under `--trace-gc` on mnetifi_bench (prepared by `npm run bench:radius`), warms it up, then sends
 * PAP auths open-loop with loadgen.ts and reads the young-generation allocation off the GC trace:
 * between two consecutive scavenges the heap grows by exactly what was allocated (before(k+1) − after(k)), so
 * the sum over the measured window divided by the requests answered in it is bytes per request (idle
 * allocation, timers and the like, included; it is measured separately with no load and printed too).
 *
 * `[RADIUSD_NODE_FLAGS=…] tsx radiusd/bench/alloc.ts [--rate 1000] [--seconds 10] [--reps 3]` prints one line per rep and the medians,
 * plus the p99 of each rep (loadgen rate mode; this is not a quiet-machine interleaved figure, bench-radius is).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { runRate, runWindow } from './loadgen.js'
import { MNETIFI_URL, query } from './prepare.js'

const here = new URL('.', import.meta.url).pathname
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const RATE = arg('rate', 1000), SECONDS = arg('seconds', 10), REPS = arg('reps', 3), PORT = arg('port', 21812)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Gc { ms: number; kind: string; before: number; after: number; pause: number }
const gcs: Gc[] = []
// e.g. "[123:0x5f..]     4521 ms: Scavenge 11.6 (13.8) -> 10.9 (14.1) MB, 1.23 / 0.00 ms  (average mu = …"
const GC_LINE = /\s(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep)\S* ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+)/

// RADIUSD_NODE_FLAGS: extra V8/Node flags for the radiusd process (e.g. '--single-threaded-gc'), to try GC settings.
const extraFlags = (process.env.RADIUSD_NODE_FLAGS ?? '').split(' ').filter(Boolean)
const radiusd = spawn(process.execPath, ['--trace-gc', ...extraFlags, '--import', 'tsx', join(here, 'run-radiusd.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, DATABASE_URL: MNETIFI_URL, MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
    RADIUS_AUTH_PORT: String(PORT), RADIUS_ACCT_PORT: String(PORT + 1), RADIUS_BIND_ADDRESS: '127.0.0.1',
    RADIUS_METRICS_PORT: String(PORT + 2), RADIUS_REJECT_DELAY_MS: '0', LOG_LEVEL: 'warn' },
})
const started = performance.now()
let buffered = ''
radiusd.stdout.on('data', (d: Buffer) => {
  buffered += d.toString()
  const lines = buffered.split('\n')
  buffered = lines.pop()!
  for (const line of lines) {
    const m = GC_LINE.exec(line)
    if (m) gcs.push({ ms: Number(m[1]), kind: m[2]!, before: Number(m[3]), after: Number(m[4]), pause: Number(m[5]) })
  }
})

/** Allocation (MB) and young-GC pauses over the scavenges recorded while `fn` ran. */
async function window<T>(fn: () => Promise<T>): Promise<{ result: T; mb: number; ms: number; scavenges: Gc[] }> {
  const first = gcs.length
  const result = await fn()
  await sleep(200)
  const seen = gcs.slice(first)
  let mb = 0
  for (let k = 1; k < seen.length; k++) mb += seen[k]!.before - seen[k - 1]!.after
  const ms = seen.length > 1 ? seen[seen.length - 1]!.ms - seen[0]!.ms : 0
  return { result, mb, ms, scavenges: seen.filter((g) => g.kind === 'Scavenge') }
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? NaN }

try {
  await sleep(4000)
  await query(MNETIFI_URL, 'TRUNCATE radacct, radpostauth, radiusd_session_claims')
  await runWindow({ kind: 'auth', port: PORT, count: 5000, parallel: 20, prefix: 'w' }) // warm-up (JIT, statement plans)
  await query(MNETIFI_URL, 'TRUNCATE radacct, radpostauth, radiusd_session_claims')
  const idle = await window(() => sleep(5000))
  const idleKbPerS = idle.ms > 0 ? (idle.mb * 1024) / (idle.ms / 1000) : 0
  console.log(`idle: ${idle.mb.toFixed(1)} MB over ${(idle.ms / 1000).toFixed(1)} s between scavenges (${idleKbPerS.toFixed(1)} KB/s)`)
  const perReq: number[] = [], p99s: number[] = [], pauses: number[] = [], intervals: number[] = []
  for (let rep = 0; rep < REPS; rep++) {
    await query(MNETIFI_URL, 'TRUNCATE radacct, radpostauth, radiusd_session_claims')
    const w = await window(() => runRate({ kind: 'auth', port: PORT, rate: RATE, seconds: SECONDS, first: 1 + rep * RATE * SECONDS }))
    // Requests answered between the first and the last scavenge of the window, at the steady send rate.
    const requests = (w.ms / 1000) * RATE
    const kb = requests > 0 ? ((w.mb * 1024) - idleKbPerS * (w.ms / 1000)) / requests : NaN
    const sc = w.scavenges
    const pause = median(sc.map((g) => g.pause)), maxPause = Math.max(...sc.map((g) => g.pause))
    const every = sc.length > 1 ? (sc[sc.length - 1]!.ms - sc[0]!.ms) / (sc.length - 1) : NaN
    perReq.push(kb); p99s.push(w.result.p99); pauses.push(pause); intervals.push(every)
    console.log(`rep ${rep + 1}: ${kb.toFixed(1)} KB/request (idle subtracted), ${sc.length} scavenges every ${every.toFixed(0)} ms, ` +
      `pause median ${pause} max ${maxPause} ms; answered ${w.result.answered}/${w.result.sent} p50 ${w.result.p50} p99 ${w.result.p99} p99.9 ${w.result.p999} ms`)
  }
  console.log(`median: ${median(perReq).toFixed(1)} KB/request, scavenge every ${median(intervals).toFixed(0)} ms, pause ${median(pauses)} ms, p99 ${median(p99s)} ms (${RATE}/s, ${SECONDS} s × ${REPS}, ${((performance.now() - started) / 1000).toFixed(0)} s total)`)
} finally {
  radiusd.kill('SIGTERM')
}
