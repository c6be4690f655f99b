import type { ButtonHTMLAttributes } from 'react'
import { cn } from '../cn.js'
import { Spinner } from './spinner.js'

const VARIANTS = {
  primary: 'accent-ink text-white shadow-lg shadow-cyan-500/20 hover:brightness-110',
  mpesa: 'bg-mpesa-ink text-white shadow-lg shadow-green-700/30 ring-1 ring-mpesa/60 hover:brightness-110',
  ghost: 'bg-white/5 text-text border border-white/10 hover:bg-white/10',
  danger: 'bg-rose-600 text-white hover:bg-rose-500',
  /** A destructive action among others in a row (archive, revoke): quiet until hovered. */
  'ghost-danger': 'bg-white/5 text-danger border border-rose-400/25 hover:bg-rose-500/15',
  link: 'bg-transparent text-cyan-300 underline underline-offset-4 hover:text-cyan-200 px-1 min-h-0',
} as const

/** Props of {@link Button}. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: keyof typeof VARIANTS
  readonly size?: keyof typeof SIZES
  /** Shows a spinner and disables the button (a long action in progress). */
  readonly busy?: boolean
}

const SIZES = {
  md: 'min-h-11 rounded-2xl px-5 py-2.5 text-base',
  /** Row actions in tables: still 36 px, a comfortable tap. */
  sm: 'min-h-9 rounded-xl px-3 py-1 text-sm',
} as const

/** The classes of a {@link Button}, for links that look like one (a link inside a button is invalid HTML). */
export function buttonClasses(variant: keyof typeof VARIANTS = 'primary', className?: string, size: keyof typeof SIZES = 'md'): string {
  return cn(
    'inline-flex items-center justify-center gap-2 font-semibold whitespace-nowrap transition',
    'disabled:cursor-not-allowed disabled:opacity-60',
    SIZES[size],
    VARIANTS[variant],
    className,
  )
}

/** A button with the accent gradient (or another variant); at least 44 px tall so a thumb can hit it. */
export function Button({
  variant = 'primary',
  size = 'md',
  busy = false,
  className,
  children,
  disabled,
  type = 'button',
  ...props
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={buttonClasses(variant, className, size)}
      {...props}
    >
      {busy && <Spinner className="size-4" />}
      {children}
    </button>
  )
}
