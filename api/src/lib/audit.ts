/**
 * Audit entries for admin actions: who (admin id), when (now), what (action + entity), before/after, and the
 * request id and client address that tie the entry to the request log.
 */
import type { FastifyRequest } from 'fastify'
import { createAuditLogEntry, type Executor } from '@mnetifi/db'

/** What changed. `before`/`after` are JSON snapshots (secrets removed by the caller). */
export interface AuditChange {
  readonly action: string
  readonly entityType: string
  readonly entityId: string | null
  readonly before?: unknown
  readonly after?: unknown
  /** The tenant the entry belongs to when it is not the request's (platform operators acting on a tenant). */
  readonly tenantId?: string | null
}

/** Writes an audit entry in the same transaction as the change, so one never exists without the other. */
export async function audit(db: Executor, request: FastifyRequest, change: AuditChange): Promise<void> {
  await createAuditLogEntry(db, {
    tenant_id: change.tenantId !== undefined ? change.tenantId : (request.tenantId ?? request.admin?.tenantId ?? null),
    actor_id: request.admin?.id ?? null,
    actor_type: request.admin ? 'ADMIN' : 'SYSTEM',
    action: change.action,
    entity_type: change.entityType,
    entity_id: change.entityId,
    before: change.before ?? null,
    after: change.after ?? null,
    request_id: request.id,
    ip: request.ip,
  })
}
