import type { ReactNode } from 'react'
import { cn } from '../cn.js'

const TONES = {
  neutral: 'bg-white/10 text-slate-200 ring-white/15',
  success: 'bg-emerald-500/15 text-success ring-emerald-400/30',
  warning: 'bg-amber-500/15 text-warning ring-amber-400/30',
  danger: 'bg-rose-500/15 text-danger ring-rose-400/30',
  info: 'bg-cyan-500/15 text-cyan-200 ring-cyan-400/30',
} as const

/** A status pill. Colour is never the only signal: the text says the status. */
export function Badge({ tone = 'neutral', children, className }: { tone?: keyof typeof TONES; children: ReactNode; className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1',
        TONES[tone],
        className,
      )}
    >
      {children}
    </span>
  )
}
export type BadgeTone = keyof typeof TONES
