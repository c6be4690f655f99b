/**
 * "Paid but not online?": the M-Pesa code from the SMS (or the phone number) → the recovery route → online,
 * "we are checking" (the receipt check is polled), or "passed to the ISP for review" with what happens next.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { GlassPanel, Notice, Spinner, TextField } from '@mnetifi/ui'
import { fieldErrors, isApiError } from '@mnetifi/ui/api'
import { tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { fetchRecovery, recover, type RecoveryAnswer } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import type { RouterLogin } from '../../lib/purchase-flow.js'
import { describeError } from '../../lib/describe-error.js'
import { BackLink } from './back-link.js'
import { PhoneField, SubmitRow } from '../../components/form-parts.js'

const RECEIPT = /^[A-Z0-9]{10}$/

export function RecoverScreen({
  subdomain,
  ispName,
  hotspotId,
  mac,
  onActivated,
  onBack,
}: {
  readonly subdomain: string
  readonly ispName: string
  readonly hotspotId: string | null
  readonly mac: string | null
  readonly onActivated: (login: RouterLogin | null, expiresAt: string | null, transactionId: string | null) => void
  readonly onBack: () => void
}) {
  const { t } = useI18n()
  const [receipt, setReceipt] = useState('')
  const [phone, setPhone] = useState('')
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<{ receipt?: string; phone?: string; form?: string }>({})
  const [answer, setAnswerState] = useState<RecoveryAnswer | null>(null)
  // The latest callback, for the poll below without restarting it when the parent re-renders.
  const activated = useRef(onActivated)
  useEffect(() => {
    activated.current = onActivated
  })
  const setAnswer = (next: RecoveryAnswer | null) => {
    setAnswerState(next)
    if (next?.status === 'ACTIVATED') activated.current(next.login, next.expiresAt, next.transactionId)
  }

  // A receipt check runs at M-Pesa; ask where it stands every 3 s until it settles.
  const checkId = answer?.status === 'VERIFYING' ? answer.checkId : null
  useEffect(() => {
    if (!checkId) return
    let stopped = false
    const timer = setInterval(() => {
      fetchRecovery(subdomain, checkId).then(
        (next) => {
          if (stopped || next.status === 'VERIFYING') return
          setAnswerState(next)
          if (next.status === 'ACTIVATED') activated.current(next.login, next.expiresAt, next.transactionId)
        },
        () => undefined, // a dropped poll is retried on the next tick
      )
    }, 3000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [checkId, subdomain])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const code = receipt.trim().toUpperCase()
    const next: typeof errors = {}
    if (!code && !phone.trim()) next.form = t('recover.needOne')
    if (code && !RECEIPT.test(code)) next.receipt = t('recover.receiptInvalid')
    if (!code && phone.trim() && !tryNormalizePhoneKE(phone)) next.phone = t('phone.invalid')
    setErrors(next)
    if (Object.keys(next).length) return
    setBusy(true)
    setAnswer(null)
    try {
      setAnswer(
        await recover(subdomain, {
          ...(code ? { receipt: code } : { phone: phone.trim() }),
          ...(hotspotId ? { hotspotId } : {}),
          ...(mac ? { mac } : {}),
        }),
      )
    } catch (err) {
      const fields = fieldErrors(err)
      if (isApiError(err) && err.code === 'RECEIPT_ALREADY_USED') setErrors({ receipt: t('recover.alreadyUsed') })
      else if (isApiError(err) && err.code === 'RECEIPT_NOT_FOUND') setErrors({ receipt: t('recover.notFound') })
      else if (isApiError(err) && err.code === 'PROVIDER_UNAVAILABLE') setErrors({ form: t('recover.unavailable') })
      else if (isApiError(err) && err.code === 'INVALID_PHONE') setErrors({ phone: t('phone.invalid') })
      else if (fields.receipt || fields.phone)
        setErrors({ ...(fields.receipt ? { receipt: fields.receipt } : {}), ...(fields.phone ? { phone: fields.phone } : {}) })
      else setErrors({ form: describeError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="recover-title" className="flex flex-col gap-4">
      <BackLink onBack={onBack} />
      <h1 id="recover-title" className="text-2xl font-bold">
        {t('recover.title')}
      </h1>
      <p className="text-slate-300">{t('recover.body')}</p>
      <GlassPanel>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <TextField
            label={t('recover.receipt')}
            hint={t('recover.receiptHint')}
            error={errors.receipt}
            name="receipt"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            placeholder="UKQ7RT61SV"
            value={receipt}
            onChange={(e) => setReceipt(e.target.value)}
            maxLength={12}
          />
          <p className="text-center text-sm text-muted" aria-hidden="true">
            — {t('recover.or')} —
          </p>
          <PhoneField label={t('recover.phone')} error={errors.phone} value={phone} onChange={(e) => setPhone(e.target.value)} />
          <SubmitRow error={errors.form} busy={busy}>
            {t('recover.submit')}
          </SubmitRow>
        </form>
      </GlassPanel>
      {answer?.status === 'VERIFYING' && (
        <Notice>
          <span className="flex items-start gap-3">
            <Spinner className="mt-0.5 size-4 shrink-0" /> {t('recover.checking')}
          </span>
        </Notice>
      )}
      {answer?.status === 'UNDER_REVIEW' && (
        <Notice tone="warning" title={t('recover.review', { isp: ispName })}>
          {t('recover.reviewNext')}
        </Notice>
      )}
      {answer?.status === 'FAILED' && (
        <Notice tone="error" title={t('recover.failed')}>
          {answer.message}
        </Notice>
      )}
      {answer?.status === 'ACTIVATED' && <Notice tone="success">{t('recover.activated')}</Notice>}
    </section>
  )
}
