/**
 * Liveness and readiness for load balancers and container healthchecks:
 * - GET /api/health: the process answers (restart it when this fails);
 * - GET /api/ready: it can do its work — Postgres answers, and Redis when the API uses it (send it traffic only
 *   when this is 200). Both are public, cheap, and say nothing about tenants.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { z } from 'zod'

const Check = z.enum(['ok', 'failed', 'not-used'])
const ReadySchema = z.object({ status: z.enum(['ready', 'not-ready']), postgres: Check, redis: Check })
const TIMEOUT_MS = 2000

/** Resolves true when `probe` succeeds within the timeout. */
async function passes(probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS)))])
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/** /api/health and /api/ready */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', {
    schema: { tags: ['health'], summary: 'Liveness: the API process answers', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }))

  app.get('/ready', {
    schema: { tags: ['health'], summary: 'Readiness: Postgres (and Redis when used) answer', security: [], response: { 200: ReadySchema, 503: ReadySchema } },
  }, async (_request, reply) => {
    const postgres = (await passes(() => sql`SELECT 1`.execute(app.db))) ? 'ok' as const : 'failed' as const
    const redis = !app.redis ? 'not-used' as const : (await passes(() => app.redis!.ping())) ? 'ok' as const : 'failed' as const
    const ready = postgres === 'ok' && redis !== 'failed'
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', postgres, redis })
  })
}
