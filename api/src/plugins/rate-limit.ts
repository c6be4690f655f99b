/**
 * @fastify/rate-limit, off by default (global: false) and switched on per route with `config.rateLimit`
 * (login). Counters live in Redis when the API has one, so every replica shares them.
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { AppError } from '@mnetifi/db/domain'

/** Options of {@link rateLimitPlugin}. */
export interface RateLimitPluginOptions {
  /** Prefix of the Redis keys. */
  readonly keyPrefix: string
}

/** Registers the limiter; exceeded limits throw AppError RATE_LIMITED (429) through the error handler. */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(async (app, opts) => {
  await app.register(rateLimit, {
    global: false,
    // After body parsing, so login can key on the e-mail as well as the address.
    hook: 'preHandler',
    ...(app.redis ? { redis: app.redis, nameSpace: `${opts.keyPrefix}rate-limit:` } : {}),
    // Redis trouble must not lock every admin out: fail open, the password check still stands.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts; try again in ${context.after}`, {
        details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  })
}, { name: 'mnetifi-rate-limit', dependencies: ['mnetifi-db'], fastify: '5.x' })
