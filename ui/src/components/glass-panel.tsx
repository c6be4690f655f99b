import type { HTMLAttributes } from 'react'
import { cn } from '../cn.js'

/** The glass surface every card, dialog and panel is made of. */
export function GlassPanel({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn('glass-panel p-5', className)} {...props} />
}
