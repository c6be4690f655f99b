/**
 * The whole database as Kysely sees it. Column names are Postgres's own (snake_case for ours, FreeRADIUS's
 * lower-case for rad*): no CamelCasePlugin.
 */
import type { TenantsTable } from './tenants/tenants.table.js'
import type { AdminUsersTable } from './tenants/admin-users.table.js'
import type { AuditLogTable } from './support/audit-log.table.js'
import type { TicketEventsTable, TicketsTable } from './support/tickets.table.js'
import type { HotspotsTable } from './network/hotspots.table.js'
import type { RouterEnforcementsTable } from './network/router-enforcements.table.js'
import type { NasCoaStatsTable } from './network/nas-coa-stats.table.js'
import type { SaasInvoicesTable } from './billing/saas-invoices.table.js'
import type { PlansTable } from './subscribers/plans.table.js'
import type { WifiUserDevicesTable, WifiUsersTable } from './subscribers/wifi-users.table.js'
import type { IpAssignmentsTable, IpPoolsTable } from './subscribers/ip-pools.table.js'
import type { TransactionsTable } from './billing/transactions.table.js'
import type { VouchersTable } from './billing/vouchers.table.js'
import type { NotificationOutboxTable } from './billing/notification-outbox.table.js'
import type {
  NotificationSettingsTable, NotificationTemplatesTable, WifiUserNotificationPrefsTable,
} from './notifications/notification-settings.table.js'
import type { OneTimeCodesTable } from './notifications/one-time-codes.table.js'
import type { MpesaStatusQueriesTable } from './billing/mpesa-status-queries.table.js'
import type { RadacctTable } from './freeradius/radacct.table.js'
import type { RadacctArchiveTable, RadacctArchivedTotalsTable, RadacctHistoryTable } from './freeradius/radacct-archive.table.js'
import type { AdminSessionsTable } from './tenants/admin-sessions.table.js'
import type {
  UsageDailyTable, UsageDayTotalsTable, UsageDeltasTable, UsageTenantDayUsersTable, UsageUserDaysTable,
} from './reports/usage.table.js'
import type { StkEarlyCallbacksTable } from './billing/stk-early-callbacks.table.js'
import type { RadiusdNasFlagsTable } from './freeradius/radiusd-nas-flags.table.js'
import type {
  NasreloadTable, NasTable, RadcheckTable, RadgroupcheckTable, RadgroupreplyTable, RadpostauthTable, RadreplyTable,
  RadusergroupTable,
} from './freeradius/rad-attributes.table.js'

export interface Database {
  tenants: TenantsTable
  admin_users: AdminUsersTable
  audit_log: AuditLogTable
  tickets: TicketsTable
  ticket_events: TicketEventsTable
  hotspots: HotspotsTable
  router_enforcements: RouterEnforcementsTable
  nas_coa_stats: NasCoaStatsTable
  saas_invoices: SaasInvoicesTable
  plans: PlansTable
  wifi_users: WifiUsersTable
  wifi_user_devices: WifiUserDevicesTable
  ip_pools: IpPoolsTable
  ip_assignments: IpAssignmentsTable
  transactions: TransactionsTable
  vouchers: VouchersTable
  notification_outbox: NotificationOutboxTable
  notification_settings: NotificationSettingsTable
  notification_templates: NotificationTemplatesTable
  wifi_user_notification_prefs: WifiUserNotificationPrefsTable
  one_time_codes: OneTimeCodesTable
  mpesa_status_queries: MpesaStatusQueriesTable
  stk_early_callbacks: StkEarlyCallbacksTable
  radacct: RadacctTable
  radacct_archive: RadacctArchiveTable
  radacct_archived_totals: RadacctArchivedTotalsTable
  radacct_history: RadacctHistoryTable
  radcheck: RadcheckTable
  radreply: RadreplyTable
  radgroupcheck: RadgroupcheckTable
  radgroupreply: RadgroupreplyTable
  radusergroup: RadusergroupTable
  radpostauth: RadpostauthTable
  nas: NasTable
  nasreload: NasreloadTable
  radiusd_nas_flags: RadiusdNasFlagsTable
  admin_sessions: AdminSessionsTable
  usage_daily: UsageDailyTable
  usage_user_days: UsageUserDaysTable
  usage_deltas: UsageDeltasTable
  usage_tenant_day_users: UsageTenantDayUsersTable
  usage_day_totals: UsageDayTotalsTable
}
