/**
 * Serves the built React apps: the captive portal at /portal/<subdomain>/ (one build for every ISP: the app
 * reads the subdomain from its path) with its files under /portal/assets/. Assets have content-hashed names,
 * so they are cached for a year; index.html is never cached, so a new release reaches phones at once.
 * Brotli/gzip copies written at build time are sent to browsers that accept them (no compression per request).
 * `GET /` leads somewhere useful instead of a 404.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'

/** Options of {@link webAppsPlugin}. */
export interface WebAppsOptions {
  /** The portal's build output (portal/dist); missing → the portal routes answer 503 saying how to build it. */
  readonly portalDir: string
}

const SUBDOMAIN = '[a-z0-9][a-z0-9-]{0,62}'

export const webAppsPlugin = fp<WebAppsOptions>(async (app, opts) => {
  const portalIndex = join(opts.portalDir, 'index.html')
  const hasPortal = existsSync(portalIndex)
  if (hasPortal) {
    await app.register(fastifyStatic, {
      root: join(opts.portalDir, 'assets'),
      prefix: '/portal/assets/',
      decorateReply: true,
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      index: false,
      wildcard: true,
    })
  }

  const sendPortal = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!hasPortal) {
      return reply.code(503).type('text/plain; charset=utf-8')
        .send('The captive portal is not built. Run: npm run build -w @mnetifi/portal (npm start does it for you).')
    }
    reply.header('cache-control', 'no-cache')
    return reply.sendFile('index.html', opts.portalDir)
  }
  app.get(`/portal/:subdomain(^${SUBDOMAIN}$)`, { schema: { hide: true } }, async (request, reply) => {
    // Relative asset and API URLs need the trailing slash.
    const { subdomain } = request.params as { subdomain: string }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.redirect(`/portal/${subdomain}/${query}`, 301)
  })
  app.get(`/portal/:subdomain(^${SUBDOMAIN}$)/*`, { schema: { hide: true } }, sendPortal)

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8')
    return LANDING
  })
}, { name: 'mnetifi-web-apps', fastify: '5.x' })

const LANDING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>MnetiFi</title><style>body{margin:0;min-height:100vh;font:16px/1.5 system-ui,sans-serif;color:#fff;background:#0f172a radial-gradient(at 10% 10%,#7c3aed55,transparent 50%);display:grid;place-items:center}
main{max-width:28rem;padding:2rem}a{color:#67e8f9}li{margin:.4rem 0}</style></head><body><main><h1>MnetiFi</h1>
<p>Wi-Fi billing for ISPs with MikroTik routers.</p><ul>
<li><a href="/portal/demo/">Captive portal of the demo ISP</a> (<code>/portal/&lt;subdomain&gt;/</code>)</li>
<li><a href="/api/docs">API reference</a></li></ul></main></body></html>`
