import { useEffect, useRef, type ReactNode } from 'react'
import { cn } from '../cn.js'

/** Props of {@link Dialog}. */
export interface DialogProps {
  readonly open: boolean
  readonly onClose: () => void
  readonly title: ReactNode
  readonly children: ReactNode
  /** Buttons along the bottom. */
  readonly footer?: ReactNode
  readonly size?: 'sm' | 'md' | 'lg'
}

const SIZES = { sm: 'max-w-md', md: 'max-w-xl', lg: 'max-w-3xl' } as const

/**
 * A modal on the native <dialog>: the browser traps focus, Esc closes it and the page behind is inert, so
 * keyboard and screen-reader users get a real modal without a focus-trap library.
 */
export function Dialog({ open, onClose, title, children, footer, size = 'md' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      aria-labelledby="dialog-title"
      className={cn(
        'dialog-pop m-auto w-[calc(100%-1.5rem)] bg-transparent p-0 text-text backdrop:bg-black/60 backdrop:backdrop-blur-sm',
        SIZES[size],
      )}
    >
      {open && (
        <div className="glass-panel max-h-[85dvh] overflow-y-auto bg-navy/80 p-5 sm:p-6">
          <div className="mb-4 flex items-start justify-between gap-4">
            <h2 id="dialog-title" className="text-lg font-semibold">
              {title}
            </h2>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              className="-m-2 rounded-xl p-2 text-muted hover:bg-white/10 hover:text-white"
            >
              <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
                <path d="M6 6l12 12M18 6L6 18" strokeLinecap="round" />
              </svg>
            </button>
          </div>
          {children}
          {footer && <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{footer}</div>}
        </div>
      )}
    </dialog>
  )
}
