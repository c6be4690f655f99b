/**
 * Soak: a million hostile datagrams against a running radiusd on loopback (issue 14, point 5).
 *
 *   npm run bench:soak [-- --count 1000000 --rate 10000 --valid-every 100 --max-seconds 900]
 *
 * radiusd runs as its own process (`run-radiusd.ts`) on a scratch database (created and dropped here), for a
 * NAS that must send Message-Authenticator. The generator sends `--count` mutated datagrams at `--rate` per
 * second (test/helpers/hostile-packets.ts: bit flips, truncations, lying Length, attribute and VSA overflows,
 * bad values and authenticators, wrong secret, missing Message-Authenticator, unknown and wrong-port codes,
 * runts, and a flood from 127.0.0.2, which is no client), and after every `--valid-every` of them one valid
 * Access-Request and one valid Interim-Update. It stops at `--max-seconds` whatever was sent.
 *
 * Checked: every valid request answered; every hostile datagram counted under the reason the generator expects in
 * radiusd's /metrics, and none answered; heap and RSS flat (sampled every 5 s); warnings logged (rate-limited).
 * Figures are appended to bench/results-soak.md. Not a test: it loads the machine for a minute or two.
 */
import { spawn } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { appendFileSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTestDatabase, insertTestHotspot, insertTestPlan, insertTestTenant, insertTestUser } from '@mnetifi/db/testing'
import { DROP_REASONS } from '../src/metrics.js'
import { createRandom } from '../test/protocol/attribute-samples.js'
import { createHostileGenerator } from '../test/helpers/hostile-packets.js'

const here = new URL('.', import.meta.url).pathname
const { values: args } = parseArgs({ options: {
  count: { type: 'string', default: '1000000' }, rate: { type: 'string', default: '10000' },
  'valid-every': { type: 'string', default: '100' }, 'max-seconds': { type: 'string', default: '900' }, seed: { type: 'string', default: '14' },
} })
const COUNT = Number(args.count)
const RATE = Number(args.rate)
const VALID_EVERY = Number(args['valid-every'])
const MAX_MS = Number(args['max-seconds']) * 1000
const SECRET = Buffer.from('testing123')

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) }) })
}
async function bound(address: string, onMessage?: (m: Buffer) => void): Promise<Socket> {
  const socket = createSocket('udp4')
  if (onMessage) socket.on('message', onMessage)
  await new Promise<void>((r) => socket.bind(0, address, r))
  socket.setSendBufferSize(4 * 1024 * 1024)
  return socket
}
/** System-wide UDP receive-buffer overflows (/proc/net/snmp): datagrams the kernel dropped before radiusd saw them. */
function rcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'))
  const [names, values] = lines.map((l) => l.split(/\s+/))
  return Number(values![names!.indexOf('RcvbufErrors')])
}

const t = await createTestDatabase('radiusd_soak')
const tenant = await insertTestTenant(t.db)
await insertTestHotspot(t.db, tenant.id, { require_message_authenticator: true })
const plan = await insertTestPlan(t.db, tenant.id)
await insertTestUser(t.db, tenant.id, { username: 'soak-user', password: 'soak-pw', current_plan_id: plan.id, expiry_time: new Date(Date.now() + 86_400_000) })

const [authPort, acctPort, metricsPort] = [await freePort(), await freePort(), await freePort()]
let logLines = 0
const radiusd = spawn(process.execPath, ['--import', 'tsx', join(here, 'run-radiusd.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn', MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
    RADIUS_AUTH_PORT: String(authPort), RADIUS_ACCT_PORT: String(acctPort), RADIUS_METRICS_PORT: String(metricsPort),
    RADIUS_BIND_ADDRESS: '127.0.0.1', RADIUS_REJECT_DELAY_MS: '0', RADIUS_MESSAGE_AUTHENTICATOR: 'flag' },
})
radiusd.stdout!.on('data', (d: Buffer) => { for (const c of d) if (c === 10) logLines++ })

