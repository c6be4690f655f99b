import type { Executor } from '../executor.js'
import type { NewPlan, PlanRow, PlanUpdate } from './plans.table.js'

/** Creates a plan; the mirror trigger writes its radgroupreply/radgroupcheck rows. */
export async function createPlan(db: Executor, plan: NewPlan): Promise<PlanRow> {
  return db.insertInto('plans').values(plan).returningAll().executeTakeFirstOrThrow()
}

/** A tenant's plan by id, or undefined. */
export async function findPlanById(db: Executor, tenantId: string, planId: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId).where('id', '=', planId).executeTakeFirst()
}

/** A tenant's plans, cheapest first; archived ones only when asked. */
export async function listPlans(db: Executor, tenantId: string, options: { includeArchived?: boolean } = {}): Promise<PlanRow[]> {
  let q = db.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId)
  if (!options.includeArchived) q = q.where('archived_at', 'is', null)
  return q.orderBy('price').orderBy('name').execute()
}

/** Updates a tenant's plan; undefined when it is not the tenant's. */
export async function updatePlan(db: Executor, tenantId: string, planId: string, changes: PlanUpdate): Promise<PlanRow | undefined> {
  return db.updateTable('plans').set(changes).where('tenant_id', '=', tenantId).where('id', '=', planId).returningAll().executeTakeFirst()
}
