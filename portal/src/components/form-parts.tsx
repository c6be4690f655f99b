/** Pieces every portal form shares: the phone input as Kenyan phones want it, and the error + submit row. */
import type { ReactNode } from 'react'
import { Button, Notice, TextField, type TextFieldProps } from '@mnetifi/ui'

/** A phone-number field: the dial pad on phones, the number the browser knows, a 07… example. */
export function PhoneField(props: Omit<TextFieldProps, 'type' | 'inputMode' | 'autoComplete' | 'placeholder'>) {
  return <TextField name="phone" type="tel" inputMode="tel" autoComplete="tel" placeholder="07XX XXX XXX" {...props} />
}

/** The form's own error (if any) above its submit button. */
export function SubmitRow({ error, busy, children }: { error?: string | undefined; busy: boolean; children: ReactNode }) {
  return (
    <>
      {error && <Notice tone="error">{error}</Notice>}
      <Button type="submit" busy={busy}>
        {children}
      </Button>
    </>
  )
}
