/**
 * The dashboard's pages in the order the navigation lists them, with who may open them (the API enforces the
 * same roles; hiding a link only spares staff a "forbidden" page).
 */
import type { IconName } from './components/icon.js'

export type Access = 'staff' | 'owner' | 'platform'

export interface NavItem {
  readonly to: string
  readonly label: string
  readonly icon: IconName
  readonly access: Access
  /** Needs a tenant to act in (operators pick one first). */
  readonly tenant: boolean
}

export const NAV_GROUPS: readonly { readonly title: string; readonly items: readonly NavItem[] }[] = [
  {
    title: 'Business',
    items: [
      { to: '/', label: 'Dashboard', icon: 'dashboard', access: 'staff', tenant: true },
      { to: '/users', label: 'Users', icon: 'users', access: 'staff', tenant: true },
      { to: '/sessions', label: 'Live sessions', icon: 'sessions', access: 'staff', tenant: true },
      { to: '/transactions', label: 'Transactions', icon: 'transactions', access: 'staff', tenant: true },
      { to: '/reconciliation', label: 'Reconciliation', icon: 'reconcile', access: 'staff', tenant: true },
      { to: '/reports', label: 'Reports', icon: 'reports', access: 'owner', tenant: true },
    ],
  },
  {
    title: 'Network',
    items: [
      { to: '/plans', label: 'Plans', icon: 'plans', access: 'staff', tenant: true },
      { to: '/hotspots', label: 'Hotspots', icon: 'hotspots', access: 'staff', tenant: true },
      { to: '/vouchers', label: 'Vouchers', icon: 'vouchers', access: 'staff', tenant: true },
      { to: '/ip-pools', label: 'IP pools', icon: 'pools', access: 'staff', tenant: true },
    ],
  },
  {
    title: 'Team',
    items: [
      { to: '/tickets', label: 'Tickets', icon: 'tickets', access: 'staff', tenant: true },
      { to: '/messages', label: 'Messages', icon: 'messages', access: 'staff', tenant: true },
      { to: '/admins', label: 'Admins', icon: 'admins', access: 'owner', tenant: true },
      { to: '/audit-log', label: 'Audit log', icon: 'audit', access: 'owner', tenant: true },
      { to: '/settings', label: 'Settings', icon: 'settings', access: 'owner', tenant: true },
    ],
  },
  {
    title: 'Platform',
    items: [{ to: '/tenants', label: 'Tenants (ISPs)', icon: 'tenants', access: 'platform', tenant: false }],
  },
]

/** Whether a role may open a page of `access`. */
export function allows(role: string | undefined, access: Access): boolean {
  if (access === 'platform') return role === 'PLATFORM_OPERATOR'
  if (access === 'owner') return role === 'TENANT_OWNER' || role === 'PLATFORM_OPERATOR'
  return role !== undefined
}
