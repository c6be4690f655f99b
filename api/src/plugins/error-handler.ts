/**
 * The one place errors become HTTP. Routes throw AppError; this maps its code to a status through one table,
 * answers `{ error, message, details? }`, and never sends a stack trace. 5xx answers carry a generic message,
 * the real error goes to the log with the request id (also returned in the X-Request-Id header).
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { AppError, isAppError, type AppErrorCode } from '@mnetifi/db/domain'

/** HTTP status per error code. Typed as a full Record so a new code cannot ship without a status. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<AppErrorCode, number>> = Object.freeze({
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_CREDENTIALS: 401,
  TENANT_BLOCKED: 403,
  INVALID_PHONE: 400,
  PROVIDER_REJECTED: 502,
  PROVIDER_UNAVAILABLE: 503,
  PAYMENT_IN_PROGRESS: 409,
  RECEIPT_ALREADY_USED: 409,
  RECEIPT_NOT_FOUND: 404,
  // The router is a dependency of the request: its failures are gateway errors, not the caller's.
  ROUTER_UNREACHABLE: 504,
  ROUTER_AUTH_FAILED: 502,
  ROUTER_COMMAND_REFUSED: 502,
  ROUTER_NOT_CONFIGURED: 409,
  ROUTEROS_V7_REQUIRED: 409,
})

/** Body of every error answer. */
export interface ErrorBody {
  error: AppErrorCode
  message: string
  details?: unknown
}

/** Postgres SQLSTATEs that are the caller's fault, not ours. */
function fromPostgres(err: { code?: unknown; constraint?: unknown; detail?: unknown }): AppError | undefined {
  switch (err.code) {
    case '23505': return new AppError('CONFLICT', 'That value is already taken', { details: { constraint: err.constraint } })
    case '23503': return new AppError('CONFLICT', 'The object is referenced by, or references, something that does not allow this change', { details: { constraint: err.constraint } })
    case '23514': return new AppError('VALIDATION_FAILED', 'A value breaks a rule', { details: { constraint: err.constraint } })
    case '22P02': case '22007': case '22008': case '22003':
      return new AppError('VALIDATION_FAILED', 'A value has the wrong format or range')
    default: return undefined
  }
}

/** Turns anything thrown into an AppError (unknown errors become INTERNAL, keeping the original as cause). */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  const e = err as FastifyError & { code?: string }
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = e.validationContext ?? 'body'
    const details = e.validation.map((issue) => ({
      path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'is invalid',
    }))
    return new AppError('VALIDATION_FAILED', 'The request is invalid', { details, cause: err })
  }
  const pg = fromPostgres(e as { code?: unknown })
  if (pg) return pg
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && !isResponseSerializationError(e as never)) {
    // Fastify's own 4xx (malformed JSON, wrong content type, body too large): the message is safe to show.
    if (e.statusCode === 429) return new AppError('RATE_LIMITED', e.message, { cause: err })
    if (e.statusCode === 404) return new AppError('NOT_FOUND', e.message, { cause: err })
    return new AppError('VALIDATION_FAILED', e.message, { cause: err })
  }
  return new AppError('INTERNAL', 'Something went wrong on our side', { cause: err })
}

function send(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const appError = toAppError(err)
  const status = HTTP_STATUS_BY_CODE[appError.code] ?? 500
  if (status >= 500) {
    request.log.error({ err: appError.cause ?? appError, code: appError.code }, 'request failed')
    const body: ErrorBody = { error: appError.code, message: appError.code === 'INTERNAL' ? 'Something went wrong on our side' : appError.message }
    return reply.code(status).send(body)
  }
  request.log.info({ code: appError.code, status }, appError.message)
  return reply.code(status).send(appError.toJSON())
}

/** Installs the error and not-found handlers, and echoes the request id. */
export const errorHandlerPlugin = fp(async (app) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.setErrorHandler((err, request, reply) => send(request, reply, err))
  app.setNotFoundHandler((request, reply) => send(request, reply, new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)))
}, { name: 'mnetifi-error-handler', fastify: '5.x' })
