/**
 * Small factories for tests: each returns the inserted row and takes overrides. Values are realistic but
 * deterministic where a test may assert them.
 */
import { randomBytes } from 'node:crypto'
import type { Executor } from '../executor.js'
import { createTenant } from '../tenants/tenants.queries.js'
import { createHotspot } from '../network/hotspots.queries.js'
import { createPlan } from '../subscribers/plans.queries.js'
import { createWifiUser } from '../subscribers/wifi-users.queries.js'
import type { NewTenant, TenantRow } from '../tenants/tenants.table.js'
import type { HotspotRow, NewHotspot } from '../network/hotspots.table.js'
import type { NewPlan, PlanRow } from '../subscribers/plans.table.js'
import type { NewWifiUser, WifiUserRow } from '../subscribers/wifi-users.table.js'

const suffix = () => randomBytes(3).toString('hex')

export async function insertTestTenant(db: Executor, overrides: Partial<NewTenant> = {}): Promise<TenantRow> {
  return createTenant(db, { name: 'Test ISP', subdomain: `isp-${suffix()}`, ...overrides })
}

export async function insertTestHotspot(db: Executor, tenantId: string, overrides: Partial<NewHotspot> = {}): Promise<HotspotRow> {
  return createHotspot(db, {
    tenant_id: tenantId, location_name: 'Test Hotspot', nas_ip: '127.0.0.1', radius_secret: 'testing123', ...overrides,
  })
}

export async function insertTestPlan(db: Executor, tenantId: string, overrides: Partial<NewPlan> = {}): Promise<PlanRow> {
  return createPlan(db, {
    tenant_id: tenantId, name: '1 Hour 5 Mbps', price: 2000, duration_seconds: 3600,
    upload_limit: 2_000_000, download_limit: 5_000_000, account_types: ['HOTSPOT'], ...overrides,
  })
}

export async function insertTestUser(db: Executor, tenantId: string, overrides: Partial<NewWifiUser> = {}): Promise<WifiUserRow> {
  return createWifiUser(db, {
    tenant_id: tenantId, account_type: 'HOTSPOT', username: `u${suffix()}`, password: 'secret-pw', ...overrides,
  })
}
