import type { SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { cn } from '../cn.js'
import { Field, type FieldChrome } from './field.js'

const CONTROL = cn(
  'glass-input w-full rounded-2xl px-4 text-base text-white',
  'focus:outline-none focus-visible:ring-2 focus-visible:ring-cyan-400',
)

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