interface Scrape { drops: Record<string, number>; rss: number; heap: number; cpu: number }
async function scrape(): Promise<Scrape> {
  const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
  const num = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN)
  const drops = Object.fromEntries([...body.matchAll(/^radiusd_dropped_packets_total\{reason="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]))
  return { drops, rss: num('radiusd_process_resident_memory_bytes'), heap: num('radiusd_nodejs_heap_size_used_bytes'), cpu: num('radiusd_process_cpu_seconds_total') }
}
for (let i = 0; ; i++) {
  try { await scrape(); break } catch { if (i > 200) throw new Error('radiusd did not start'); await sleep(100) }
}

const generator = createHostileGenerator({ secret: SECRET, userName: 'soak-user', password: 'soak-pw', random: createRandom(Number(args.seed)) })
// Valid requests: sent-at by identifier per port; the answer's code by port.
const pending = { auth: new Map<number, number>(), acct: new Map<number, number>() }
const latencies: number[] = []
const answers = { auth: new Map<number, number>(), acct: new Map<number, number>() }
const onValid = (kind: 'auth' | 'acct') => (m: Buffer) => {
  const sentAt = pending[kind].get(m[1]!)
  if (sentAt === undefined) return
  pending[kind].delete(m[1]!)
  latencies.push(performance.now() - sentAt)
  answers[kind].set(m[0]!, (answers[kind].get(m[0]!) ?? 0) + 1)
}
let hostileAnswered = 0
const hostile = await bound('127.0.0.1', () => { hostileAnswered++ })
const stranger = await bound('127.0.0.2', () => { hostileAnswered++ })
const validAuth = await bound('127.0.0.1', onValid('auth'))
const validAcct = await bound('127.0.0.1', onValid('acct'))
let validSent = 0
let validOverwritten = 0
function sendValid(): void {
  for (const [kind, socket, bytes] of [['auth', validAuth, generator.validAccess()], ['acct', validAcct, generator.validAccounting()]] as const) {
    if (pending[kind].has(bytes[1]!)) validOverwritten++ // an older one with this Identifier never came back
    pending[kind].set(bytes[1]!, performance.now())
    socket.send(bytes, kind === 'auth' ? authPort : acctPort, '127.0.0.1')
    validSent++
  }
}

// Warm-up (JIT, pool, plans) in rounds that wait for their answers, so no Identifier is reused while pending;
// then the baseline for memory and counters, and the valid-request figures start from zero.
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < 25; i++) sendValid()
  for (let w = 0; w < 100 && pending.auth.size + pending.acct.size > 0; w++) await sleep(20)
}
const warmUp = { sent: validSent, answered: latencies.length }
validSent = 0
validOverwritten = 0
latencies.length = 0
answers.auth.clear()
answers.acct.clear()
await sleep(1000)
const base = await scrape()
const kernelBase = rcvbufErrors()
const expected: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]))
const samples: { s: number; rss: number; heap: number }[] = []
const started = performance.now()
let sent = 0
const sampler = setInterval(() => {
  scrape().then((s) => samples.push({ s: (performance.now() - started) / 1000, rss: s.rss, heap: s.heap }), () => {})
}, 5000)
while (sent < COUNT && performance.now() - started < MAX_MS) {
  // Open loop: as many as the rate allows by now, in slices, so the event loop can take the replies.
  const due = Math.min(COUNT, Math.floor(((performance.now() - started) / 1000) * RATE))
  for (let k = 0; sent < due && k < 2000; k++) {
    const p = generator.next()
    expected[p.expected]!++
    ;(p.fromUnknownSource ? stranger : hostile).send(p.bytes, p.kind === 'auth' ? authPort : acctPort, '127.0.0.1')
    sent++
    if (sent % VALID_EVERY === 0) sendValid()
  }
  await sleep(1)
}
const seconds = (performance.now() - started) / 1000
await sleep(3000) // stragglers
clearInterval(sampler)
const end = await scrape()
const kernelDrops = rcvbufErrors() - kernelBase
radiusd.kill('SIGTERM')
await new Promise((r) => radiusd.once('exit', r))
for (const s of [hostile, stranger, validAuth, validAcct]) s.close()
await t.destroy()

