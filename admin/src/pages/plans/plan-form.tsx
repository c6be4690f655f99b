/** Create/edit a plan, with the Mikrotik-Rate-Limit string the router will receive drawn as the fields change. */
import { useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Dialog, TextAreaField, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { ACCOUNT_TYPES } from '@mnetifi/db/domain'
import { api } from '../../api/client.js'
import { keys } from '../../api/queries.js'
import { FormError } from '../../components/form-error.js'
import { useToast } from '../../components/toast.js'
import { EMPTY_PLAN, readPlanForm, toFormValues, type PlanFormValues, type PlanLike } from './plan-form-model.js'
import { FormActions } from '../../components/form.js'

const TYPE_LABEL = { HOTSPOT: 'Hotspot', PPPOE: 'PPPoE', STATIC: 'Static IP' } as const

export function PlanFormDialog({ plan, open, onClose }: { plan: (PlanLike & { id: string }) | null; open: boolean; onClose: () => void }) {
  const [values, setValues] = useState<PlanFormValues>(() => (plan ? toFormValues(plan) : EMPTY_PLAN))
  const [touched, setTouched] = useState(false)
  const qc = useQueryClient()
  const toast = useToast()
  const read = readPlanForm(values)
  const save = useMutation({
    mutationFn: async () => {
      if (!read.ok) throw new Error('invalid')
      return plan
        ? unwrap(api.PATCH('/api/plans/{id}', { params: { path: { id: plan.id } }, body: read.body }))
        : unwrap(api.POST('/api/plans/', { body: read.body }))
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: keys.plans })
      toast(`Plan “${saved.name}” saved`)
      onClose()
    },
  })
  const localErrors = touched && !read.ok ? read.errors : {}
  const errors = { ...fieldErrors(save.error), ...localErrors }
  const set =
    <K extends keyof PlanFormValues>(k: K) =>
    (value: PlanFormValues[K]) =>
      setValues((v) => ({ ...v, [k]: value }))
  const text = (k: keyof PlanFormValues) => ({
    value: values[k] as string,
    onChange: (e: { target: { value: string } }) => set(k)(e.target.value as never),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (read.ok) save.mutate()
  }
  return (
    <Dialog open={open} onClose={onClose} title={plan ? `Edit ${plan.name}` : 'New plan'} size="lg">
      <form onSubmit={submit} noValidate>
        <FormError error={save.error && save.error.message !== 'invalid' ? save.error : null} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Name" {...text('name')} error={errors.name} placeholder="Daily 5 Mbps" className="sm:col-span-2" />
          <TextField label="Price (KES)" inputMode="decimal" {...text('price')} error={errors.price} placeholder="50" />
          <TextField
            label="Duration"
            {...text('duration')}
            error={errors.durationSeconds}
            hint="30m, 1h, 1d, 7d, 30d — exact to the second"
          />
          <TextField label="Upload limit" {...text('uploadLimit')} error={errors.uploadLimit} hint="e.g. 2M or 512k" />
          <TextField label="Download limit" {...text('downloadLimit')} error={errors.downloadLimit} hint="e.g. 5M" />
        </div>

        <fieldset className="mt-5 rounded-2xl border border-white/10 p-4">
          <legend className="px-2 text-sm font-semibold">Burst</legend>
          <label className="flex items-center gap-3 text-sm">
            <input
              type="checkbox"
              className="size-5 accent-cyan-500"
              checked={values.burst}
              onChange={(e) => set('burst')(e.target.checked)}
            />
            Let users burst above the limit for a few seconds (pages load faster)
          </label>
          {values.burst && (
            <div className="mt-4 grid gap-4 sm:grid-cols-2">
              <TextField label="Burst upload" {...text('burstRateUp')} error={errors.burstRateUp} hint="above the upload limit" />
              <TextField label="Burst download" {...text('burstRateDown')} error={errors.burstRateDown} hint="above the download limit" />
              <TextField
                label="Threshold upload"
                {...text('burstThresholdUp')}
                error={errors.burstThresholdUp}
                hint="at most the upload limit"
              />
              <TextField
                label="Threshold download"
                {...text('burstThresholdDown')}
                error={errors.burstThresholdDown}
                hint="at most the download limit"
              />
              <TextField label="Burst time (seconds)" inputMode="numeric" {...text('burstTime')} error={errors.burstTime} />
            </div>
          )}
        </fieldset>

        <div className="mt-5 grid gap-4 sm:grid-cols-3">
          <TextField
            label="Priority (1–8)"
            inputMode="numeric"
            {...text('priority')}
            error={errors.priority}
            hint="optional; 1 is highest"
          />
          <TextField
            label="Data cap (MB)"
            inputMode="decimal"
            {...text('dataQuotaMb')}
            error={errors.dataQuotaMb ?? errors.dataQuota}
            hint="empty = unlimited"
          />
          <TextField label="Devices at once" inputMode="numeric" {...text('simultaneousUse')} error={errors.simultaneousUse} />
        </div>

        <fieldset className="mt-5">
          <legend className="text-sm font-medium text-slate-200">Sold to</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {ACCOUNT_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-5 accent-cyan-500"
                  checked={values.accountTypes.includes(t)}
                  onChange={(e) =>
                    set('accountTypes')(e.target.checked ? [...values.accountTypes, t] : values.accountTypes.filter((x) => x !== t))
                  }
                />
                {TYPE_LABEL[t]}
              </label>
            ))}
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-5 accent-cyan-500"
                checked={values.isActive}
                onChange={(e) => set('isActive')(e.target.checked)}
              />
              On sale
            </label>
          </div>
          {errors.accountTypes && (
            <p role="alert" className="mt-1 text-sm text-danger">
              {errors.accountTypes}
            </p>
          )}
        </fieldset>

        <TextAreaField label="Description (shown on the portal)" {...text('description')} className="mt-5" rows={2} />

        <div className="mt-5 rounded-2xl border border-cyan-400/20 bg-black/30 p-4" aria-live="polite">
          <p className="text-xs font-semibold tracking-wider text-slate-400 uppercase">Mikrotik-Rate-Limit the router receives</p>
          <code data-testid="rate-limit-preview" className="mt-1 block font-mono text-lg break-all text-cyan-200">
            {read.rateLimit ?? '—'}
          </code>
        </div>

        <FormActions onCancel={onClose} busy={save.isPending}>
          {plan ? 'Save plan' : 'Create plan'}
        </FormActions>
      </form>
    </Dialog>
  )
}
