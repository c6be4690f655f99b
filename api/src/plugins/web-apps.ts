/**
 * Serves the built React apps: the captive portal at /portal/<subdomain>/ (one build for every ISP: the app
 * reads the subdomain from its path) and the admin dashboard at /admin/ (a single-page app: every path under
 * it answers index.html and the app's router draws the page). Assets have content-hashed names, so they are
 * cached for a year; index.html is never cached, so a new release reaches phones at once. Brotli/gzip copies
 * written at build time are sent to browsers that accept them (no compression per request). `GET /` opens the
 * dashboard.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'

/** Options of {@link webAppsPlugin}. */
export interface WebAppsOptions {
  /** The portal's build output (portal/dist); missing → the portal routes answer 503 saying how to build it. */
  readonly portalDir: string
  /** The dashboard's build output (admin/dist); missing → /admin/ answers 503 saying how to build it. */
  readonly adminDir: string
}

const SUBDOMAIN = '[a-z0-9][a-z0-9-]{0,62}'

/** Registers `/<prefix>/assets/*` from `dir` (when built) and returns the handler that sends its index.html. */
async function serveApp(app: FastifyInstance, dir: string, prefix: string, buildHint: string) {
  const hasApp = existsSync(join(dir, 'index.html'))
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: join(dir, 'assets'), prefix: `/${prefix}/assets/`, decorateReply: false, preCompressed: true, immutable: true,
      maxAge: '365d', index: false, wildcard: true,
    })
  }
  return async (_request: unknown, reply: FastifyReply) => {
    if (!hasApp) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`Not built yet. Run: ${buildHint} (npm start does it for you).`)
    }
    reply.header('cache-control', 'no-cache')
    return reply.sendFile('index.html', dir, { cacheControl: false })
  }
}

export const webAppsPlugin = fp<WebAppsOptions>(async (app, opts) => {
  // One decorated reply.sendFile for both apps (each call names its own root).
  await app.register(fastifyStatic, { root: opts.portalDir, serve: false, decorateReply: true })
  const sendPortal = await serveApp(app, opts.portalDir, 'portal', 'npm run build -w @mnetifi/portal')
  const sendAdmin = await serveApp(app, opts.adminDir, 'admin', 'npm run build -w @mnetifi/admin')

  app.get(`/portal/:subdomain(^${SUBDOMAIN}$)`, { schema: { hide: true } }, async (request, reply) => {
    // Relative asset and API URLs need the trailing slash.
    const { subdomain } = request.params as { subdomain: string }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.redirect(`/portal/${subdomain}/${query}`, 301)
  })
  app.get(`/portal/:subdomain(^${SUBDOMAIN}$)/*`, { schema: { hide: true } }, sendPortal)

  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 301))
  app.get('/admin/', { schema: { hide: true } }, sendAdmin)
  app.get('/admin/*', { schema: { hide: true } }, sendAdmin)

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 302))
}, { name: 'mnetifi-web-apps', fastify: '5.x' })
