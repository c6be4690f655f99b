/** Enumerations shared by the database, radiusd, the API and the apps (the CHECK constraints' values). */
export const ACCOUNT_TYPES = ['HOTSPOT', 'PPPOE', 'STATIC'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

export const USER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const
export type UserStatus = (typeof USER_STATUSES)[number]

export const SAAS_BILLING_STATUSES = ['ACTIVE', 'BLOCKED'] as const
export type SaasBillingStatus = (typeof SAAS_BILLING_STATUSES)[number]

export const ADMIN_ROLES = ['PLATFORM_OPERATOR', 'TENANT_OWNER', 'TENANT_STAFF'] as const
export type AdminRole = (typeof ADMIN_ROLES)[number]

export const TRANSACTION_STATUSES = ['PENDING', 'COMPLETED', 'FAILED'] as const
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number]

export const TRANSACTION_KINDS = ['STK_PUSH', 'C2B', 'MANUAL'] as const
export type TransactionKind = (typeof TRANSACTION_KINDS)[number]

export const RECONCILIATION_STATUSES = ['MATCHED', 'UNMATCHED', 'MANUAL_REVIEW'] as const
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number]

export const SETTLED_BY = ['CALLBACK', 'POLL', 'RECOVERY', 'C2B', 'ADMIN'] as const
export type SettledBy = (typeof SETTLED_BY)[number]

export const VOUCHER_STATUSES = ['UNUSED', 'REDEEMED', 'REVOKED'] as const
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number]

export const TICKET_STATUSES = ['OPEN', 'CLOSED'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const MPESA_ENVIRONMENTS = ['simulator', 'sandbox', 'production'] as const
export type MpesaEnvironment = (typeof MPESA_ENVIRONMENTS)[number]

export const NOTIFICATION_CHANNELS = ['SMS', 'WHATSAPP', 'EMAIL'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]
