/**
 * Infrastructure handed in by the entry point: the Kysely pool, the secret box, optional Redis and the CoA
 * client. The entry point created them, so it (not app.close()) ends them; the API only borrows them.
 */
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Redis } from 'ioredis'
import type { Database, SecretBox } from '@mnetifi/db'
import type { SessionControl } from '../lib/session-control.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Privileged pool: bypasses RLS. Use only for cross-tenant work (login, platform); tenant data goes through request.withTenant. */
    db: Kysely<Database>
    secretBox: SecretBox
    redis: Redis | null
    /** RFC 5176 client; null until one is configured (actions then report path 'unavailable'). */
    sessionControl: SessionControl | null
  }
}

/** Options of {@link dbPlugin}. */
export interface DbPluginOptions {
  readonly db: Kysely<Database>
  readonly secretBox: SecretBox
  readonly redis?: Redis | null
  readonly sessionControl?: SessionControl | null
}

/** Decorates the instance with the borrowed infrastructure. */
export const dbPlugin = fp<DbPluginOptions>(async (app, opts) => {
  app.decorate('db', opts.db)
  app.decorate('secretBox', opts.secretBox)
  app.decorate('redis', opts.redis ?? null)
  app.decorate('sessionControl', opts.sessionControl ?? null)
}, { name: 'mnetifi-db', fastify: '5.x' })
