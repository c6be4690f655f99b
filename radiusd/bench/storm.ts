/**
 * The reboot storm (issue 14, point 2): `npm run bench:storm [-- --subscribers 50000 --routers 50 --window 400 --interim-seconds 60]`
 *
 * One tenant, `--routers` hotspots (127.0.1.1 …, so each router has its own source address), `--subscribers`
 * users with Simultaneous-Use 1 on a plan — every other one a hotspot user logging in by MAC, the rest PPPoE
 * users with a password — each with an open, fresh radacct session from its device. Then every router "reboots":
 * the first half send Accounting-On (their sessions close), the rest send nothing (their sessions stay open and
 * fresh). Then every subscriber logs in again from the same device, all at once, as RouterOS does it: Message-
 * Authenticator, a 300 ms timeout (`/radius timeout` default) and the same request resent unchanged, at most 3
 * tries. The generator keeps `--window` requests outstanding (as fast as it can send). Afterwards, interims for
 * the new sessions at 170/s (50,000 every 5 minutes) for `--interim-seconds`, and radiusd's CPU meanwhile.
 *
 * radiusd runs as its own process (`run-radiusd.ts`) on a scratch database created and dropped here. Then the same
 * storm runs against Debian's FreeRADIUS 3.2 + rlm_sql (`freeradius/setup.sh` with STORM_CLIENTS=yes, database
 * radius_bench) holding the same subscribers as operator rows, daloRADIUS style: PPPoE users with
 * Cleartext-Password, hotspot MACs with Auth-Type := Accept, one group with Simultaneous-Use := 1, and the same
 * open sessions. `--freeradius no` skips it. CPU is read from /proc for both servers (their process only, not
 * Postgres). Figures appended to results-storm.md.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { appendFileSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createTestDatabase, insertTestPlan, insertTestTenant } from '@mnetifi/db/testing'
import { decodePacket, encodeRequest, PacketCode, type AttributeList } from '../src/protocol/codec.js'
import { FR_URL, query } from './prepare.js'

const here = new URL('.', import.meta.url).pathname
const { values: args } = parseArgs({ options: {
  subscribers: { type: 'string', default: '50000' }, routers: { type: 'string', default: '50' },
  window: { type: 'string', default: '400' }, 'interim-seconds': { type: 'string', default: '60' },
  freeradius: { type: 'string', default: 'yes' },
  // Keep radiusd's scratch database after the storm phase and stop there, for EXPLAIN.
  keep: { type: 'boolean', default: false },
} })
const N = Number(args.subscribers)
const ROUTERS = Number(args.routers)
const WINDOW = Number(args.window)
const INTERIM_S = Number(args['interim-seconds'])
const SECRET = Buffer.from('testing123')
const TIMEOUT_MS = 300
const TRIES = 3

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const routerIp = (r: number) => `127.0.1.${r}`
const mac = (i: number) => `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase()
const routerOf = (i: number) => ((i - 1) % ROUTERS) + 1
async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) }) })
}

console.log(`preparing ${N} subscribers on ${ROUTERS} routers…`)
const t = await createTestDatabase('radiusd_storm_bench')
const tenant = await insertTestTenant(t.db)
const plan = await insertTestPlan(t.db, tenant.id, { simultaneous_use: 1, account_types: ['HOTSPOT', 'PPPOE'], acct_interim_interval: 300 })
await sql`INSERT INTO hotspots (tenant_id, location_name, nas_ip, radius_secret, mac_auth_enabled, require_message_authenticator)
  SELECT ${tenant.id}::uuid, 'router ' || r, ('127.0.1.' || r)::inet, 'testing123', true, true FROM generate_series(1, ${ROUTERS}::int) r`.execute(t.db)
await sql`INSERT INTO wifi_users (tenant_id, account_type, username, password, current_plan_id, expiry_time)
  SELECT ${tenant.id}::uuid, CASE WHEN i % 2 = 0 THEN 'HOTSPOT' ELSE 'PPPOE' END, 'sub' || i, 'pw' || i, ${plan.id}::uuid, now() + interval '1 day'
  FROM generate_series(1, ${N}::int) i`.execute(t.db)
// Hotspot users' devices (MAC login); every subscriber's open session from its device, updated 2 minutes ago.
const macSql = sql`upper(concat_ws(':', '02', '00', '00', lpad(to_hex((i >> 16) & 255), 2, '0'), lpad(to_hex((i >> 8) & 255), 2, '0'), lpad(to_hex(i & 255), 2, '0')))`
await sql`INSERT INTO wifi_user_devices (tenant_id, user_id, mac_address)
  SELECT ${tenant.id}::uuid, u.id, ${macSql}::macaddr FROM generate_series(2, ${N}::int, 2) i JOIN wifi_users u ON u.username = 'sub' || i`.execute(t.db)
await sql`INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, callingstationid, tenant_id)
  SELECT 'old-' || i, md5('old-' || i), CASE WHEN i % 2 = 0 THEN ${macSql} ELSE 'sub' || i END, ('127.0.1.' || ((i - 1) % ${ROUTERS}::int + 1))::inet,
    now() - interval '1 hour', now() - interval '2 minutes', ${macSql}, ${tenant.id}::uuid FROM generate_series(1, ${N}::int) i`.execute(t.db)
await sql`ANALYZE`.execute(t.db)

const [authPort, acctPort, metricsPort] = [await freePort(), await freePort(), await freePort()]
const radiusd = spawn(process.execPath, ['--import', 'tsx', join(here, 'run-radiusd.ts')], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'error', MNETIFI_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
    RADIUS_AUTH_PORT: String(authPort), RADIUS_ACCT_PORT: String(acctPort), RADIUS_METRICS_PORT: String(metricsPort),
    RADIUS_BIND_ADDRESS: '127.0.0.1', RADIUS_REJECT_DELAY_MS: '0', RADIUS_MESSAGE_AUTHENTICATOR: 'flag' },
})
/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks are 100 Hz on Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
for (let i = 0; ; i++) {
  try { await fetch(`http://127.0.0.1:${metricsPort}/ready`); break } catch { if (i > 200) throw new Error('radiusd did not start'); await sleep(100) }
}

/** One socket per router (its source address) with RouterOS's retransmission: same bytes after 300 ms, 3 tries. */
interface Outstanding { bytes: Buffer; port: number; firstSent: number; tries: number; timer?: NodeJS.Timeout; done: (code: number | null, replyMessage: string | null) => void }
let retransmits = 0
const routers: { socket: Socket; pending: Map<number, Outstanding>; nextId: number }[] = []
for (let r = 1; r <= ROUTERS; r++) {
  const socket = createSocket('udp4')
  const router = { socket, pending: new Map<number, Outstanding>(), nextId: 0 }
  socket.on('message', (m) => {
    const o = router.pending.get(m[1]!)
    if (!o) return
    let code: number | null = null
    let message: string | null = null
    try {
      const p = decodePacket(m, SECRET, { requestAuthenticator: o.bytes.subarray(4, 20) })
      code = p.code
      message = (p.attributes.get('Reply-Message')?.[0] as string | undefined) ?? null
    } catch { return } // RouterOS discards an answer that does not verify
    router.pending.delete(m[1]!)
    clearTimeout(o.timer)
    o.done(code, message)
  })
  await new Promise<void>((res) => socket.bind(0, routerIp(r), res))
  socket.setRecvBufferSize(4 * 1024 * 1024)
  routers.push(router)
}
function exchange(r: number, port: number, build: (identifier: number) => Buffer): Promise<{ code: number | null; message: string | null; ms: number }> {
  const router = routers[r - 1]!
  let id = router.nextId
  while (router.pending.has(id)) id = (id + 1) & 255
  router.nextId = (id + 1) & 255
  const bytes = build(id)
  return new Promise((resolve) => {
    const o: Outstanding = { bytes, port, firstSent: performance.now(), tries: 0,
      done: (code, message) => resolve({ code, message, ms: performance.now() - o.firstSent }) }
    const send = (): void => {
      if (o.tries >= TRIES) { router.pending.delete(id); o.done(null, null); return }
      if (o.tries++ > 0) retransmits++
      router.socket.send(bytes, port, '127.0.0.1')
      o.timer = setTimeout(send, TIMEOUT_MS)
    }
    router.pending.set(id, o)
    send()
  })
}
const nasAttrs = (r: number): AttributeList => [['NAS-IP-Address', routerIp(r)], ['NAS-Identifier', `router-${r}`]]

