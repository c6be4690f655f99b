/**
 * A returning customer on a new device signs in with a one-time code: their phone → a 6-digit SMS (5 minutes,
 * a few tries) → the device's hotspot login while their plan runs. The API answers the same for numbers it does
 * not know, so this screen never tells a stranger whether a number is a customer.
 */
import { useState, type FormEvent } from 'react'
import { Button, GlassPanel, Notice, TextField } from '@mnetifi/ui'
import { isApiError } from '@mnetifi/ui/api'
import { formatPhoneKE, tryNormalizePhoneKE, type MsisdnKE } from '@mnetifi/db/domain'
import { requestLoginCode, verifyLoginCode } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import { describeError } from '../../lib/describe-error.js'
import type { RouterLogin } from '../../lib/purchase-flow.js'
import { BackLink } from './back-link.js'
import { PhoneField, SubmitRow } from '../../components/form-parts.js'

export function CodeScreen({
  subdomain,
  mac,
  onSignedIn,
  onBack,
}: {
  readonly subdomain: string
  readonly mac: string | null
  readonly onSignedIn: (login: RouterLogin, expiresAt: string) => void
  readonly onBack: () => void
}) {
  const { t, lang } = useI18n()
  const [phone, setPhone] = useState('')
  const [sentTo, setSentTo] = useState<MsisdnKE | null>(null)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<{ phone?: string; code?: string; form?: string }>({})
  const [noPlan, setNoPlan] = useState<string | null>(null)

  const send = async (e?: FormEvent) => {
    e?.preventDefault()
    const normalised = tryNormalizePhoneKE(phone)
    if (!normalised) return setErrors({ phone: t('phone.invalid') })
    setErrors({})
    setBusy(true)
    try {
      await requestLoginCode(subdomain, { phone: normalised, language: lang })
      setSentTo(normalised)
      setCode('')
    } catch (err) {
      setErrors(isApiError(err) && err.code === 'INVALID_PHONE' ? { phone: t('phone.invalid') } : { form: describeError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  const verify = async (e: FormEvent) => {
    e.preventDefault()
    if (!/^\d{6}$/.test(code.trim())) return setErrors({ code: t('code.invalid') })
    setErrors({})
    setBusy(true)
    try {
      const answer = await verifyLoginCode(subdomain, { phone: sentTo!, code: code.trim(), ...(mac ? { mac } : {}) })
      if (answer.login && answer.expiresAt) onSignedIn(answer.login, answer.expiresAt)
      else setNoPlan(answer.message)
    } catch (err) {
      if (isApiError(err) && err.code === 'INVALID_CREDENTIALS') {
        const left = (err.details as { attemptsLeft?: number } | undefined)?.attemptsLeft
        setErrors({ code: left ? t('code.wrong', { left: String(left) }) : t('code.expired') })
      } else setErrors({ form: describeError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="code-title" className="flex flex-col gap-4">
      <BackLink onBack={onBack} />
      <h1 id="code-title" className="text-2xl font-bold">
        {t('code.title')}
      </h1>
      <p className="text-slate-300">{sentTo ? t('code.sent', { phone: formatPhoneKE(sentTo) }) : t('code.body')}</p>
      <GlassPanel>
        {!sentTo ? (
          <form className="flex flex-col gap-4" onSubmit={send} noValidate>
            <PhoneField label={t('code.phone')} error={errors.phone} value={phone} onChange={(e) => setPhone(e.target.value)} />
            <SubmitRow error={errors.form} busy={busy}>
              {t('code.send')}
            </SubmitRow>
          </form>
        ) : (
          <form className="flex flex-col gap-4" onSubmit={verify} noValidate>
            <TextField
              label={t('code.label')}
              hint={t('code.hint')}
              error={errors.code}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              className="[&_input]:tracking-[0.4em]"
            />
            <SubmitRow error={errors.form} busy={busy}>
              {t('code.verify')}
            </SubmitRow>
            <Button variant="link" onClick={() => void send()} disabled={busy}>
              {t('code.resend')}
            </Button>
          </form>
        )}
      </GlassPanel>
      {noPlan && <Notice tone="info">{noPlan}</Notice>}
    </section>
  )
}
