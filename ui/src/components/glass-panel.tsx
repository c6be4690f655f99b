import type { HTMLAttributes } from 'react'
import { cn } from '../cn.js'

const PADDING = { none: '', sm: 'p-2', md: 'p-4', lg: 'p-5' } as const

/** The glass surface every card, dialog and panel is made of. */
export function GlassPanel({
  padding = 'lg',
  className,
  ...props
}: HTMLAttributes<HTMLDivElement> & { readonly padding?: keyof typeof PADDING }) {
  return <div className={cn('glass-panel', PADDING[padding], className)} {...props} />
}