function accessRequest(i: number, identifier: number): Buffer {
  const r = routerOf(i)
  const hotspot = i % 2 === 0
  const attributes: AttributeList = hotspot
    ? [['User-Name', mac(i)], ['User-Password', ''], ['Calling-Station-Id', mac(i)], ['Called-Station-Id', `hotspot-${r}`], ['NAS-Port-Type', 'Wireless-802.11'], ...nasAttrs(r)]
    : [['User-Name', `sub${i}`], ['User-Password', `pw${i}`], ['Calling-Station-Id', mac(i)], ['Service-Type', 'Framed-User'], ['Framed-Protocol', 'PPP'], ['NAS-Port-Type', 'Ethernet'], ...nasAttrs(r)]
  return encodeRequest({ code: PacketCode.AccessRequest, identifier, secret: SECRET, attributes })
}

/** A server under test: where it listens, its process, and how many of its radacct rows are closed. */
interface Target { readonly name: string; readonly authPort: number; readonly acctPort: number; readonly pid: number; closedCount(): Promise<number> }

/** The three phases against one server; returns its result lines and figures. */
async function runStorm(target: Target) {
  // Phase 1: the reboot. Half the routers send Accounting-On.
  const rebootStart = performance.now()
  const onResults = await Promise.all(Array.from({ length: Math.floor(ROUTERS / 2) }, (_, k) => exchange(k + 1, target.acctPort, (identifier) =>
    encodeRequest({ code: PacketCode.AccountingRequest, identifier, secret: SECRET, messageAuthenticator: false,
      attributes: [['Acct-Status-Type', 'Accounting-On'], ...nasAttrs(k + 1)] }))))
  // RouterOS gives up after its tries; the server still commits what it received. Wait for the closes to land (at
  // most 60 s) so that the storm starts from the state the reboot leaves.
  const expectedClosed = Array.from({ length: N }, (_, k) => routerOf(k + 1)).filter((r) => r <= Math.floor(ROUTERS / 2)).length
  let closed = await target.closedCount()
  while (closed < expectedClosed && performance.now() - rebootStart < 60_000) { await sleep(100); closed = await target.closedCount() }
  const onSettleS = (performance.now() - rebootStart) / 1000
  const onAnsweredMs = onResults.filter((x) => x.code === PacketCode.AccountingResponse).map((x) => x.ms).sort((a, b) => a - b)

  // Phase 2: everyone logs in again from the same device.
  const latencies: number[] = []
  const rejects = new Map<string, number>()
  let accepted = 0
  let answered = 0
  let lost = 0
  /** Unanswered logins by kind: MAC (hotspot) or PPPoE, and whether the old session was closed or left open. */
  const lostBy = new Map<string, number>()
  let next = 1
  retransmits = 0
  const stormStart = performance.now()
  let lastAnswer = stormStart
  await Promise.all(Array.from({ length: WINDOW }, async () => {
    while (next <= N) {
      const i = next++
      const res = await exchange(routerOf(i), target.authPort, (identifier) => accessRequest(i, identifier))
      if (res.code !== null) { answered++; lastAnswer = performance.now() }
      if (res.code === PacketCode.AccessAccept) { accepted++; latencies.push(res.ms) }
      else if (res.code === PacketCode.AccessReject) { const m = (res.message ?? '(none)').trim(); rejects.set(m, (rejects.get(m) ?? 0) + 1) }
      else { lost++; const kind = `${i % 2 === 0 ? 'mac' : 'pppoe'}/${routerOf(i) <= Math.floor(ROUTERS / 2) ? 'closed' : 'stale'}`; lostBy.set(kind, (lostBy.get(kind) ?? 0) + 1) }
    }
  }))
  const stormSeconds = (lastAnswer - stormStart) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
  const staleRejects = rejects.get('You are already logged in - access denied') ?? 0

  // Phase 3: 5-minute interims for every subscriber, i.e. N / 300 per second, for INTERIM_S seconds.
  const interimRate = N / 300
  const cpu0 = cpuSeconds(target.pid)
  const interimStart = performance.now()
  let interimsSent = 0
  let interimsAnswered = 0
  const interimJobs: Promise<void>[] = []
  while (performance.now() - interimStart < INTERIM_S * 1000) {
    const due = Math.floor(((performance.now() - interimStart) / 1000) * interimRate)
    while (interimsSent < due) {
      const i = (interimsSent % N) + 1
      const r = routerOf(i)
      interimsSent++
      interimJobs.push(exchange(r, target.acctPort, (identifier) => encodeRequest({ code: PacketCode.AccountingRequest, identifier, secret: SECRET,
        messageAuthenticator: false, attributes: [['Acct-Status-Type', 'Interim-Update'], ['User-Name', i % 2 === 0 ? mac(i) : `sub${i}`],
          ['Acct-Session-Id', `new-${i}`], ['Calling-Station-Id', mac(i)], ['Acct-Session-Time', 60 + interimsSent], ...nasAttrs(r)] }))
        .then((res) => { if (res.code === PacketCode.AccountingResponse) interimsAnswered++ }))
    }
    await sleep(5)
  }
  await Promise.all(interimJobs)
  const interimCpu = (cpuSeconds(target.pid) - cpu0) / ((performance.now() - interimStart) / 1000) * 100

  const lines = [
    `- ${target.name} reboot: ${onResults.filter((x) => x.code === PacketCode.AccountingResponse).length}/${Math.floor(ROUTERS / 2)} Accounting-On answered within ${TRIES} tries (slowest answered ${onAnsweredMs.at(-1)?.toFixed(0) ?? '-'} ms); ${closed}/${expectedClosed} sessions closed ${onSettleS.toFixed(1)} s after they were sent; the other ${N - closed} stay open and fresh`,
    `- ${target.name} storm: ${accepted}/${N} accepted, ${answered} answered in ${stormSeconds.toFixed(2)} s (${Math.round(answered / stormSeconds)}/s); rejects ${JSON.stringify(Object.fromEntries(rejects))}; lost after ${TRIES} tries ${lost} ${JSON.stringify(Object.fromEntries(lostBy))}; retransmissions (300 ms timeout) ${retransmits}`,
    `- ${target.name} latency first send → accept (retransmissions included): p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms`,
    `- ${target.name} interims: ${interimsAnswered}/${interimsSent} answered at ${interimRate.toFixed(0)}/s for ${INTERIM_S} s; CPU ${interimCpu.toFixed(1)} % of one core (its process, Postgres not included)`,
  ]
  return { lines, accepted, answered, stormSeconds, staleRejects, p99: pct(0.99), interimCpu }
}

