/**
 * What every admin form shares: the Cancel + submit row of a dialog, the bind helper for a form's text inputs,
 * and the option lists of the pickers most forms have (routers, plans).
 */
import { useState, type ReactNode } from 'react'
import { Button, type ButtonProps } from '@mnetifi/ui'
import { useHotspots, usePlans } from '../api/queries.js'
import { formatMoney } from '../lib/format.js'

/** A dialog's bottom row: Cancel, then the submit button (busy while the request runs). */
export function FormActions({
  onCancel,
  busy,
  variant = 'primary',
  children,
}: {
  onCancel: () => void
  busy: boolean
  variant?: ButtonProps['variant']
  children: ReactNode
}) {
  return (
    <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <Button variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} busy={busy}>
        {children}
      </Button>
    </div>
  )
}

/** A form's text values and `bind(key)` → `{ value, onChange }` for its inputs and selects. */
export function useFields<T extends Record<string, string>>(initial: T | (() => T)) {
  const [values, setValues] = useState<T>(initial)
  const bind = (key: keyof T) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  })
  return { values, setValues, bind }
}

/** `<option>`s of the tenant's routers, after an optional "any" choice. */
export function HotspotOptions({ any }: { any?: string }) {
  const hotspots = useHotspots()
  return (
    <>
      {any !== undefined && <option value="">{any}</option>}
      {hotspots.data?.items.map((h) => (
        <option key={h.id} value={h.id}>
          {h.locationName}
        </option>
      ))}
    </>
  )
}

/** `<option>`s of the tenant's plans (with their price when asked), after an optional "any" choice. */
export function PlanOptions({
  any,
  withPrice = false,
  includeArchived = false,
}: {
  any?: string
  withPrice?: boolean
  includeArchived?: boolean
}) {
  const plans = usePlans(includeArchived)
  return (
    <>
      {any !== undefined && <option value="">{any}</option>}
      {plans.data?.items.map((p) => (
        <option key={p.id} value={p.id}>
          {withPrice ? `${p.name} — ${formatMoney(p.price, p.currency)}` : p.name}
        </option>
      ))}
    </>
  )
}
