/**
 * Runs Debian's stock FreeRADIUS 3.2 (packages freeradius + freeradius-postgresql) against a test database,
 * configured the way docker/freeradius/README.md documents: rlm_sql on PostgreSQL, clients from the `nas`
 * table, sql in authorize/session/accounting/post-auth, and the tenant-aware queries made by
 * docker/freeradius/tenant-queries.sed. Listens on 127.0.0.1 with free ports.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { closeSync, copyFileSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RADDB = '/etc/freeradius/3.0'
const SED = new URL('../../../docker/freeradius/tenant-queries.sed', import.meta.url).pathname

export interface StockFreeradius {
  readonly authPort: number
  readonly acctPort: number
  output(): string
  stop(): Promise<void>
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** `text.replace(pattern, by)` that fails loudly when the stock file no longer has what we patch. */
function patch(text: string, pattern: RegExp, by: string): string {
  if (!pattern.test(text)) throw new Error(`stock FreeRADIUS config no longer matches ${pattern}`)
  return text.replace(pattern, by)
}

/** Rewrites the top-level listen blocks: IPv6 ones dropped, IPv4 ones on 127.0.0.1 and our ports. */
function patchListeners(site: string, ports: { auth: number; acct: number }): string {
  const lines = site.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('listen {')) { out.push(lines[i]!); continue }
    let depth = 0
    let j = i
    for (; j < lines.length; j++) {
      const code = lines[j]!.split('#')[0]!
      depth += (code.match(/{/g) ?? []).length - (code.match(/}/g) ?? []).length
      if (depth === 0) break
    }
    const block = lines.slice(i, j + 1)
    const code = block.map((l) => l.split('#')[0]!)
    if (!code.some((l) => /^\s*ipv6addr\s*=/.test(l))) {
      const type = code.some((l) => /^\s*type\s*=\s*acct/.test(l)) ? 'acct' : 'auth'
      out.push(...block.map((l) => l.replace(/^(\s*)ipaddr = \*$/, '$1ipaddr = 127.0.0.1').replace(/^(\s*)port = 0$/, `$1port = ${ports[type]}`)))
    }
    i = j
  }
  return out.join('\n')
}

/** Starts FreeRADIUS in the foreground (-X) on `databaseUrl`; resolves once it is ready to process requests. */
export async function startStockFreeradius(databaseUrl: string): Promise<StockFreeradius> {
  const dir = mkdtempSync(join(tmpdir(), 'mnetifi-freeradius-'))
  cpSync(RADDB, dir, { recursive: true, verbatimSymlinks: true })
  // Start from the files as Debian ships them: the FreeRADIUS bench's setup.sh edits these three in place and
  // keeps the originals as *.bench-orig.
  for (const f of ['mods-available/sql', 'sites-available/default', 'radiusd.conf']) {
    if (existsSync(join(RADDB, `${f}.bench-orig`))) copyFileSync(join(RADDB, `${f}.bench-orig`), join(dir, f))
  }
  const ports = { auth: await freeUdpPort(), acct: await freeUdpPort() }
  const url = new URL(databaseUrl)

  // The stock inner-tunnel site (for EAP) listens on 127.0.0.1:18120: move it to a free port.
  const inner = join(dir, 'sites-available/inner-tunnel')
  writeFileSync(inner, readFileSync(inner, 'utf8').replace(/^(\s*)port = 18120$/m, `$1port = ${await freeUdpPort()}`))
  writeFileSync(join(dir, 'clients.conf'), '# clients come from the nas table (read_clients)\n')
  const conf = readFileSync(join(dir, 'radiusd.conf'), 'utf8')
    .replace(/^proxy_requests\s*=\s*yes$/m, 'proxy_requests = no')
    .replace(/^\$INCLUDE proxy.conf$/m, '')
    // Stay root: the copied files are root-owned, so the freerad user could not read them.
    .replace(/^(\s*)(user|group) = freerad$/gm, '$1# $2 = freerad')
  writeFileSync(join(dir, 'radiusd.conf'), conf)

  let sql = readFileSync(join(dir, 'mods-available/sql'), 'utf8')
  sql = patch(sql, /^\tdialect = "sqlite"$/m, '\tdialect = "postgresql"')
  sql = patch(sql, /^\tdriver = "rlm_sql_null"$/m, '\tdriver = "rlm_sql_${dialect}"')
  sql = patch(sql, /^\tradius_db = "radius"$/m, `\tradius_db = "host=${url.hostname} port=${url.port || 5432} dbname=${url.pathname.slice(1)} user=${url.username || 'postgres'}"`)
  sql = patch(sql, /^#\tread_clients = yes$/m, '\tread_clients = yes')
  writeFileSync(join(dir, 'mods-available/sql'), sql)
  execFileSync('ln', ['-sfn', '../mods-available/sql', join(dir, 'mods-enabled/sql')])
  const queries = join(dir, 'mods-config/sql/main/postgresql/queries.conf')
  writeFileSync(queries, execFileSync('sed', ['-f', SED, queries]))

  const site = readFileSync(join(dir, 'sites-available/default'), 'utf8')
  writeFileSync(join(dir, 'sites-available/default'), patchListeners(site, ports)
    .replace(/^(\t+)-sql$/gm, '$1sql')
    .replace(/(^session \{\n(?:.*\n)*?)#\tsql\n/m, '$1\tsql\n'))

  // Output goes to a file, not a pipe: radclient runs synchronously in the tests, and a full pipe would block
  // FreeRADIUS's debug logging (and so its replies) while nobody reads it.
  const logFile = join(dir, 'radiusd.out')
  const fd = openSync(logFile, 'w')
  const child: ChildProcess = spawn('freeradius', ['-X', '-d', dir, '-n', 'radiusd'], { stdio: ['ignore', fd, fd] })
  closeSync(fd)
  const output = () => readFileSync(logFile, 'utf8')
  await new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const onExit = (code: number | null) => { clearInterval(poll); reject(new Error(`FreeRADIUS exited ${code}:\n${output().slice(-3000)}`)) }
    const poll = setInterval(() => {
      if (output().includes('Ready to process requests')) { clearInterval(poll); child.off('exit', onExit); resolve() }
      else if (Date.now() - started > 20_000) { clearInterval(poll); reject(new Error(`FreeRADIUS did not start:\n${output().slice(-3000)}`)) }
    }, 50)
    child.once('exit', onExit)
  })
  return {
    authPort: ports.auth,
    acctPort: ports.acct,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Sends one request with radclient and returns its decoded reply lines (`Attr = value`) and the reply code. */
export function radclient(port: number, type: 'auth' | 'acct', secret: string, attributes: string): { code: string; attributes: string[] } {
  let out: string
  try {
    out = execFileSync('radclient', ['-x', '-r', '1', '-t', '3', `127.0.0.1:${port}`, type, secret], { input: attributes, encoding: 'utf8' })
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '')
  }
  const received = out.split(/\n(?=Received )/).find((b) => b.startsWith('Received '))
  if (!received) return { code: 'no reply', attributes: [] }
  const code = /^Received (\S+)/.exec(received)![1]!
  const attrs = received.split('\n').slice(1).map((l) => l.trim()).filter((l) => /^[A-Za-z][\w-]* = /.test(l))
  return { code, attributes: attrs }
}
