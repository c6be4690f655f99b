/** Page chrome: the title row with its actions, a filter bar, and stat cards. */
import { useState, type ReactNode } from 'react'
import { GlassPanel, cn } from '@mnetifi/ui'
import { Icon } from './icon.js'

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        {subtitle && <p className="mt-1 text-muted">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  )
}

/**
 * A row of filters above a table. On a phone the filters fold behind one button (eight stacked selects would
 * push the table off the screen); on wide screens they are always shown.
 */
export function FilterBar({ children, search }: { children: ReactNode; search?: ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <div className="mb-4 lg:flex lg:flex-wrap lg:items-end lg:gap-3">
      {search && <div className="mb-2 lg:mb-0 lg:min-w-72">{search}</div>}
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="mb-2 inline-flex items-center gap-2 rounded-xl border border-white/10 bg-white/5 px-3 py-2 text-sm font-medium lg:hidden"
      >
        <Icon name="search" className="size-4" /> {open ? 'Hide filters' : 'Filters'}
      </button>
      <div className={cn(open ? 'grid' : 'hidden', 'grid-cols-1 gap-3 sm:grid-cols-2 lg:flex lg:flex-wrap lg:items-end [&>*]:lg:min-w-48')}>
        {children}
      </div>
    </div>
  )
}

export function StatCard({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: ReactNode; tone?: 'warning' | 'danger' }) {
  return (
    <GlassPanel padding="md" className="min-w-0">
      <p className="text-sm text-slate-300">{label}</p>
      <p
        className={cn(
          'mt-1 truncate text-2xl font-bold tabular-nums sm:text-3xl',
          tone === 'warning' && 'text-warning',
          tone === 'danger' && 'text-danger',
        )}
      >
        {value}
      </p>
      {hint && <p className="mt-1 text-xs text-muted">{hint}</p>}
    </GlassPanel>
  )
}

/** A titled glass section. */
export function Section({
  title,
  actions,
  children,
  className,
}: {
  title: ReactNode
  actions?: ReactNode
  children: ReactNode
  className?: string
}) {
  return (
    <GlassPanel padding="md" className={cn('min-w-0', className)}>
      <div className="mb-3 flex items-center justify-between gap-3">
        <h2 className="text-base font-semibold">{title}</h2>
        {actions}
      </div>
      {children}
    </GlassPanel>
  )
}