// FreeRADIUS's rows below use the same MAC expression; compiled while the scratch database's handle is open.
const macText = macSql.compile(t.db).sql
const ours = await runStorm({ name: 'radiusd', authPort, acctPort, pid: radiusd.pid!, closedCount: async () =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM radacct WHERE acctstoptime IS NOT NULL`.execute(t.db)).rows[0]!.n) })
radiusd.kill('SIGTERM')
await new Promise((r) => radiusd.once('exit', r))
if (args.keep) {
  console.log(ours.lines.join('\n'))
  console.log(`kept ${t.url} (tenant ${tenant.id}); drop it with dropdb`)
  await t.db.destroy()
  process.exit(0)
}
await t.destroy()

// The same storm against FreeRADIUS with the same subscribers as operator rows.
let theirs: Awaited<ReturnType<typeof runStorm>> | undefined
if (args.freeradius !== 'no') {
  console.log('FreeRADIUS: setup.sh (STORM_CLIENTS=yes, REJECT_DELAY=0 as radiusd runs, SQL-only accounting) and the same subscribers as operator rows…')
  const setup = spawnSync(join(here, 'freeradius/setup.sh'), { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(here, 'freeradius'),
    env: { ...process.env, ACCT_FILES: 'no', STORM_CLIENTS: 'yes', REJECT_DELAY: '0', NUSERS: '1' } })
  if (setup.status !== 0) throw new Error('freeradius/setup.sh failed')
  await query(FR_URL, `
    TRUNCATE radcheck, radreply, radusergroup, radgroupcheck, radgroupreply, radacct, radpostauth RESTART IDENTITY;
    INSERT INTO radcheck (username, attribute, op, value)
      SELECT CASE WHEN i % 2 = 0 THEN ${macText} ELSE 'sub' || i END,
        CASE WHEN i % 2 = 0 THEN 'Auth-Type' ELSE 'Cleartext-Password' END, ':=', CASE WHEN i % 2 = 0 THEN 'Accept' ELSE 'pw' || i END
      FROM generate_series(1, ${N}) i;
    INSERT INTO radusergroup (username, groupname, priority) SELECT username, 'storm', 1 FROM radcheck;
    INSERT INTO radgroupcheck (groupname, attribute, op, value) VALUES ('storm', 'Simultaneous-Use', ':=', '1');
    INSERT INTO radgroupreply (groupname, attribute, op, value) VALUES ('storm', 'Mikrotik-Rate-Limit', ':=', '2M/5M'), ('storm', 'Acct-Interim-Interval', ':=', '300');
    INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime, callingstationid)
      SELECT 'old-' || i, md5('old-' || i), CASE WHEN i % 2 = 0 THEN ${macText} ELSE 'sub' || i END, ('127.0.1.' || ((i - 1) % ${ROUTERS} + 1))::inet,
        now() - interval '1 hour', now() - interval '2 minutes', ${macText} FROM generate_series(1, ${N}) i;
    CREATE INDEX IF NOT EXISTS radacct_active_user_idx ON radacct (UserName) WHERE AcctStopTime IS NULL;
    ANALYZE;`)
  const pid = Number(readFileSync('/var/run/freeradius/freeradius.pid', 'utf8'))
  try {
    theirs = await runStorm({ name: 'FreeRADIUS', authPort: 1812, acctPort: 1813, pid, closedCount: async () =>
      Number((await query(FR_URL, 'SELECT count(*) AS n FROM radacct WHERE acctstoptime IS NOT NULL')).rows[0].n) })
  } finally {
    spawnSync(join(here, 'freeradius/stop.sh'), ['--keep-postgres'], { stdio: 'ignore', cwd: join(here, 'freeradius') })
  }
}
for (const r of routers) r.socket.close()

// The ratio: answered re-authentications per second, ours over FreeRADIUS's.
const ratio = theirs ? (ours.answered / ours.stormSeconds) / (theirs.answered / theirs.stormSeconds) : NaN
const lines = [
  `\n### ${new Date().toISOString()} — ${N} subscribers on ${ROUTERS} routers, window ${WINDOW}\n`,
  ...ours.lines,
  ...(theirs ? theirs.lines : ['- FreeRADIUS: not run (--freeradius no)']),
]
const last = `storm ${ours.accepted} re-auth in ${ours.stormSeconds.toFixed(2)} s, stale rejects ${ours.staleRejects}, p99 ${ours.p99.toFixed(1)} ms, interim cpu ${ours.interimCpu.toFixed(1)} %, vs FreeRADIUS ${theirs ? `${ratio.toFixed(2)}x (FreeRADIUS: ${theirs.accepted} accepted in ${theirs.stormSeconds.toFixed(2)} s, stale rejects ${theirs.staleRejects}, p99 ${theirs.p99.toFixed(1)} ms, interim cpu ${theirs.interimCpu.toFixed(1)} %)` : 'n/a'}`
appendFileSync(join(here, 'results-storm.md'), lines.join('\n') + `\n- \`${last}\`\n`)
console.log(lines.join('\n'))
console.log(last)
process.exit(0)
