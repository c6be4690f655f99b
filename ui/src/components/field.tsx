import { useId, type InputHTMLAttributes, type ReactNode } from 'react'
import { cn } from '../cn.js'

export interface FieldChrome {
  readonly label: ReactNode
  readonly hint?: ReactNode
  /** The API's (or our own) message for this field. */
  readonly error?: string | null | undefined
}

/** Label, control and hint/error wired for screen readers: what every field shares. */
export function Field({
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

/** Props of {@link TextField}. */
export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  readonly label: ReactNode
  /** Help shown under the field while there is no error. */
  readonly hint?: ReactNode
  /** The API's (or our own) message for this field; marks the input invalid and is announced. */
  readonly error?: string | null | undefined
}

/** A labelled, recessed input with its hint or error tied to it for screen readers. */
export function TextField({ label, hint, error, className, ...props }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cn(
            'glass-input min-h-12 w-full rounded-2xl px-4 text-lg text-white placeholder:text-slate-500',
            'focus:outline-none focus-visible:ring-2 focus-visible:ring-cyan-400',
            error && 'border-rose-400/70',
          )}
          {...props}
        />
      )}
    </Field>
  )
}
