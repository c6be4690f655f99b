/**
 * The ISP's settings: name, time zone and portal branding with a live preview of the captive portal, and the
 * M-Pesa (Daraja) credentials — write-only: once saved they are stored encrypted and never shown again.
 */
import { useState, type CSSProperties, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Button, GlassPanel, Notice, SelectField, Spinner, TextField } from '@mnetifi/ui'
import { fieldErrors, unwrap } from '@mnetifi/ui/api'
import { api } from '../api/client.js'
import { keys, useTenant } from '../api/queries.js'
import { FormError } from '../components/form-error.js'
import { PageHeader, Section } from '../components/page.js'
import { useToast } from '../components/toast.js'

type Tenant = NonNullable<ReturnType<typeof useTenant>['data']>
const TIME_ZONES = [
  'Africa/Nairobi',
  'Africa/Kampala',
  'Africa/Dar_es_Salaam',
  'Africa/Kigali',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'UTC',
]

export function SettingsPage() {
  const tenant = useTenant()
  if (!tenant.data)
    return tenant.error ? (
      <Notice tone="error">{tenant.error.message}</Notice>
    ) : (
      <div className="grid place-items-center py-24" role="status">
        <Spinner className="size-8" />
      </div>
    )
  return (
    <>
      <PageHeader title="Settings" subtitle={`${tenant.data.name} · portal at /portal/${tenant.data.subdomain}/`} />
      <div className="grid gap-4 xl:grid-cols-2">
        <BrandingForm tenant={tenant.data} />
        <MpesaForm tenant={tenant.data} />
      </div>
    </>
  )
}

function BrandingForm({ tenant }: { tenant: Tenant }) {
  const qc = useQueryClient()
  const toast = useToast()
  const b = tenant.branding
  const [f, setF] = useState({
    name: tenant.name,
    timezone: tenant.timezone,
    brandName: b.name ?? '',
    logoUrl: b.logoUrl ?? '',
    primaryColor: b.primaryColor ?? '#06b6d4',
    accentColor: b.accentColor ?? '#3b82f6',
    supportPhone: b.supportPhone ?? '',
    supportEmail: b.supportEmail ?? '',
  })
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/tenant', {
          body: {
            name: f.name,
            timezone: f.timezone,
            branding: {
              ...(f.brandName ? { name: f.brandName } : {}),
              ...(f.logoUrl ? { logoUrl: f.logoUrl } : {}),
              primaryColor: f.primaryColor,
              accentColor: f.accentColor,
              ...(f.supportPhone ? { supportPhone: f.supportPhone } : {}),
              ...(f.supportEmail ? { supportEmail: f.supportEmail } : {}),
            },
          },
        }),
      ),
    onSuccess: async (t) => {
      qc.setQueryData(keys.tenant, t)
      await qc.invalidateQueries({ queryKey: ['dashboard'] })
      toast('Settings saved')
    },
  })
  const errors = fieldErrors(save.error)
  const text = (k: keyof typeof f) => ({
    value: f[k],
    onChange: (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value })),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Section title="Business and portal branding">
      <form onSubmit={submit} noValidate>
        <FormError error={save.error} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Business name" {...text('name')} error={errors.name} />
          <SelectField label="Time zone" {...text('timezone')} error={errors.timezone} hint="reports count days on this clock">
            {TIME_ZONES.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </SelectField>
          <TextField label="Name on the portal" {...text('brandName')} error={errors['branding.name']} placeholder={tenant.name} />
          <TextField label="Logo URL" type="url" {...text('logoUrl')} error={errors['branding.logoUrl']} placeholder="https://…/logo.png" />
          <ColorField
            label="Primary colour"
            value={f.primaryColor}
            onChange={(v) => setF((x) => ({ ...x, primaryColor: v }))}
            error={errors['branding.primaryColor']}
          />
          <ColorField
            label="Accent colour"
            value={f.accentColor}
            onChange={(v) => setF((x) => ({ ...x, accentColor: v }))}
            error={errors['branding.accentColor']}
          />
          <TextField
            label="Support phone"
            inputMode="tel"
            {...text('supportPhone')}
            error={errors['branding.supportPhone']}
            placeholder="0700 000 000"
          />
          <TextField label="Support e-mail" type="email" {...text('supportEmail')} error={errors['branding.supportEmail']} />
        </div>
        <p className="mt-5 mb-2 text-sm font-medium text-slate-200">Preview of your captive portal</p>
        <PortalPreview name={f.brandName || f.name} logoUrl={f.logoUrl} from={f.primaryColor} to={f.accentColor} phone={f.supportPhone} />
        <div className="mt-5 flex justify-end">
          <Button type="submit" busy={save.isPending}>
            Save settings
          </Button>
        </div>
      </form>
    </Section>
  )
}

