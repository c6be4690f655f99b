/** The audit log: who changed what, with before/after snapshots. Rows are only ever inserted. */
import type { Executor } from '../executor.js'
import type { AuditLogRow, NewAuditLog } from './audit-log.table.js'

/** Appends an audit entry; write it in the same database transaction as the change it records. */
export async function createAuditLogEntry(db: Executor, entry: NewAuditLog): Promise<AuditLogRow> {
  return db.insertInto('audit_log').values({
    ...entry,
    before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
  }).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's audit entries about one entity, oldest first. */
export async function listAuditLogForEntity(db: Executor, tenantId: string, entityType: string, entityId: string): Promise<AuditLogRow[]> {
  return db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId)
    .where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute()
}

/** A page of a tenant's audit entries, newest first, optionally for one entity type and/or id. */
export async function listAuditLog(
  db: Executor, tenantId: string, options: { entityType?: string; entityId?: string; limit: number; offset: number },
): Promise<AuditLogRow[]> {
  let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId)
  if (options.entityType) q = q.where('entity_type', '=', options.entityType)
  if (options.entityId) q = q.where('entity_id', '=', options.entityId)
  return q.orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute()
}
