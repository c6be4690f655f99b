/**
 * Static IP pools: owners define CIDR ranges (per tenant or hotspot); staff allocate the next free or a
 * chosen address to a STATIC/PPPoE user and release it. Conflicts (address taken, user already holding
 * one, overlapping pools) answer 409, an exhausted pool too. The mirror trigger turns an assignment into
 * Framed-IP-Address; PPPoE users without one use their Framed-Pool instead.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sql } from 'kysely'
import {
  createIpAssignment, createIpPool, deleteIpAssignment, deleteIpPool, findIpAssignmentByIp, findIpAssignmentByUser,
  findIpPoolWithUsage, findNextFreeIp, findOverlappingIpPool, isUsableIpInPool, listIpAssignments, listIpPoolsWithUsage, lockIpPoolById,
  type Executor,
} from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { audit } from '../../lib/audit.js'
import { ERROR_RESPONSES, IdParamsSchema } from '../common.schemas.js'
import { assertHotspot, getUser } from '../users/users.service.js'
import {
  AssignBodySchema, AssignmentParamsSchema, AssignmentSchema, CreatePoolBodySchema, ListPoolsQuerySchema, PoolSchema, toAssignment, toPool, UtilisationSchema,
} from './ip-pools.schemas.js'

/** /api/ip-pools */
export const ipPoolRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['ip-pools']
  const owner = requireRole(OWNER_ROLES)
  const staff = requireRole(STAFF_ROLES)

  app.get('/', {
    schema: { tags, summary: 'Pools with utilisation (the utilisation report)', querystring: ListPoolsQuerySchema, response: { 200: UtilisationSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const pools = (await listIpPoolsWithUsage(trx, tenantId, request.query)).map(toPool)
    const size = pools.reduce((s, p) => s + p.size, 0)
    const used = pools.reduce((s, p) => s + p.used, 0)
    return { pools, totals: { size, used, free: size - used, utilisation: size === 0 ? 0 : Math.round((used / size) * 10_000) / 10_000 } }
  }))

  app.post('/', {
    schema: { tags, summary: 'Create a pool from a CIDR range', body: CreatePoolBodySchema, response: { 201: PoolSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request, reply) => {
    const b = request.body
    const pool = await request.withTenant(async (trx, tenantId) => {
      if (b.hotspotId) await assertHotspot(trx, tenantId, b.hotspotId, 'body.hotspotId')
      // Postgres's cidr type refuses host bits (10.0.0.5/24), so normalise to the network first.
      const [addr, len] = b.cidr.split('/') as [string, string]
      const cidr = await networkOf(trx, addr, len)
      const overlap = await findOverlappingIpPool(trx, tenantId, cidr)
      if (overlap) throw new AppError('CONFLICT', `The range overlaps pool "${overlap.name}" (${overlap.cidr})`)
      const created = await createIpPool(trx, { tenant_id: tenantId, name: b.name, cidr, gateway: b.gateway ?? null, hotspot_id: b.hotspotId ?? null })
      await audit(trx, request, { action: 'ip-pool.created', entityType: 'ip_pool', entityId: created.id, after: created })
      return (await findIpPoolWithUsage(trx, tenantId, created.id))!
    })
    return reply.code(201).send(toPool(pool))
  })

  app.get('/:id', {
    schema: { tags, summary: 'Show a pool with utilisation', params: IdParamsSchema, response: { 200: PoolSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const pool = await findIpPoolWithUsage(trx, tenantId, request.params.id)
    if (!pool) throw new AppError('NOT_FOUND', 'Pool not found')
    return toPool(pool)
  }))

  app.delete('/:id', {
    schema: { tags, summary: 'Delete an empty pool', params: IdParamsSchema, response: { 200: PoolSchema, ...ERROR_RESPONSES } },
    preHandler: owner,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const pool = await findIpPoolWithUsage(trx, tenantId, request.params.id)
    if (!pool) throw new AppError('NOT_FOUND', 'Pool not found')
    if (pool.used > 0) throw new AppError('CONFLICT', `The pool still has ${pool.used} assigned address(es); release them first`)
    await deleteIpPool(trx, tenantId, pool.id)
    await audit(trx, request, { action: 'ip-pool.deleted', entityType: 'ip_pool', entityId: pool.id, before: pool })
    return toPool(pool)
  }))

  app.get('/:id/assignments', {
    schema: { tags, summary: 'Addresses assigned from a pool', params: IdParamsSchema, response: { 200: z.object({ items: z.array(AssignmentSchema) }), ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    if (!(await findIpPoolWithUsage(trx, tenantId, request.params.id))) throw new AppError('NOT_FOUND', 'Pool not found')
    return { items: (await listIpAssignments(trx, tenantId, request.params.id)).map(toAssignment) }
  }))

  app.post('/:id/assignments', {
    schema: { tags, summary: 'Assign the next free address (or a chosen one) to a user', params: IdParamsSchema, body: AssignBodySchema, response: { 201: AssignmentSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request, reply) => {
    const row = await request.withTenant(async (trx, tenantId) => {
      const pool = await lockIpPoolById(trx, tenantId, request.params.id)
      if (!pool) throw new AppError('NOT_FOUND', 'Pool not found')
      const user = await getUser(trx, tenantId, request.body.userId)
      if (user.account_type === 'HOTSPOT') throw new AppError('VALIDATION_FAILED', 'Hotspot users get addresses from the router', { details: [{ path: 'body.userId', message: 'must be a STATIC or PPPOE user' }] })
      const held = await findIpAssignmentByUser(trx, tenantId, user.id)
      if (held) throw new AppError('CONFLICT', `The user already holds ${held.ip_address}; release it first`)
      let ip = request.body.ipAddress
      if (ip) {
        if (!(await isUsableIpInPool(trx, tenantId, pool.id, ip))) throw new AppError('VALIDATION_FAILED', `${ip} is not a usable address of ${pool.cidr}`, { details: [{ path: 'body.ipAddress', message: 'outside the pool, or its network, broadcast or gateway address' }] })
        const taken = await findIpAssignmentByIp(trx, tenantId, pool.id, ip)
        if (taken) throw new AppError('CONFLICT', `${ip} is already assigned to another user`)
      } else {
        ip = await findNextFreeIp(trx, tenantId, pool.id)
        if (!ip) throw new AppError('CONFLICT', `Pool ${pool.name} is exhausted`)
      }
      const created = await createIpAssignment(trx, { tenant_id: tenantId, pool_id: pool.id, user_id: user.id, ip_address: ip })
      await audit(trx, request, { action: 'ip.assigned', entityType: 'wifi_user', entityId: user.id, before: null, after: { poolId: pool.id, ip } })
      return { ...created, username: user.username }
    })
    return reply.code(201).send(toAssignment(row))
  })

  app.delete('/:id/assignments/:userId', {
    schema: { tags, summary: "Release a user's address", params: AssignmentParamsSchema, response: { 200: AssignmentSchema, ...ERROR_RESPONSES } },
    preHandler: staff,
  }, async (request) => request.withTenant(async (trx, tenantId) => {
    const gone = await deleteIpAssignment(trx, tenantId, request.params.id, request.params.userId)
    if (!gone) throw new AppError('NOT_FOUND', 'No such assignment')
    await audit(trx, request, { action: 'ip.released', entityType: 'wifi_user', entityId: gone.user_id, before: { poolId: gone.pool_id, ip: gone.ip_address }, after: null })
    return toAssignment(gone)
  }))
}

/** 10.0.0.5/24 → 10.0.0.0/24. */
async function networkOf(trx: Executor, addr: string, len: string): Promise<string> {
  const r = await sql<{ n: string }>`SELECT network(${`${addr}/${len}`}::inet)::text AS n`.execute(trx)
  return r.rows[0]!.n
}
