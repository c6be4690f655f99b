import { cn } from '../cn.js'

/** A small spinning ring; decorative, so screen readers skip it (say what is happening in text). */
export function Spinner({ className }: { readonly className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn('inline-block size-5 animate-spin rounded-full border-2 border-white/25 border-t-white', className)}
    />
  )
}
