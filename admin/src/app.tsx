/**
 * Routes. Every page but the dashboard and login is its own chunk, loaded on first visit, so the first load
 * stays small; the dashboard is eager because it is what an admin opens first.
 */
import { QueryClientProvider } from '@tanstack/react-query'
import { LazyMotion } from 'motion/react'
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router'
import { createQueryClient } from './lib/query-client.js'
import { Shell } from './components/shell.js'
import { ToastProvider } from './components/toast.js'
import { LoginPage } from './pages/login.js'
import { DashboardPage } from './pages/dashboard.js'

const queryClient = createQueryClient()
const loadMotionFeatures = () => import('./lib/motion-features.js').then((m) => m.default)

type PageModule = Record<string, unknown>
/** A lazily loaded page: `page(() => import('./pages/x.js'), 'XPage')`. */
function page(load: () => Promise<PageModule>, name: string): RouteObject['lazy'] {
  return async () => ({ Component: (await load())[name] as React.ComponentType })
}

const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    {
      element: <Shell />,
      children: [
        { index: true, element: <DashboardPage /> },
        { path: 'users', lazy: page(() => import('./pages/users.js'), 'UsersPage') },
        { path: 'users/:id', lazy: page(() => import('./pages/user-detail.js'), 'UserDetailPage') },
        { path: 'sessions', lazy: page(() => import('./pages/sessions.js'), 'SessionsPage') },
        { path: 'transactions', lazy: page(() => import('./pages/transactions.js'), 'TransactionsPage') },
        { path: 'reconciliation', lazy: page(() => import('./pages/reconciliation.js'), 'ReconciliationPage') },
        { path: 'reports', lazy: page(() => import('./pages/reports.js'), 'ReportsPage') },
        { path: 'plans', lazy: page(() => import('./pages/plans.js'), 'PlansPage') },
        { path: 'hotspots', lazy: page(() => import('./pages/hotspots.js'), 'HotspotsPage') },
        { path: 'hotspots/:id', lazy: page(() => import('./pages/hotspot-detail.js'), 'HotspotDetailPage') },
        { path: 'vouchers', lazy: page(() => import('./pages/vouchers.js'), 'VouchersPage') },
        { path: 'ip-pools', lazy: page(() => import('./pages/ip-pools.js'), 'IpPoolsPage') },
        { path: 'tickets', lazy: page(() => import('./pages/tickets.js'), 'TicketsPage') },
        { path: 'messages', lazy: page(() => import('./pages/messages.js'), 'MessagesPage') },
        { path: 'admins', lazy: page(() => import('./pages/admins.js'), 'AdminsPage') },
        { path: 'audit-log', lazy: page(() => import('./pages/audit-log.js'), 'AuditLogPage') },
        { path: 'settings', lazy: page(() => import('./pages/settings.js'), 'SettingsPage') },
        { path: 'tenants', lazy: page(() => import('./pages/tenants.js'), 'TenantsPage') },
        { path: 'account', lazy: page(() => import('./pages/account.js'), 'AccountPage') },
        { path: '*', lazy: page(() => import('./pages/not-found.js'), 'NotFoundPage') },
      ],
    },
  ],
  { basename: '/admin' },
)

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LazyMotion features={loadMotionFeatures} strict>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </LazyMotion>
    </QueryClientProvider>
  )
}
