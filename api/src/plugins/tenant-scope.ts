/**
 * `request.withTenant(work)`: the tenant-scoped database accessor every tenant route uses. The tenant comes
 * from the signed-in admin (or, for a platform operator, the X-Tenant-Id header), set by requireRole.
 */
import fp from 'fastify-plugin'
import type { Transaction } from 'kysely'
import type { Database } from '@mnetifi/db'
import { AppError } from '@mnetifi/db/domain'
import { withTenantScope } from '../lib/tenant-scope.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Runs `work` in an RLS-scoped transaction for the request's tenant; 400 when there is none. */
    withTenant<T>(work: (trx: Transaction<Database>, tenantId: string) => Promise<T>): Promise<T>
  }
}

/** Adds request.withTenant. */
export const tenantScopePlugin = fp(async (app) => {
  app.decorateRequest('withTenant', function withTenant<T>(
    this: import('fastify').FastifyRequest, work: (trx: Transaction<Database>, tenantId: string) => Promise<T>,
  ): Promise<T> {
    const tenantId = this.tenantId
    if (!tenantId) {
      // Only platform operators get here (every other admin has a tenant): they must say which tenant.
      throw new AppError('VALIDATION_FAILED', 'Choose a tenant with the X-Tenant-Id header', {
        details: [{ path: 'headers.x-tenant-id', message: 'required for platform operators on tenant routes' }],
      })
    }
    return withTenantScope(app.db, tenantId, (trx) => work(trx, tenantId))
  })
}, { name: 'mnetifi-tenant-scope', dependencies: ['mnetifi-db', 'mnetifi-auth'], fastify: '5.x' })
