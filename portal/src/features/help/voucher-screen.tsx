/** Voucher login: the printed code (and, optionally, the phone to credit) → the router login. */
import { useState, type FormEvent } from 'react'
import { GlassPanel, Notice, TextField } from '@mnetifi/ui'
import { fieldErrors, isApiError } from '@mnetifi/ui/api'
import { tryNormalizePhoneKE } from '@mnetifi/db/domain'
import { redeemVoucher } from '../../api/portal-api.js'
import { useI18n } from '../../i18n/index.js'
import { describeError } from '../../lib/describe-error.js'
import type { RouterLogin } from '../../lib/purchase-flow.js'
import { BackLink } from './back-link.js'
import { PhoneField, SubmitRow } from '../../components/form-parts.js'

export function VoucherScreen({
  subdomain,
  mac,
  onRedeemed,
  onBack,
}: {
  readonly subdomain: string
  readonly mac: string | null
  readonly onRedeemed: (login: RouterLogin, expiresAt: string) => void
  readonly onBack: () => void
}) {
  const { t } = useI18n()
  const [code, setCode] = useState('')
  const [phone, setPhone] = useState('')
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<{ code?: string; phone?: string; form?: string }>({})
  // A voucher that topped up an account the phone already had: the API keeps that account's password to itself.
  const [credited, setCredited] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const next: typeof errors = {}
    if (!code.trim()) next.code = t('voucher.invalid')
    if (phone.trim() && !tryNormalizePhoneKE(phone)) next.phone = t('phone.invalid')
    setErrors(next)
    if (Object.keys(next).length) return
    setBusy(true)
    try {
      const login = await redeemVoucher(subdomain, {
        code: code.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(mac ? { mac } : {}),
      })
      if (login.password === null) setCredited(true)
      else onRedeemed({ username: login.username, password: login.password }, login.expiresAt)
    } catch (err) {
      const fields = fieldErrors(err)
      if (fields.phone || (isApiError(err) && err.code === 'INVALID_PHONE')) setErrors({ phone: t('phone.invalid') })
      else if (fields.code || (isApiError(err) && (err.code === 'NOT_FOUND' || err.code === 'CONFLICT'))) {
        setErrors({ code: isApiError(err) && err.code === 'CONFLICT' ? err.message : t('voucher.invalid') })
      } else setErrors({ form: describeError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="voucher-title" className="flex flex-col gap-4">
      <BackLink onBack={onBack} />
      <h1 id="voucher-title" className="text-2xl font-bold">
        {t('voucher.title')}
      </h1>
      <p className="text-slate-300">{t('voucher.body')}</p>
      <GlassPanel>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <TextField
            label={t('voucher.code')}
            hint={t('voucher.codeHint')}
            error={errors.code}
            name="code"
            autoCapitalize="characters"
            autoComplete="one-time-code"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            maxLength={40}
          />
          <PhoneField
            label={t('voucher.phone')}
            hint={t('voucher.phoneHint')}
            error={errors.phone}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <SubmitRow error={errors.form} busy={busy}>
            {t('voucher.submit')}
          </SubmitRow>
        </form>
      </GlassPanel>
      {credited && (
        <Notice tone="success" title={t('voucher.credited')}>
          {t('voucher.creditedNext')}
        </Notice>
      )}
    </section>
  )
}
