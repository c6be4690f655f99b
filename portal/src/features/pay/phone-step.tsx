/** Phone number → M-Pesa prompt. The number is checked as the API checks it, and the API's own error wins. */
import { useState, type FormEvent } from 'react'
import { Button, Notice, TextField } from '@mnetifi/ui'
import { tryNormalizePhoneKE } from '@mnetifi/db/domain'
import type { Plan } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import { priceText } from '../../lib/format.js'
import { PlanCard } from './plan-card.js'

export function PhoneStep({
  plan,
  initialPhone,
  busy,
  fieldError,
  formError,
  onPay,
  onChangePlan,
}: {
  readonly plan: Plan
  readonly initialPhone: string
  readonly busy: boolean
  /** The API's message for the phone field. */
  readonly fieldError: string | null
  readonly formError: string | null
  readonly onPay: (phone: string) => void
  readonly onChangePlan: () => void
}) {
  const { t } = useI18n()
  const [phone, setPhone] = useState(initialPhone)
  const [localError, setLocalError] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    if (!tryNormalizePhoneKE(phone)) {
      setLocalError(t('phone.invalid'))
      return
    }
    setLocalError(null)
    onPay(phone.trim())
  }
  return (
    <section aria-labelledby="phone-title">
      <h1 id="phone-title" className="text-2xl font-bold">
        {t('phone.title')}
      </h1>
      <div className="mt-4">
        <PlanCard
          plan={plan}
          action={
            <Button variant="link" className="text-sm" onClick={onChangePlan}>
              {t('phone.change')}
            </Button>
          }
        />
      </div>
      <form className="mt-5 flex flex-col gap-4" onSubmit={submit} noValidate>
        <TextField
          label={t('phone.label')}
          hint={t('phone.hint')}
          error={localError ?? fieldError}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          placeholder="07XX XXX XXX"
          value={phone}
          onChange={(e) => {
            setPhone(e.target.value)
            setLocalError(null)
          }}
          name="phone"
          required
        />
        {formError && <Notice tone="error">{formError}</Notice>}
        <Button type="submit" variant="mpesa" busy={busy} className="min-h-13 w-full text-lg">
          {t('phone.pay', { amount: priceText(plan.price, plan.currency) })}
        </Button>
      </form>
    </section>
  )
}
