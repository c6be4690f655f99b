/**
 * Resolve a payment that could not be matched automatically: credit it to a customer (a plan and the phone it
 * is for) or record that the money was refunded. Owners only, audited by the API.
 */
import { useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Dialog, SelectField, TextAreaField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { usePlans } from '../api/queries.js'
import { FormError } from '../components/form-error.js'
import { useToast } from '../components/toast.js'
import { formatMoney, formatPhone } from '../lib/format.js'
import { FormActions } from '../components/form.js'

export interface ResolvableTransaction {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly phone: string
  readonly receipt: string | null
  readonly planId: string | null
}

export function ResolveDialog({ tx, onClose }: { tx: ResolvableTransaction; onClose: () => void }) {
  const plans = usePlans()
  const qc = useQueryClient()
  const toast = useToast()
  const [action, setAction] = useState<'credit' | 'refund'>('credit')
  const [planId, setPlanId] = useState(tx.planId ?? '')
  const [phone, setPhone] = useState(/^254\d{9}$/.test(tx.phone) ? formatPhone(tx.phone) : '')
  const [note, setNote] = useState('')
  const resolve = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/payments/transactions/{id}/resolve', {
          params: { path: { id: tx.id } },
          body:
            action === 'credit'
              ? { action, planId: planId || (plans.data?.items[0]?.id ?? ''), phone, ...(note ? { note } : {}) }
              : { action, note },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['transactions'] })
      await qc.invalidateQueries({ queryKey: ['reconciliation'] })
      await qc.invalidateQueries({ queryKey: ['dashboard'] })
      toast(action === 'credit' ? 'Payment credited' : 'Refund recorded')
      onClose()
    },
  })
  const errors = fieldErrors(resolve.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    resolve.mutate()
  }
  return (
    <Dialog open onClose={onClose} title={`Resolve ${tx.receipt ?? 'payment'} · ${formatMoney(tx.amount, tx.currency)}`}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <FormError error={resolve.error} />
        <fieldset className="flex flex-col gap-2 text-sm sm:flex-row sm:gap-6">
          <legend className="mb-2 font-medium text-slate-200">What happened to this money?</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="action"
              className="size-4 accent-cyan-500"
              checked={action === 'credit'}
              onChange={() => setAction('credit')}
            />
            Credit a customer with a plan
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="action"
              className="size-4 accent-cyan-500"
              checked={action === 'refund'}
              onChange={() => setAction('refund')}
            />
            It was refunded
          </label>
        </fieldset>
        {action === 'credit' && (
          <>
            <SelectField label="Plan" value={planId} onChange={(e) => setPlanId(e.target.value)} error={errors.planId}>
              <option value="">Choose a plan</option>
              {plans.data?.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} — {formatMoney(p.price, p.currency)}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Customer’s phone"
              inputMode="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              error={errors.phone}
              placeholder="0712 345 678"
            />
          </>
        )}
        <TextAreaField
          label={action === 'refund' ? 'How it was refunded' : 'Note (optional)'}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={errors.note}
          rows={2}
        />
        <FormActions onCancel={onClose} busy={resolve.isPending}>
          {action === 'credit' ? 'Credit customer' : 'Record refund'}
        </FormActions>
      </form>
    </Dialog>
  )
}
