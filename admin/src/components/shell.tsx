/**
 * The frame every signed-in page sits in: a glass sidebar on wide screens, a top bar with a slide-in menu on
 * phones. It also guards the pages: signed out → login; a page the role may not open → a clear "not for your
 * role" panel; an operator without a chosen tenant → the tenants page.
 */
import { Suspense, useState } from 'react'
import { NavLink, Navigate, Outlet, useLocation } from 'react-router'
import { AnimatePresence, m } from 'motion/react'
import { GlassPanel, Spinner, buttonClasses, cn } from '@mnetifi/ui'
import { useMe, useSignOut, type Admin } from '../auth/session.js'
import { getActingTenant } from '../api/client.js'
import { NAV_GROUPS, allows, type NavItem } from '../nav.js'
import { Icon } from './icon.js'

const ROLE_LABEL = { PLATFORM_OPERATOR: 'Platform operator', TENANT_OWNER: 'Owner', TENANT_STAFF: 'Staff' } as const

export function Shell() {
  const me = useMe()
  const location = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)

  if (me.isPending) return <FullPageSpinner />
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
  const admin = me.data
  const current = findItem(location.pathname)
  const needsTenant = admin.role === 'PLATFORM_OPERATOR' && !getActingTenant() && (current?.tenant ?? true)
  if (needsTenant && location.pathname !== '/tenants') return <Navigate to="/tenants" replace />

  return (
    <div className="min-h-dvh lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-xl focus:bg-navy focus:p-3"
      >
        Skip to content
      </a>
      <aside className="hidden w-64 shrink-0 p-3 lg:block">
        <GlassPanel padding="none" className="sticky top-3 flex h-[calc(100dvh-1.5rem)] flex-col">
          <Sidebar admin={admin} />
        </GlassPanel>
      </aside>

      <header className="sticky top-0 z-30 flex items-center justify-between gap-3 border-b border-white/10 bg-navy/70 px-4 py-3 backdrop-blur-md lg:hidden">
        <Brand />
        <button
          type="button"
          onClick={() => setMenuOpen(true)}
          aria-label="Open menu"
          aria-expanded={menuOpen}
          className="rounded-xl p-2 text-slate-200 hover:bg-white/10"
        >
          <Icon name="menu" className="size-6" />
        </button>
      </header>
      <AnimatePresence>
        {menuOpen && (
          <m.div className="fixed inset-0 z-40 lg:hidden" initial={{ opacity: 0 }} animate={{ opacity: 1 }} exit={{ opacity: 0 }}>
            <button type="button" aria-label="Close menu" className="absolute inset-0 bg-black/60" onClick={() => setMenuOpen(false)} />
            <m.nav
              aria-label="Menu"
              className="absolute inset-y-0 left-0 flex w-72 max-w-[85vw] flex-col border-r border-white/10 bg-navy-deep/95 backdrop-blur-xl"
              initial={{ x: '-100%' }}
              animate={{ x: 0 }}
              exit={{ x: '-100%' }}
              transition={{ type: 'tween', duration: 0.2 }}
            >
              <Sidebar admin={admin} onClose={() => setMenuOpen(false)} />
            </m.nav>
          </m.div>
        )}
      </AnimatePresence>

      <main id="main" className="min-w-0 flex-1 px-4 pt-4 pb-16 sm:px-6 lg:px-8 lg:pt-8">
        {current && !allows(admin.role, current.access) ? (
          <NotForRole />
        ) : (
          <Suspense fallback={<FullPageSpinner inline />}>
            <Outlet />
          </Suspense>
        )}
      </main>
    </div>
  )
}

function Sidebar({ admin, onClose }: { admin: Admin; onClose?: () => void }) {
  const signOut = useSignOut()
  const operatorWithoutTenant = admin.role === 'PLATFORM_OPERATOR' && !getActingTenant()
  return (
    <>
      <div className="flex items-center justify-between px-5 pt-5 pb-3">
        <Brand />
        {onClose && (
          <button type="button" onClick={onClose} aria-label="Close menu" className="rounded-xl p-2 text-slate-300 hover:bg-white/10">
            <Icon name="close" />
          </button>
        )}
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 pb-3">
        {NAV_GROUPS.map((group) => {
          const items = group.items.filter((i) => allows(admin.role, i.access) && !(operatorWithoutTenant && i.tenant))
          if (!items.length) return null
          return (
            <div key={group.title} className="mt-3">
              <p className="px-3 pb-1 text-xs font-semibold tracking-wider text-slate-400 uppercase">{group.title}</p>
              <ul>
                {items.map((item) => (
                  <li key={item.to}>
                    <NavLink
                      to={item.to}
                      end={item.to === '/'}
                      onClick={onClose}
                      className={({ isActive }) =>
                        cn(
                          'flex min-h-10 items-center gap-3 rounded-xl px-3 py-2 text-sm font-medium transition',
                          isActive
                            ? 'bg-white/12 text-white shadow-inner ring-1 ring-white/15'
                            : 'text-slate-300 hover:bg-white/6 hover:text-white',
                        )
                      }
                    >
                      <Icon name={item.icon} className="size-5 shrink-0" />
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          )
        })}
      </nav>
      <div className="border-t border-white/10 p-3">
        <NavLink to="/account" onClick={onClose} className="flex items-center gap-3 rounded-xl px-3 py-2 hover:bg-white/6">
          <span className="accent-ink grid size-9 shrink-0 place-items-center rounded-full text-sm font-bold text-white">
            {(admin.fullName || admin.email).slice(0, 1).toUpperCase()}
          </span>
          <span className="min-w-0">
            <span className="block truncate text-sm font-medium">{admin.fullName || admin.email}</span>
            <span className="block text-xs text-slate-400">{ROLE_LABEL[admin.role]}</span>
          </span>
        </NavLink>
        <button
          type="button"
          onClick={() => void signOut()}
          className="mt-1 flex w-full items-center gap-3 rounded-xl px-3 py-2 text-sm text-slate-300 hover:bg-white/6 hover:text-white"
        >
          <Icon name="logout" /> Sign out
        </button>
      </div>
    </>
  )
}

function Brand() {
  return (
    <span className="flex items-center gap-2 text-lg font-bold tracking-tight">
      <span className="accent-ink grid size-8 place-items-center rounded-xl">
        <Icon name="sessions" className="size-5 text-white" />
      </span>
      MnetiFi
    </span>
  )
}

function NotForRole() {
  return (
    <GlassPanel className="mx-auto mt-10 max-w-md text-center">
      <h1 className="text-xl font-semibold">Not available for your role</h1>
      <p className="mt-2 text-muted">This page is for the ISP’s owners. Ask an owner if you need something from it.</p>
      <NavLink to="/" className={buttonClasses('ghost', 'mt-4')}>
        Back to the dashboard
      </NavLink>
    </GlassPanel>
  )
}

export function FullPageSpinner({ inline = false }: { inline?: boolean }) {
  return (
    <div className={cn('grid place-items-center', inline ? 'py-24' : 'min-h-dvh')} role="status">
      <Spinner className="size-8" />
      <span className="sr-only">Loading…</span>
    </div>
  )
}

function findItem(pathname: string): NavItem | undefined {
  const all = NAV_GROUPS.flatMap((g) => g.items)
  return all.find((i) => (i.to === '/' ? pathname === '/' : pathname === i.to || pathname.startsWith(`${i.to}/`)))
}
