/**
 * Templates: `{{variable}}` placeholders, the built-in English and Swahili texts, validation when a tenant saves
 * its own, and rendering. A template is only ever saved after validation, so rendering cannot meet an unknown
 * variable; a missing value renders as an empty string rather than failing a payment's transaction.
 */
import type { NotificationLanguage } from '@mnetifi/db'
import { NOTIFICATION_EVENTS, type NotificationEventType } from './events.js'

/** The languages every built-in template exists in. */
export const NOTIFICATION_LANGUAGES = Object.freeze(['en', 'sw'] as const satisfies readonly NotificationLanguage[])

/** A template's text. `subject` only for e-mail events. */
export interface TemplateText {
  readonly subject: string | null
  readonly body: string
}

const m = (body: string): TemplateText => ({ subject: null, body })

/** The built-in templates a tenant starts with. */
export const DEFAULT_TEMPLATES: Readonly<Record<NotificationEventType, Readonly<Record<NotificationLanguage, TemplateText>>>> = Object.freeze({
  'payment.confirmed': {
    en: m('{{isp}}: payment of {{amount}} received (M-Pesa {{receipt}}). {{plan}} is active until {{expires}}.'),
    sw: m('{{isp}}: malipo ya {{amount}} yamepokelewa (M-Pesa {{receipt}}). {{plan}} kinatumika hadi {{expires}}.'),
  },
  'payment.failed': {
    en: m('{{isp}}: your payment of {{amount}} for {{plan}} did not go through ({{reason}}). Please try again.'),
    sw: m('{{isp}}: malipo yako ya {{amount}} kwa {{plan}} hayakufaulu ({{reason}}). Tafadhali jaribu tena.'),
  },
  'plan.expiring': {
    en: m('{{isp}}: your {{plan}} ends in {{timeLeft}} ({{expires}}). Renew at {{portalUrl}}'),
    sw: m('{{isp}}: kifurushi chako {{plan}} kitaisha baada ya {{timeLeft}} ({{expires}}). Ongeza kupitia {{portalUrl}}'),
  },
  'plan.expired': {
    en: m('{{isp}}: your {{plan}} has ended. Buy again at {{portalUrl}}'),
    sw: m('{{isp}}: kifurushi chako {{plan}} kimeisha. Nunua tena kupitia {{portalUrl}}'),
  },
  'voucher.redeemed': {
    en: m('{{isp}}: voucher {{code}} activated {{plan}} until {{expires}}.'),
    sw: m('{{isp}}: vocha {{code}} imewasha {{plan}} hadi {{expires}}.'),
  },
  'otp.code': {
    en: m('{{code}} is your {{isp}} login code. It expires in {{minutes}} minutes. Do not share it.'),
    sw: m('{{code}} ni nambari yako ya kuingia {{isp}}. Itaisha baada ya dakika {{minutes}}. Usimpe mtu yeyote.'),
  },
  'ticket.updated': {
    en: m('{{isp}}: your support ticket "{{ticket}}" is now {{status}}.'),
    sw: m('{{isp}}: tiketi yako ya msaada "{{ticket}}" sasa {{status}}.'),
  },
  'payment.receipt': {
    en: { subject: 'Receipt {{receiptNumber}} - {{plan}}', body: 'Thank you for your payment of {{amount}} (M-Pesa {{receipt}}). Your receipt is attached.\n\n{{isp}}' },
    sw: { subject: 'Risiti {{receiptNumber}} - {{plan}}', body: 'Asante kwa malipo yako ya {{amount}} (M-Pesa {{receipt}}). Risiti yako imeambatishwa.\n\n{{isp}}' },
  },
  'isp.invoice': {
    en: { subject: 'MnetiFi invoice {{invoiceNumber}} for {{period}}', body: 'Dear {{isp}},\n\nYour MnetiFi invoice {{invoiceNumber}} for {{period}} is attached: {{amount}}, due {{dueDate}}.\n\nMnetiFi' },
    sw: { subject: 'Ankara ya MnetiFi {{invoiceNumber}} ya {{period}}', body: 'Mpendwa {{isp}},\n\nAnkara yako ya MnetiFi {{invoiceNumber}} ya {{period}} imeambatishwa: {{amount}}, inalipwa kabla ya {{dueDate}}.\n\nMnetiFi' },
  },
  'router.silent': {
    en: {
      subject: 'Router {{router}} is not answering',
      body: 'Dear {{isp}},\n\nMnetiFi has not been able to reach your router {{router}} since {{since}} ({{reason}}). Customers on it may be offline.\n\nCheck its power and internet link. Its page in the MnetiFi dashboard shows the tunnel, the last login and the last accounting.\n\nMnetiFi',
    },
    sw: {
      subject: 'Ruta {{router}} haijibu',
      body: 'Mpendwa {{isp}},\n\nMnetiFi haijaweza kufikia ruta yako {{router}} tangu {{since}} ({{reason}}). Wateja walio kwenye ruta hiyo huenda hawana mtandao.\n\nAngalia umeme na muunganisho wake wa intaneti. Ukurasa wake kwenye dashibodi ya MnetiFi unaonyesha tunnel, kuingia kwa mwisho na accounting ya mwisho.\n\nMnetiFi',
    },
  },
})

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g

/** One problem with a template, with where it is (for the API's `details`). */
export interface TemplateIssue {
  readonly path: string
  readonly message: string
}

/** The variables a text uses, in order of first use. */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((x) => x[1]!))]
}

function checkText(field: string, text: string, allowed: readonly string[]): TemplateIssue[] {
  const issues: TemplateIssue[] = []
  // Braces left after removing well-formed placeholders are a typo such as "{{amount}" or "{amount}}".
  const rest = text.replace(PLACEHOLDER, '')
  if (/[{}]/.test(rest)) issues.push({ path: field, message: 'has an unbalanced "{{" or "}}"; write variables as {{name}}' })
  for (const v of templateVariables(text)) {
    if (!allowed.includes(v)) issues.push({ path: field, message: `unknown variable {{${v}}}; this event has ${allowed.map((a) => `{{${a}}}`).join(', ')}` })
  }
  return issues
}

/** Checks a tenant's template for `event`; an empty list means it may be saved. */
export function validateTemplate(event: NotificationEventType, text: TemplateText): TemplateIssue[] {
  const spec = NOTIFICATION_EVENTS[event]
  const issues = checkText('body.body', text.body, spec.variables)
  if (text.body.trim() === '') issues.push({ path: 'body.body', message: 'must not be empty' })
  if (spec.kind === 'email') {
    if (!text.subject?.trim()) issues.push({ path: 'body.subject', message: 'e-mail templates need a subject' })
    else issues.push(...checkText('body.subject', text.subject, spec.variables))
  } else if (text.subject) {
    issues.push({ path: 'body.subject', message: 'only e-mail templates have a subject' })
  }
  const used = new Set([...templateVariables(text.body), ...templateVariables(text.subject ?? '')])
  for (const r of spec.required) if (!used.has(r)) issues.push({ path: 'body.body', message: `must contain {{${r}}}` })
  return issues
}

/** Fills `{{name}}` placeholders from `vars`. */
export function renderText(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '')
}