function ColorField({
  label,
  value,
  onChange,
  error,
}: {
  label: string
  value: string
  onChange: (v: string) => void
  error?: string | undefined
}) {
  return (
    <div className="flex items-end gap-2">
      <TextField label={label} value={value} onChange={(e) => onChange(e.target.value)} error={error} className="flex-1" />
      <input
        type="color"
        aria-label={`${label} picker`}
        value={/^#[0-9a-f]{6}$/i.test(value) ? value : '#06b6d4'}
        onChange={(e) => onChange(e.target.value)}
        className="mb-1 size-11 cursor-pointer rounded-xl border border-white/15 bg-transparent"
      />
    </div>
  )
}

/** A scaled-down portal drawn with the same tokens: the brand colours feed the same CSS variables the portal uses. */
function PortalPreview({ name, logoUrl, from, to, phone }: { name: string; logoUrl: string; from: string; to: string; phone: string }) {
  const style = { '--brand-from': from, '--brand-to': to } as CSSProperties
  return (
    <div data-testid="portal-preview" style={style} className="mesh-bg overflow-hidden rounded-3xl border border-white/10 p-4">
      <div className="mx-auto max-w-xs">
        <div className="mb-3 flex items-center gap-2">
          {logoUrl ? (
            <img src={logoUrl} alt="" className="size-8 rounded-lg object-cover" />
          ) : (
            <span className="accent-ink size-8 rounded-lg" />
          )}
          <span className="font-semibold">{name}</span>
        </div>
        <GlassPanel padding="md">
          <p className="text-sm text-muted">Daily · 5 Mbps</p>
          <p className="text-2xl font-bold">KES 50</p>
          <span className="accent-ink mt-3 block rounded-2xl py-2 text-center text-sm font-semibold text-white">Buy with M-Pesa</span>
        </GlassPanel>
        {phone && <p className="mt-2 text-center text-xs text-muted">Need help? Call {phone}</p>}
      </div>
    </div>
  )
}

function MpesaForm({ tenant }: { tenant: Tenant }) {
  const qc = useQueryClient()
  const toast = useToast()
  const empty = {
    shortcode: tenant.mpesa.shortcode ?? '',
    environment: tenant.mpesa.environment,
    transactionType: tenant.mpesa.transactionType || 'CustomerPayBillOnline',
    consumerKey: '',
    consumerSecret: '',
    passkey: '',
    tillNumber: '',
  }
  const [f, setF] = useState(empty)
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/tenant/mpesa-credentials', {
          body: {
            shortcode: f.shortcode,
            environment: f.environment as 'simulator' | 'sandbox' | 'production',
            transactionType: f.transactionType as 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline',
            consumerKey: f.consumerKey,
            consumerSecret: f.consumerSecret,
            passkey: f.passkey,
            ...(f.tillNumber ? { tillNumber: f.tillNumber } : {}),
          },
        }),
      ),
    onSuccess: (t) => {
      qc.setQueryData(keys.tenant, t)
      // The secrets leave the page's memory at once.
      setF((x) => ({ ...x, consumerKey: '', consumerSecret: '', passkey: '' }))
      toast('M-Pesa credentials saved')
    },
  })
  const errors = fieldErrors(save.error)
  const text = (k: keyof typeof f) => ({
    value: f[k],
    onChange: (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value })),
  })
  const secret = {
    type: 'password',
    autoComplete: 'off',
    placeholder: tenant.mpesa.credentialsSet ? 'stored — type to replace' : '',
  } as const
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Section title="M-Pesa (Daraja)">
      <form onSubmit={submit} noValidate>
        <Notice tone={tenant.mpesa.credentialsSet ? 'success' : 'warning'} className="mb-4">
          {tenant.mpesa.credentialsSet
            ? 'Credentials are stored, encrypted. They are never shown back; enter all three secrets again to replace them.'
            : 'No credentials yet: customers cannot pay until you add your Daraja app’s keys.'}
        </Notice>
        <FormError error={save.error} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Paybill / store number" inputMode="numeric" {...text('shortcode')} error={errors.shortcode} />
          <SelectField label="Environment" {...text('environment')} error={errors.environment}>
            <option value="production">Production</option>
            <option value="sandbox">Sandbox</option>
            <option value="simulator">Simulator (testing)</option>
          </SelectField>
          <SelectField label="Type" {...text('transactionType')} error={errors.transactionType}>
            <option value="CustomerPayBillOnline">Paybill</option>
            <option value="CustomerBuyGoodsOnline">Buy Goods (till)</option>
          </SelectField>
          <TextField label="Till number" inputMode="numeric" {...text('tillNumber')} error={errors.tillNumber} hint="Buy Goods only" />
          <TextField label="Consumer key" {...secret} {...text('consumerKey')} error={errors.consumerKey} />
          <TextField label="Consumer secret" {...secret} {...text('consumerSecret')} error={errors.consumerSecret} />
          <TextField label="Passkey" {...secret} {...text('passkey')} error={errors.passkey} className="sm:col-span-2" />
        </div>
        <div className="mt-5 flex justify-end">
          <Button type="submit" variant="mpesa" busy={save.isPending}>
            Save M-Pesa credentials
          </Button>
        </div>
      </form>
    </Section>
  )
}
