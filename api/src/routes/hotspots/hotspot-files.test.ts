import { describe, expect, it } from 'vitest'
import { escapeHotspotHtml, renderHotspotFile, type HotspotFileName, type HotspotPagesInput } from './hotspot-files.js'

const HOTSPOT_ID = '0b7d3c1e-6f2a-4c55-9d3e-2a1b4c5d6e7f'
const sample: HotspotPagesInput = { publicBaseUrl: 'https://wifi.example.com/', subdomain: 'kahawa', ispName: 'Kahawa WiFi', hotspotId: HOTSPOT_ID }

const LOGIN_URL = 'https://wifi.example.com/portal/kahawa/?link-login-only=$(link-login-only-esc)&amp;link-orig=$(link-orig-esc)&amp;mac=$(mac-esc)'
  + '&amp;ip=$(ip-esc)$(if chap-id)&amp;chap-id=$(chap-id-esc)&amp;chap-challenge=$(chap-challenge-esc)$(endif)&amp;error=$(error-esc)'
  + `&amp;identity=$(identity-esc)&amp;hotspot=${HOTSPOT_ID}&amp;username=$(username-esc)`
const LOGIN_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<meta http-equiv="refresh" content="0; url=${LOGIN_URL}">
<title>Kahawa WiFi Wi-Fi</title>
</head>
<body>
<p><a id="go" href="${LOGIN_URL}">Continue to Wi-Fi login</a></p>
<script>location.replace(document.getElementById("go").href)</script>
</body>
</html>
`
const ONLINE_URL = `https://wifi.example.com/portal/kahawa/?step=online&amp;link-orig=$(link-orig-esc)&amp;hotspot=${HOTSPOT_ID}`
  + '&amp;username=$(username-esc)&amp;link-status=$(link-status-esc)&amp;link-logout=$(link-logout-esc)'
const ALOGIN_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<meta http-equiv="refresh" content="0; url=${ONLINE_URL}">
<title>Kahawa WiFi Wi-Fi: connected</title>
</head>
<body>
<p>You are connected. <a id="go" href="${ONLINE_URL}">Continue</a> or <a href="$(link-redirect)">go to the page you asked for</a>.</p>
<script>location.replace(document.getElementById("go").href)</script>
</body>
</html>
`
const STATUS_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
$(if refresh-timeout)<meta http-equiv="refresh" content="$(refresh-timeout-secs)">$(endif)
<title>Kahawa WiFi Wi-Fi: status</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem}dt{font-weight:bold}</style>
</head>
<body>
<h1>Kahawa WiFi</h1>
<p>Signed in as $(username)</p>
<dl>
$(if session-time-left)<dt>Time left</dt><dd>$(session-time-left)</dd>$(endif)
<dt>Data up / down</dt><dd>$(bytes-in-nice) / $(bytes-out-nice)</dd>
</dl>
<p><a href="https://wifi.example.com/portal/kahawa/?step=online&amp;hotspot=${HOTSPOT_ID}&amp;username=$(username-esc)">Buy more time</a></p>
<p><a href="$(link-logout)?erase-cookie=true">Log out</a></p>
</body>
</html>
`

/**
 * What the router does before serving a page (digest §4.7): `$(if v)…$(endif)` kept when v is non-empty,
 * `$(v-esc)` URL-escaped, `$(v)` verbatim. Only what these pages use (no $(elif), no nesting).
 */
function expandLikeRouter(page: string, vars: Record<string, string>): string {
  return page
    .replace(/\$\(if ([a-z-]+)\)([\s\S]*?)\$\(endif\)/g, (_, name: string, body: string) => (vars[name] ? body : ''))
    .replace(/\$\(([a-z-]+?)-esc\)/g, (_, name: string) => encodeURIComponent(vars[name] ?? ''))
    .replace(/\$\(([a-z-]+)\)/g, (_, name: string) => vars[name] ?? '')
}

/** The URL a page's meta refresh sends the browser to, as the browser reads it. */
function refreshTarget(html: string): URL {
  const content = /<meta http-equiv="refresh" content="0; url=([^"]*)">/.exec(html)![1]!
  return new URL(content.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&'))
}

