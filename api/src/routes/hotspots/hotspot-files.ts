/**
 * The pages an ISP copies into the router's hotspot directory (`/ip hotspot profile set html-directory=…`) so
 * that MikroTik's own login flow hands the customer to MnetiFi's captive portal (protocol digest §4.7,
 * "External (remote) login page"). Pure rendering: no I/O.
 *
 * - login.html (and rlogin.html, the same page): sends the browser to `<PUBLIC_BASE_URL>/portal/<subdomain>/`
 *   with the router's variables in the query string — `-esc` (URL-escaped) variants, which MikroTik expands
 *   before serving the page. chap-id/chap-challenge arrive as the literal octal text `\371…`; the portal
 *   unescapes them. Works without JavaScript: a meta refresh, plus a "Continue to Wi-Fi login" link.
 * - alogin.html: shown by the router after a successful login; sends the browser to the portal's online page.
 * - status.html: the router's own status page (who, time left, data used, log out).
 *
 * Tenant-provided text (the ISP's name) is HTML-escaped, and `$` becomes `&#36;` so that a name containing
 * `$(…)` is not expanded by the router as one of its variables.
 */

/** The files the route serves. */
export const HOTSPOT_FILE_NAMES = ['login.html', 'rlogin.html', 'alogin.html', 'status.html'] as const
export type HotspotFileName = (typeof HOTSPOT_FILE_NAMES)[number]

/** What the pages bake in. */
export interface HotspotPagesInput {
  /** The API's PUBLIC_BASE_URL, e.g. `https://wifi.example.com` (a trailing slash is ignored). */
  readonly publicBaseUrl: string
  /** The tenant's subdomain: the portal lives at `/portal/<subdomain>/`. */
  readonly subdomain: string
  /** Shown in the page title and on the status page (branding name or tenant name). */
  readonly ispName: string
  /** The hotspot's id, passed to the portal as `hotspot=` (purchases remember where they were made). */
  readonly hotspotId: string
}

/** Escapes text for HTML content and double-quoted attributes, and `$` so MikroTik does not expand it. */
export function escapeHotspotHtml(text: string): string {
  return text.replace(/[&<>"'$]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** `<base>/portal/<subdomain>/`, the portal app's URL. */
export function portalUrlOf(input: Pick<HotspotPagesInput, 'publicBaseUrl' | 'subdomain'>): string {
  return `${input.publicBaseUrl.replace(/\/+$/, '')}/portal/${encodeURIComponent(input.subdomain)}/`
}

/**
 * The portal URL with a query string, HTML-escaped for an attribute: `params` are MikroTik template text
 * (`name=$(var-esc)`, `$(if …)` groups) or values this module encoded, joined with `&amp;`.
 */
function portalHref(input: HotspotPagesInput, params: readonly string[]): string {
  return `${escapeHotspotHtml(portalUrlOf(input))}?${params.join('&amp;')}`
}

/** A tiny page that sends the browser to `href` at once: meta refresh (no script needed), script, and a link. */
function redirectPage(title: string, href: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<meta http-equiv="refresh" content="0; url=${href}">
<title>${escapeHotspotHtml(title)}</title>
</head>
<body>
<p>${body}</p>
<script>location.replace(document.getElementById("go").href)</script>
</body>
</html>
`
}

function loginPage(input: HotspotPagesInput): string {
  const href = portalHref(input, [
    'link-login-only=$(link-login-only-esc)', 'link-orig=$(link-orig-esc)', 'mac=$(mac-esc)',
    // The CHAP pair only when the router offers http-chap (else both are empty and the portal uses http-pap).
    'ip=$(ip-esc)$(if chap-id)&amp;chap-id=$(chap-id-esc)&amp;chap-challenge=$(chap-challenge-esc)$(endif)',
    'error=$(error-esc)', 'identity=$(identity-esc)', `hotspot=${encodeURIComponent(input.hotspotId)}`, 'username=$(username-esc)',
  ])
  return redirectPage(`${input.ispName} Wi-Fi`, href, `<a id="go" href="${href}">Continue to Wi-Fi login</a>`)
}

function afterLoginPage(input: HotspotPagesInput): string {
  const href = portalHref(input, [
    'step=online', 'link-orig=$(link-orig-esc)', `hotspot=${encodeURIComponent(input.hotspotId)}`, 'username=$(username-esc)',
    'link-status=$(link-status-esc)', 'link-logout=$(link-logout-esc)',
  ])
  // $(link-redirect) is the router's own "where you were going" URL, used raw as MikroTik's stock alogin.html does.
  return redirectPage(`${input.ispName} Wi-Fi: connected`, href,
    `You are connected. <a id="go" href="${href}">Continue</a> or <a href="$(link-redirect)">go to the page you asked for</a>.`)
}

function statusPage(input: HotspotPagesInput): string {
  const name = escapeHotspotHtml(input.ispName)
  const more = portalHref(input, ['step=online', `hotspot=${encodeURIComponent(input.hotspotId)}`, 'username=$(username-esc)'])
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
$(if refresh-timeout)<meta http-equiv="refresh" content="$(refresh-timeout-secs)">$(endif)
<title>${name} Wi-Fi: status</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem}dt{font-weight:bold}</style>
</head>
<body>
<h1>${name}</h1>
<p>Signed in as $(username)</p>
<dl>
$(if session-time-left)<dt>Time left</dt><dd>$(session-time-left)</dd>$(endif)
<dt>Data up / down</dt><dd>$(bytes-in-nice) / $(bytes-out-nice)</dd>
</dl>
<p><a href="${more}">Buy more time</a></p>
<p><a href="$(link-logout)?erase-cookie=true">Log out</a></p>
</body>
</html>
`
}

/** Renders one hotspot page for the router's html-directory. */
export function renderHotspotFile(file: HotspotFileName, input: HotspotPagesInput): string {
  switch (file) {
    case 'login.html': case 'rlogin.html': return loginPage(input)
    case 'alogin.html': return afterLoginPage(input)
    case 'status.html': return statusPage(input)
  }
}
