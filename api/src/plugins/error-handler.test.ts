import { describe, expect, it } from 'vitest'
import { AppError } from '@mnetifi/db/domain'
import { HTTP_STATUS_BY_CODE, toAppError } from './error-handler.js'

describe('toAppError', () => {
  it.each([
    [{ code: '23505', constraint: 'hotspots_nas_ip_key' }, 'CONFLICT', 409],
    [{ code: '23503' }, 'CONFLICT', 409],
    [{ code: '23514' }, 'VALIDATION_FAILED', 400],
    [{ code: '22P02' }, 'VALIDATION_FAILED', 400],
  ])('maps Postgres %j to %s (%i)', (pgError, code, status) => {
    const err = toAppError(Object.assign(new Error('db said no'), pgError))
    expect(err.code).toBe(code)
    expect(HTTP_STATUS_BY_CODE[err.code]).toBe(status)
  })

  it('keeps AppErrors as they are and wraps anything else as INTERNAL with the cause kept for the log', () => {
    const own = new AppError('NOT_FOUND', 'Plan not found')
    expect(toAppError(own)).toBe(own)
    const boom = new TypeError('cannot read x of undefined')
    const wrapped = toAppError(boom)
    expect(wrapped).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong on our side' })
    expect(wrapped.cause).toBe(boom)
    expect(JSON.stringify(wrapped.toJSON())).not.toContain('undefined')
  })

  it('turns Fastify 4xx errors into safe codes', () => {
    expect(toAppError(Object.assign(new Error('Body is too large'), { statusCode: 413 })).code).toBe('VALIDATION_FAILED')
    expect(toAppError(Object.assign(new Error('slow down'), { statusCode: 429 })).code).toBe('RATE_LIMITED')
  })
})
