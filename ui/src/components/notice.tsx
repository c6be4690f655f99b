import type { ReactNode } from 'react'
import { cn } from '../cn.js'

const TONES = {
  info: 'border-cyan-400/30 bg-cyan-400/10 text-cyan-50',
  success: 'border-green-400/30 bg-green-400/10 text-green-50',
  warning: 'border-amber-400/30 bg-amber-400/10 text-amber-50',
  error: 'border-rose-400/40 bg-rose-500/10 text-rose-50',
} as const

/** A tinted message box; errors are announced (`role="alert"`), the rest politely (`role="status"`). */
export function Notice({
  tone = 'info',
  title,
  children,
  className,
}: {
  readonly tone?: keyof typeof TONES
  readonly title?: ReactNode
  readonly children?: ReactNode
  readonly className?: string
}) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cn('rounded-2xl border px-4 py-3 text-sm', TONES[tone], className)}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={cn(title && 'mt-1', 'leading-relaxed')}>{children}</div>}
    </div>
  )
}
