import { useId, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'
import { cn } from '../cn.js'

const CONTROL = cn(
  'glass-input w-full rounded-2xl px-4 text-base text-white',
  'focus:outline-none focus-visible:ring-2 focus-visible:ring-cyan-400',
)

interface FieldChrome {
  readonly label: ReactNode
  readonly hint?: ReactNode
  /** The API's (or our own) message for this field. */
  readonly error?: string | null | undefined
}

/** Label, control and hint/error wired for screen readers: what every field shares. */
function Field({
  label,
  hint,
  error,
  className,
  children,
}: FieldChrome & { className?: string | undefined; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId()
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-200">
        {label}
      </label>
      {children(id, describedBy)}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-sm text-muted">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled native select (the phone's own picker on mobile). */
export function SelectField({
  label,
  hint,
  error,
  className,
  children,
  ...props
}: FieldChrome & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(id, describedBy) => (
        <select
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cn(CONTROL, 'min-h-12 bg-navy-deep', error && 'border-rose-400/70')}
          {...props}
        >
          {children}
        </select>
      )}
    </Field>
  )
}

/** A labelled multi-line input. */
export function TextAreaField({
  label,
  hint,
  error,
  className,
  ...props
}: FieldChrome & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(id, describedBy) => (
        <textarea
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cn(CONTROL, 'min-h-24 py-3', error && 'border-rose-400/70')}
          {...props}
        />
      )}
    </Field>
  )
}
