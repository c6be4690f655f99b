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
