/**
 * A MikroTik hotspot's HTTP side, as the portal meets it: it serves the tenant's own `login.html` (the file the
 * API renders for the router's hotspot directory) with RouterOS's `$(variable)` substitution and a fresh CHAP
 * challenge each time, and takes the login form the portal posts to `link-login-only`. Like RouterOS, it then
 * asks RADIUS (radiusd) with CHAP-Password = chap-id ‖ MD5 from the form, and
 * answers with a redirect to `dst` (accepted) or the login page again with `$(error)` = the Reply-Message.
 * The RADIUS side is radiusd's RouterOS 7 client emulator (radiusd/test/helpers/routeros-nas.ts).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createRouterOsNas } from '../../radiusd/test/helpers/routeros-nas.js'

/** One login form the router received, and what RADIUS answered. */
export interface RecordedLogin {
  readonly form: Readonly<Record<string, string>>
  readonly chapId: Buffer
  readonly chapChallenge: Buffer
  /** radiusd's answer: its code and attributes (binary values as 0x-hex). */
  readonly radius: { readonly code: string; readonly attributes: readonly [string, string][] }
}

export interface FakeRouterOptions {
  /** login.html as the API renders it for this hotspot (RouterOS variables still in it). */
  readonly loginHtml: string
  readonly radiusPort: number
  readonly radiusSecret: string
  /** The device behind the hotspot. */
  readonly mac: string
  readonly ip: string
  /** false: http-pap (no CHAP variables, clear password). @defaultValue true */
  readonly chap?: boolean
}

const CODE_NAMES: Readonly<Record<number, string>> = { 2: 'Access-Accept', 3: 'Access-Reject', 11: 'Access-Challenge' }

/** RouterOS renders bytes in $(chap-id)/$(chap-challenge) as JavaScript octal escapes. */
export const octal = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')

/** The subset of RouterOS's hotspot template language login pages use: $(x), $(x-esc), $(if x)…$(else)…$(endif). */
export function renderHotspotTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  let out = template
  const conditional = /\$\(if ([\w-]+)\)((?:(?!\$\(if )[\s\S])*?)(?:\$\(else\)((?:(?!\$\(if )[\s\S])*?))?\$\(endif\)/
  for (let m = conditional.exec(out); m; m = conditional.exec(out)) {
    out = out.slice(0, m.index) + (vars[m[1]!] ? m[2]! : (m[3] ?? '')) + out.slice(m.index + m[0].length)
  }
  return out.replace(/\$\(([\w-]+?)(-esc)?\)/g, (_, name: string, esc?: string) => {
    const value = vars[name] ?? ''
    return esc ? encodeURIComponent(value) : value
  })
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = ''
  for await (const chunk of req) body += chunk
  return Object.fromEntries(new URLSearchParams(body))
}

export async function startFakeRouter(opts: FakeRouterOptions) {
  const logins: RecordedLogin[] = []
  const nas = createRouterOsNas({
    identity: 'MikroTik-Hotspot',
    sourceAddress: '127.0.0.1',
    secret: opts.radiusSecret,
    authPort: opts.radiusPort,
    acctPort: opts.radiusPort,
  })
  let chapId = randomBytes(1)
  let chapChallenge = randomBytes(16)
  let lastError = ''
  let url = ''
  let pagesServed = 0

  const loginPage = () => {
    // Every login page gets a new challenge, as RouterOS issues one per page.
    chapId = randomBytes(1)
    chapChallenge = randomBytes(16)
    const chap = opts.chap ?? true
    const vars = {
      'link-login-only': `${url}/login`,
      'link-login': `${url}/login?dst=http%3A%2F%2Fneverssl.com%2F`,
      'link-orig': 'http://neverssl.com/',
      mac: opts.mac,
      ip: opts.ip,
      identity: 'MikroTik-Hotspot',
      'server-name': 'hotspot1',
      username: '',
      error: lastError,
      'chap-id': chap ? octal(chapId) : '',
      'chap-challenge': chap ? octal(chapChallenge) : '',
    }
    lastError = ''
    pagesServed++
    return renderHotspotTemplate(opts.loginHtml, vars)
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://router').pathname
      if (req.method === 'POST' && path === '/login') {
        const form = await readForm(req)
        const chap = opts.chap ?? true
        const username = form.username ?? ''
        const password = form.password ?? ''
        const response = Buffer.from(password, 'hex')
        // RouterOS turns the form into an Access-Request (the RouterOS 7 emulator radiusd's own tests use:
        // Debian's radclient would re-hash some CHAP-Password values it takes for clear text).
        const exchange = await nas.hotspotLogin(
          {
            mac: opts.mac,
            ip: opts.ip,
            server: 'hotspot1',
            interface: 'bridge-hotspot',
            sessionId: randomBytes(4).toString('hex'),
            gateway: '10.5.50.1',
          },
          chap && response.length === 16 && /^[0-9a-f]{32}$/i.test(password)
            ? { method: 'http-chap-response', username, chapId: chapId[0]!, chapChallenge, response }
            : { method: 'http-pap', username, password },
        )
        const reply = exchange.reply
        const radius: RecordedLogin['radius'] = {
          code: reply ? (CODE_NAMES[reply.packet.code] ?? String(reply.packet.code)) : 'none',
          attributes: (reply?.attributes ?? []).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : String(v),
          ]),
        }
        logins.push({ form, chapId, chapChallenge, radius })
        if (radius.code === 'Access-Accept' && form.dst) {
          res.writeHead(302, { location: form.dst }).end()
          return
        }
        lastError = radius.attributes.find(([k]) => k === 'Reply-Message')?.[1] ?? 'invalid username or password'
      }
      if (path !== '/login' && path !== '/') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage())
    })().catch((err: unknown) => res.writeHead(500).end(String(err)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url,
    logins,
    /** Login pages rendered (each with a new challenge). */
    get pagesServed() {
      return pagesServed
    },
    /** The address a phone's captive check is sent to: the router answers with its login page. */
    get loginUrl() {
      return `${url}/login`
    },
    setLoginHtml(html: string) {
      ;(opts as { loginHtml: string }).loginHtml = html
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
export type FakeRouter = Awaited<ReturnType<typeof startFakeRouter>>
