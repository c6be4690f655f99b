/**
 * /api/portal/:subdomain/login-codes — public: a returning customer on a new device asks for a one-time code by
 * SMS (or the channel they chose) and signs the device in with it (notifications/otp.service.ts). The portal's
 * returning-customer screen calls these: POST …/login-codes {phone} then POST …/login-codes/verify
 * {phone, code, mac?}, and submits the answered login to the router like a purchase's.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findTenantBySubdomain } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import type { NotificationsConfig } from '../../notifications/config.js'
import { otpHmacKey, requestLoginCode, verifyLoginCode, type OtpContext } from '../../notifications/otp.service.js'
import { ErrorBodySchema } from '../common.schemas.js'

const ParamsSchema = z.object({ subdomain: z.string().min(1).max(63) })
const RequestBodySchema = z.object({
  phone: z.string().min(9).max(20).describe('07XXXXXXXX, 01XXXXXXXX, +2547…'),
  language: z.enum(['en', 'sw']).optional().describe('the portal\'s language; default: the customer\'s remembered one'),
}).strict()
const VerifyBodySchema = z.object({
  phone: z.string().min(9).max(20),
  code: z.string().regex(/^\d{6}$/, 'six digits'),
  mac: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/).optional().describe('the device MAC from the MikroTik login page'),
}).strict()
const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 429: ErrorBodySchema, 500: ErrorBodySchema }

/** Options: the notification settings and the server secret the code HMAC key is derived from. */
export interface LoginCodeRoutesOptions {
  readonly config: NotificationsConfig
  readonly serverSecret: string
}

/** Registers the routes (mount at `/api/portal`). */
export const loginCodeRoutes: FastifyPluginAsyncZod<LoginCodeRoutesOptions> = async (app, opts) => {
  const tags = ['portal']
  const ctx: OtpContext = { db: app.db, config: opts.config, hmacKey: otpHmacKey(opts.serverSecret) }
  const tenantOf = async (subdomain: string) => {
    const tenant = await findTenantBySubdomain(app.db, subdomain)
    if (!tenant) throw new AppError('NOT_FOUND', 'Unknown ISP')
    return tenant
  }

  app.post('/:subdomain/login-codes', {
    schema: {
      tags, summary: 'Send a one-time login code to a returning customer\'s phone (same answer whether or not the number has an account)', security: [],
      params: ParamsSchema, body: RequestBodySchema,
      response: { 202: z.object({ message: z.string(), expiresInSeconds: z.number().int() }), ...ERRORS },
    },
  }, async (request, reply) => {
    const r = await requestLoginCode(ctx, await tenantOf(request.params.subdomain), { phone: request.body.phone, ip: request.ip, ...(request.body.language ? { language: request.body.language } : {}) })
    return reply.code(202).send({ message: 'If this number has an account, a code is on its way.', expiresInSeconds: r.expiresInSeconds })
  })

  app.post('/:subdomain/login-codes/verify', {
    schema: {
      tags, summary: 'Sign a new device in with a one-time code: the hotspot login while a plan runs', security: [],
      params: ParamsSchema, body: VerifyBodySchema,
      response: { 200: z.object({ login: z.object({ username: z.string(), password: z.string() }).nullable(), expiresAt: z.string().nullable(), message: z.string() }), ...ERRORS },
    },
  }, async (request) => {
    const r = await verifyLoginCode(ctx, await tenantOf(request.params.subdomain), request.body)
    return { ...r, message: r.login ? 'Your plan is active.' : 'You have no running plan. Buy one to get online.' }
  })
}
