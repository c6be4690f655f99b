/**
 * A MikroTik hotspot's HTTP side, as the portal meets it: it serves the tenant's own `login.html` (the file the
 * API renders for the router's hotspot directory) with RouterOS's `$(variable)` substitution and a fresh CHAP
 * challenge each time, and takes the login form the portal posts to `link-login-only`. Like RouterOS, it then
 * asks RADIUS — radiusd, through Debian's radclient — with CHAP-Password = chap-id ‖ MD5 from the form, and
 * answers with a redirect to `dst` (accepted) or the login page again with `$(error)` = the Reply-Message.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { radclient, type RadclientReply } from '../../radiusd/test/helper.js'

/** One login form the router received, and what RADIUS answered. */
export interface RecordedLogin {
  readonly form: Readonly<Record<string, string>>
  readonly chapId: Buffer
  readonly chapChallenge: Buffer
  readonly radius: RadclientReply
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
  let chapId = randomBytes(1)
  let chapChallenge = randomBytes(16)
  let lastError = ''
  let url = ''

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
    return renderHotspotTemplate(opts.loginHtml, vars)
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://router').pathname
      if (req.method === 'POST' && path === '/login') {
        const form = await readForm(req)
        const chap = opts.chap ?? true
        const attrs = [
          `User-Name = "${form.username ?? ''}"`,
          `Calling-Station-Id = "${opts.mac}"`,
          `Framed-IP-Address = ${opts.ip}`,
          'NAS-Identifier = "MikroTik-Hotspot"',
          'Called-Station-Id = "hotspot1"',
          'NAS-Port-Type = Wireless-802.11',
          'Service-Type = Login-User',
        ]
        if (chap) {
          attrs.push(
            `CHAP-Password = 0x${chapId.toString('hex')}${form.password ?? ''}`,
            `CHAP-Challenge = 0x${chapChallenge.toString('hex')}`,
          )
        } else {
          attrs.push(`User-Password = "${form.password ?? ''}"`)
        }
        const [radius = { code: 'none', attributes: [] }] = await radclient(
          opts.radiusPort,
          'auth',
          opts.radiusSecret,
          [attrs.join('\n')],
          { timeoutS: 2 },
        )
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