const counted = Object.fromEntries(DROP_REASONS.map((r) => [r, end.drops[r]! - base.drops[r]!]))
const mismatches = DROP_REASONS.filter((r) => counted[r] !== expected[r]).map((r) => `${r} ${counted[r]}/${expected[r]}`)
const countedTotal = DROP_REASONS.reduce((n, r) => n + counted[r]!, 0)
latencies.sort((a, b) => a - b)
const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
const validAnswered = latencies.length
const mb = (b: number) => (b / 1048576).toFixed(1)
// Flat: the last quarter's peak against the first quarter's (a leak of 1 byte per datagram would be 1 MB).
const quarter = Math.max(1, Math.floor(samples.length / 4))
const peak = (xs: typeof samples, k: 'rss' | 'heap') => Math.max(...xs.map((x) => x[k]))
const early = samples.slice(0, quarter)
const late = samples.slice(-quarter)
const heapGrowth = samples.length ? peak(late, 'heap') - peak(early, 'heap') : NaN
const rssGrowth = samples.length ? peak(late, 'rss') - peak(early, 'rss') : NaN
const flat = heapGrowth < 16 * 1048576 && rssGrowth < 32 * 1048576
const ok = mismatches.length === 0 && hostileAnswered === 0 && validAnswered === validSent && flat

const byReason = DROP_REASONS.filter((r) => expected[r]! > 0 || counted[r]! > 0).map((r) => `${r} ${counted[r]}`).join(', ')
const row = [
  `\n### ${new Date().toISOString()} — ${sent.toLocaleString('en')} hostile datagrams at ${RATE}/s target (seed ${args.seed})\n`,
  `- sent ${sent} hostile in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s), ${validSent} valid interleaved (after a warm-up of ${warmUp.sent}, ${warmUp.answered} answered)`,
  `- valid answered ${validAnswered}/${validSent} (auth ${JSON.stringify(Object.fromEntries(answers.auth))}, acct ${JSON.stringify(Object.fromEntries(answers.acct))}; identifiers reused before an answer ${validOverwritten}); latency p50 ${pct(0.5).toFixed(2)} ms, p99 ${pct(0.99).toFixed(2)} ms, max ${pct(1).toFixed(1)} ms`,
  `- radiusd CPU ${(end.cpu - base.cpu).toFixed(1)} s for the run (${(((end.cpu - base.cpu) / seconds) * 100).toFixed(0)} % of one core, ${(((end.cpu - base.cpu) * 1e6) / (sent + validSent)).toFixed(1)} µs per datagram)`,
  `- hostile answered: ${hostileAnswered}; kernel receive-buffer drops (system-wide, before radiusd could read them): ${kernelDrops}; sent − counted − kernel drops: ${sent - countedTotal - kernelDrops}`,
  `- drops counted in /metrics: ${countedTotal}/${sent} — ${mismatches.length === 0 ? 'every reason exact' : `MISMATCH: ${mismatches.join('; ')}`}`,
  `- by reason: ${byReason}`,
  `- memory (radiusd, sampled every 5 s, ${samples.length} samples): heap used ${mb(base.heap)} MB after warm-up → peak ${mb(peak(early, 'heap'))} MB first quarter, ${mb(peak(late, 'heap'))} MB last quarter, ${mb(end.heap)} MB at the end; RSS ${mb(base.rss)} → ${mb(peak(early, 'rss'))} / ${mb(peak(late, 'rss'))} / ${mb(end.rss)} MB — ${flat ? 'flat' : 'NOT FLAT'}`,
  `- warning lines logged by radiusd: ${logLines} (rate-limited: one per address and reason per minute)`,
  `- verdict: ${ok ? 'PASS' : 'FAIL'}`,
].join('\n')
appendFileSync(join(here, 'results-soak.md'), row + '\n')
console.log(row)
console.log(`soak ${sent} hostile in ${seconds.toFixed(1)} s, valid answered ${validAnswered}/${validSent} (p99 ${pct(0.99).toFixed(1)} ms), drops counted ${countedTotal}/${sent}${mismatches.length ? ' MISMATCH' : ' exact'}, heap +${mb(heapGrowth)} MB, rss +${mb(rssGrowth)} MB, hostile answered ${hostileAnswered}, log lines ${logLines}: ${ok ? 'PASS' : 'FAIL'}`)
process.exit(ok ? 0 : 1)
