/** Short confirmations ("Plan saved") in a polite live region at the bottom of the screen. */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react'
import { AnimatePresence, m } from 'motion/react'

interface Toast {
  readonly id: number
  readonly text: string
  readonly tone: 'success' | 'error'
}

const ToastContext = createContext<(text: string, tone?: Toast['tone']) => void>(() => {})

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const push = useCallback((text: string, tone: Toast['tone'] = 'success') => {
    const id = Date.now() + Math.random()
    setToasts((t) => [...t, { id, text, tone }])
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4000)
  }, [])
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4">
        <AnimatePresence>
          {toasts.map((t) => (
            <m.p
              key={t.id}
              initial={{ opacity: 0, y: 12 }}
              animate={{ opacity: 1, y: 0 }}
              exit={{ opacity: 0 }}
              className={`rounded-2xl border px-4 py-2.5 text-sm font-medium shadow-xl backdrop-blur-md ${t.tone === 'success' ? 'border-emerald-400/30 bg-emerald-950/80 text-emerald-50' : 'border-rose-400/40 bg-rose-950/85 text-rose-50'}`}
            >
              {t.text}
            </m.p>
          ))}
        </AnimatePresence>
      </div>
    </ToastContext.Provider>
  )
}

/** `toast('Saved')`. */
export function useToast() {
  return useContext(ToastContext)
}
