/**
 * Fades each screen in as it replaces the last, with Motion's `motion/mini` animate() (2 KB, the browser's own
 * Web Animations underneath): the full React integration would cost the captive portal an eighth of its
 * first-load budget. Nothing moves for people who asked their system for reduced motion.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react'
import { animate } from 'motion/mini'

export function StepTransition({ stepKey, children }: { readonly stepKey: string; readonly children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  const first = useRef(true)
  useLayoutEffect(() => {
    // The first screen is there at once; later ones slide in.
    if (first.current) {
      first.current = false
      return
    }
    const el = ref.current
    if (!el || window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return
    const animation = animate(el, { opacity: [0, 1], transform: ['translateY(12px)', 'translateY(0)'] }, { duration: 0.2, ease: 'easeOut' })
    return () => animation.cancel()
  }, [stepKey])
  return (
    <div ref={ref} key={stepKey}>
      {children}
    </div>
  )
}
