/**
 * The migration list and the migrator. Migrations are registered explicitly (not by folder scan) so that the
 * order is visible and the package works the same under tsx, vitest and a bundler.
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely'
import * as createFreeradiusTables from './2026_11_26_090000_create_freeradius_tables.js'
import * as createTenantsAndAdmins from './2026_11_26_090100_create_tenants_and_admins.js'
import * as createNetworkAndSubscribers from './2026_11_26_090200_create_network_and_subscribers.js'
import * as createBillingAndSupport from './2026_11_26_090300_create_billing_and_support.js'
import * as createRadiusMirrorTriggers from './2026_11_26_090400_create_radius_mirror_triggers.js'
import * as createRadiusdAuthorize from './2026_11_26_100000_create_radiusd_authorize.js'
import * as createRadiusdAccounting from './2026_11_26_100100_create_radiusd_accounting.js'
import * as createAdminSessions from './2026_11_26_200000_create_admin_sessions.js'
import * as createUsageRollups from './2026_11_26_200100_create_usage_rollups.js'
import * as enableRowLevelSecurity from './2026_11_26_200200_enable_row_level_security.js'
import * as paymentsRecoveryAndResolution from './2026_11_26_300000_payments_recovery_and_resolution.js'
import * as fillRadacctTenant from './2026_11_26_400000_fill_radacct_tenant.js'
import * as usageTenantDayUniques from './2026_11_26_400100_usage_tenant_day_uniques.js'
import * as radiusdClaimsRowLevelSecurity from './2026_11_26_400200_radiusd_claims_row_level_security.js'
import * as stkEarlyCallbacks from './2026_11_26_500000_stk_early_callbacks.js'
import * as radiusdNasFlags from './2026_11_26_600000_radiusd_nas_flags.js'
import * as radiusdInterimRetransmission from './2026_11_26_600100_radiusd_interim_retransmission_keeps_interval.js'
import * as notifyNasChangedOnTenantTimezone from './2026_11_26_600200_notify_nas_changed_on_tenant_timezone.js'
import * as radiusdAuthorizeSqlcounters from './2026_11_26_600300_radiusd_authorize_sqlcounters.js'
import * as radiusdAuthorizeUserProfiles from './2026_11_26_600400_radiusd_authorize_user_profiles.js'
import * as radacctUsernameIndex from './2026_11_26_600500_radacct_username_index.js'
import * as wifiUsersPhonePerAccountType from './2026_11_27_100000_wifi_users_phone_per_account_type.js'
import * as hotspotTunnelsAndProvisioning from './2026_12_03_200000_hotspot_tunnels_and_provisioning.js'
import * as saasBillingEnforcement from './2026_12_03_200100_saas_billing_enforcement.js'
import * as nasCoaStats from './2026_12_03_200200_nas_coa_stats.js'
import * as notificationPipeline from './2026_12_03_300000_notification_pipeline.js'
import * as oneTimeCodesAndWhatsappHook from './2026_12_03_300100_one_time_codes_and_whatsapp_hook.js'
import * as radiusdStopWithoutStartConnectinfo from './2026_12_03_400500_radiusd_stop_without_start_connectinfo.js'
import * as radiusdOwnDeviceSessionDoesNotBlock from './2026_12_03_400600_radiusd_own_device_session_does_not_block.js'
import * as radacctArchivePartitions from './2026_12_03_500000_radacct_archive_partitions.js'
import * as radacctBulkCloseUsage from './2026_12_03_500100_radacct_bulk_close_usage.js'
import * as radiusdAuthorizeNoClaimsSeqScan from './2026_12_03_500200_radiusd_authorize_no_claims_seq_scan.js'

/** Every migration by name; names sort in the order they apply. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '2026_11_26_090000_create_freeradius_tables': createFreeradiusTables,
  '2026_11_26_090100_create_tenants_and_admins': createTenantsAndAdmins,
  '2026_11_26_090200_create_network_and_subscribers': createNetworkAndSubscribers,
  '2026_11_26_090300_create_billing_and_support': createBillingAndSupport,
  '2026_11_26_090400_create_radius_mirror_triggers': createRadiusMirrorTriggers,
  '2026_11_26_100000_create_radiusd_authorize': createRadiusdAuthorize,
  '2026_11_26_100100_create_radiusd_accounting': createRadiusdAccounting,
  '2026_11_26_200000_create_admin_sessions': createAdminSessions,
  '2026_11_26_200100_create_usage_rollups': createUsageRollups,
  '2026_11_26_200200_enable_row_level_security': enableRowLevelSecurity,
  '2026_11_26_300000_payments_recovery_and_resolution': paymentsRecoveryAndResolution,
  '2026_11_26_400000_fill_radacct_tenant': fillRadacctTenant,
  '2026_11_26_400100_usage_tenant_day_uniques': usageTenantDayUniques,
  '2026_11_26_400200_radiusd_claims_row_level_security': radiusdClaimsRowLevelSecurity,
  '2026_11_26_500000_stk_early_callbacks': stkEarlyCallbacks,
  '2026_11_26_600000_radiusd_nas_flags': radiusdNasFlags,
  '2026_11_26_600100_radiusd_interim_retransmission_keeps_interval': radiusdInterimRetransmission,
  '2026_11_26_600200_notify_nas_changed_on_tenant_timezone': notifyNasChangedOnTenantTimezone,
  '2026_11_26_600300_radiusd_authorize_sqlcounters': radiusdAuthorizeSqlcounters,
  '2026_11_26_600400_radiusd_authorize_user_profiles': radiusdAuthorizeUserProfiles,
  '2026_11_26_600500_radacct_username_index': radacctUsernameIndex,
  '2026_11_27_100000_wifi_users_phone_per_account_type': wifiUsersPhonePerAccountType,
  '2026_12_03_200000_hotspot_tunnels_and_provisioning': hotspotTunnelsAndProvisioning,
  '2026_12_03_200100_saas_billing_enforcement': saasBillingEnforcement,
  '2026_12_03_200200_nas_coa_stats': nasCoaStats,
  '2026_12_03_300000_notification_pipeline': notificationPipeline,
  '2026_12_03_300100_one_time_codes_and_whatsapp_hook': oneTimeCodesAndWhatsappHook,
  '2026_12_03_400500_radiusd_stop_without_start_connectinfo': radiusdStopWithoutStartConnectinfo,
  '2026_12_03_400600_radiusd_own_device_session_does_not_block': radiusdOwnDeviceSessionDoesNotBlock,
  '2026_12_03_500000_radacct_archive_partitions': radacctArchivePartitions,
  '2026_12_03_500100_radacct_bulk_close_usage': radacctBulkCloseUsage,
  '2026_12_03_500200_radiusd_authorize_no_claims_seq_scan': radiusdAuthorizeNoClaimsSeqScan,
})

/** A Kysely migrator over {@link MIGRATIONS}. */
export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } })
}

/** Thrown when a migration step fails; carries the per-migration results for the message. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResultSet['results'],
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

function unwrap(set: MigrationResultSet, what: string): string[] {
  if (set.error) {
    const failed = set.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    const cause = set.error instanceof Error ? set.error.message : String(set.error)
    throw new MigrationError(`${what} failed at ${failed}: ${cause}`, set.results, { cause: set.error })
  }
  return (set.results ?? []).map((r) => r.migrationName)
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest(), 'migrate up')
}

/** Rolls back the last `steps` migrations (all of them with `steps = Infinity`); returns the names undone. */
export async function migrateDown(db: Kysely<any>, steps = 1): Promise<string[]> {
  const migrator = createMigrator(db)
  const undone: string[] = []
  for (let i = 0; i < steps; i++) {
    const names = unwrap(await migrator.migrateDown(), 'migrate down')
    if (names.length === 0) break
    undone.push(...names)
  }
  return undone
}

/** Each known migration with the time it was applied, or null when pending. */
export async function migrationStatus(db: Kysely<any>): Promise<{ name: string; executedAt: Date | null }[]> {
  const infos = await createMigrator(db).getMigrations()
  return infos.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }))
}
