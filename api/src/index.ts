/**
 * @mnetifi/api — the Fastify control plane. The CLI uses startApi/loadConfig; the payments code and tests
 * reuse the auth helpers and the tenant-scoped database accessor exported here.
 */
export { buildApp, type AppDeps } from './app.js'
export { startApi, type RunningApi } from './server.js'
export { ConfigSchema, loadConfig, isCookieSecure, type Config } from './config.js'
export {
  requireRole, OWNER_ROLES, STAFF_ROLES, PLATFORM_ROLES, SESSION_COOKIE, TENANT_HEADER, type AuthenticatedAdmin,
} from './plugins/auth.js'
export { withTenantScope, TENANT_ROLE } from './lib/tenant-scope.js'
export { audit, type AuditChange } from './lib/audit.js'
export { HTTP_STATUS_BY_CODE, toAppError } from './plugins/error-handler.js'
export type { SessionControl, NasTarget, CoaAttributes, CoaOutcome, LiveSessionEffect } from './lib/session-control.js'
export { createRadiusSessionControl, type RadiusSessionControl } from './lib/radius-session-control.js'
// Vouchers: the portal may let customers redeem a code with the same exactly-once service.
export { redeemVoucher, type RedeemTarget, type Redemption } from './routes/vouchers/vouchers.service.js'
export { generateVoucherCode, normaliseVoucherCode, VOUCHER_ALPHABET } from './routes/vouchers/voucher-codes.js'
// Payments (issue 4): the jobs worker, the Daraja simulator and their settings, for the CLI.
export { startWorker, type WorkerConfig, type WorkerDeps, type RunningWorker } from './jobs/worker.js'
export { serveWorkerHealth, JOB_STATES, type WorkerHealth, type WorkerReadiness, type JobsRunner } from './jobs/health.js'
export { WorkerConfigSchema, type WorkerProcessConfig } from './jobs/config.js'
export { PAYMENTS_QUEUE } from './jobs/job-definition.js'
export { NOTIFICATIONS_QUEUE } from './notifications/delivery-queue.js'
export { startDarajaSim, DarajaSimEnvSchema, darajaSimConfigFromEnv, type DarajaSim, type DarajaSimConfig } from './daraja-sim/main.js'
export { PaymentsConfigSchema, type PaymentsConfig } from './payments/config.js'
// Routers (issue 11): the `routers` queue worker (ghost sessions, connectivity) the CLI starts beside the payments worker.
export { startRouterJobs, ROUTERS_QUEUE, type RunningRouterJobs } from './routeros/router-jobs.js'
// The WireGuard endpoint's config (mnetifi vpn server-config) and the settings it reads.
export { renderServerTunnelsAcrossTenants, prepareHotspotTunnelAcrossTenants } from './routeros/provisioning.service.js'
export { RouterConfigSchema, type RouterConfig } from './routeros/config.js'