/** Every non-void element closed in order, nothing but entities after '&', one doctype, one html/head/body. */
function expectWellFormed(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true)
  const stack: string[] = []
  for (const [, close, name] of html.replace(/<script>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>/g, '').matchAll(/<(\/?)([a-zA-Z!][a-zA-Z0-9]*)[^>]*>/g)) {
    const tag = name!.toLowerCase()
    if (tag === '!doctype' || tag === 'meta') continue
    if (close) expect(stack.pop()).toBe(tag)
    else stack.push(tag)
  }
  expect(stack).toEqual([])
  expect(html.match(/&(?!amp;|#\d+;)/g)).toBeNull()
}

const ROUTER_VARS = {
  'link-login-only': 'http://10.5.50.1/login', 'link-orig': 'http://neverssl.com/?a=1&b=2', mac: 'AA:BB:CC:DD:EE:FF', ip: '10.5.50.254',
  'chap-id': '\\371', 'chap-challenge': '\\357\\015\\330\\042', error: 'invalid username or password', identity: 'Kahawa-HS1', username: '',
  'link-status': 'http://10.5.50.1/status', 'link-logout': 'http://10.5.50.1/logout', 'link-redirect': 'http://neverssl.com/',
  'session-time-left': '59m12s', 'bytes-in-nice': '1.2 MiB', 'bytes-out-nice': '23.4 MiB', 'refresh-timeout': '1m', 'refresh-timeout-secs': '60',
}

describe('renderHotspotFile', () => {
  it.each<[HotspotFileName, string]>([
    ['login.html', LOGIN_HTML], ['rlogin.html', LOGIN_HTML], ['alogin.html', ALOGIN_HTML], ['status.html', STATUS_HTML],
  ])('renders %s exactly', (file, expected) => {
    expect(renderHotspotFile(file, sample)).toBe(expected)
  })

  it('keeps every page tiny (under 1.5 kB) and well formed once the router fills its variables in', () => {
    for (const file of ['login.html', 'alogin.html', 'status.html'] as const) {
      const page = renderHotspotFile(file, sample)
      expect(page.length).toBeLessThan(1500)
      expectWellFormed(expandLikeRouter(page, ROUTER_VARS))
    }
  })

  it('sends the browser to the portal with each router variable, the CHAP pair only when the router offers it', () => {
    const withChap = refreshTarget(expandLikeRouter(renderHotspotFile('login.html', sample), ROUTER_VARS))
    expect(withChap.origin + withChap.pathname).toBe('https://wifi.example.com/portal/kahawa/')
    expect([...withChap.searchParams]).toEqual([
      ['link-login-only', 'http://10.5.50.1/login'], ['link-orig', 'http://neverssl.com/?a=1&b=2'], ['mac', 'AA:BB:CC:DD:EE:FF'], ['ip', '10.5.50.254'],
      ['chap-id', '\\371'], ['chap-challenge', '\\357\\015\\330\\042'], ['error', 'invalid username or password'], ['identity', 'Kahawa-HS1'],
      ['hotspot', HOTSPOT_ID], ['username', ''],
    ])
    const papOnly = refreshTarget(expandLikeRouter(renderHotspotFile('login.html', sample), { ...ROUTER_VARS, 'chap-id': '', 'chap-challenge': '' }))
    expect([...papOnly.searchParams.keys()]).toEqual(['link-login-only', 'link-orig', 'mac', 'ip', 'error', 'identity', 'hotspot', 'username'])
    const online = refreshTarget(expandLikeRouter(renderHotspotFile('alogin.html', sample), { ...ROUTER_VARS, username: '254712345678' }))
    expect(Object.fromEntries(online.searchParams)).toEqual({
      step: 'online', 'link-orig': 'http://neverssl.com/?a=1&b=2', hotspot: HOTSPOT_ID, username: '254712345678',
      'link-status': 'http://10.5.50.1/status', 'link-logout': 'http://10.5.50.1/logout',
    })
  })

  it('escapes the ISP name and subdomain, so neither can break the HTML nor be expanded by the router as $(…)', () => {
    const hostile = { ...sample, ispName: '<script>alert(1)</script> & "Co" $(link-login-only)', subdomain: 'a&b"$(x)', publicBaseUrl: 'https://wifi.example.com' }
    for (const file of ['login.html', 'alogin.html', 'status.html'] as const) {
      const page = renderHotspotFile(file, hostile)
      expect(page).not.toContain('<script>alert')
      expect(page).not.toContain('$(link-login-only)')
      expect(page).not.toContain('$(x)')
      expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Co&#34; &#36;(link-login-only)')
      expect(page).toContain('https://wifi.example.com/portal/a%26b%22%24(x)/?')
      expectWellFormed(expandLikeRouter(page, ROUTER_VARS))
    }
    expect(escapeHotspotHtml(`<a href="x">'$'</a>&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#36;&#39;&#60;/a&#62;&#38;')
  })
})
