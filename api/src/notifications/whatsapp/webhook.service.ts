/**
 * What a WhatsApp webhook delivery (already signature-checked) does for its tenant (digest §3.3): each inbound
 * message from the tenant's own number gets the bot's answer, written to the outbox (sent by the worker, visible
 * in the API, keyed by the inbound message id so Meta's redeliveries answer once); each status update moves the
 * matching outbox row (delivered/read → DELIVERED, failed → FAILED with Meta's error). The customer is found by
 * the sender's phone within the tenant whose number received the message; a recognised command also remembers
 * the customer's language.
 */
import { z } from 'zod'
import { tryNormalizePhoneKE } from '@mnetifi/db/domain'
import {
  enqueueNotification, findNotificationByProviderMessageId, findWifiUserNotificationPrefs, updateNotification, upsertWifiUserNotificationPrefs,
  type Executor, type NotificationLanguage, type NotificationSettingsRow, type TenantRow,
} from '@mnetifi/db'
import { formatDateTime } from '../format.js'
import { botAnswer, parseCommand } from './bot.js'
import { WHATSAPP, WHATSAPP_REPLY_EVENT } from './whatsapp-transport.js'

const InboundSchema = z.object({
  from: z.string().max(32), id: z.string().max(256), type: z.string().max(32),
  text: z.object({ body: z.string().max(4096) }).optional(),
  button: z.object({ text: z.string().max(256) }).optional(),
  interactive: z.object({
    button_reply: z.object({ title: z.string().max(256) }).optional(),
    list_reply: z.object({ title: z.string().max(256) }).optional(),
  }).optional(),
})
const StatusSchema = z.object({
  id: z.string().max(256), status: z.string().max(32),
  errors: z.array(z.object({ code: z.number().int(), title: z.string().max(512).optional(), message: z.string().max(1024).optional() })).optional(),
})
/** The envelope of every webhook delivery. */
export const WebhookSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({
    changes: z.array(z.object({
      field: z.string(),
      value: z.object({
        metadata: z.object({ phone_number_id: z.string() }).optional(),
        messages: z.array(InboundSchema).optional(),
        statuses: z.array(StatusSchema).optional(),
      }),
    })),
  })),
})
export type WebhookPayload = z.infer<typeof WebhookSchema>

/** What a delivery did. */
export interface WebhookOutcome {
  readonly answered: number
  readonly statuses: number
  readonly ignored: number
}

/** Applies a verified delivery for the tenant owning `settings`. */
export async function handleWhatsappWebhook(
  db: Executor, tenant: TenantRow, settings: NotificationSettingsRow, payload: WebhookPayload, opts: { now: Date; portalUrl: string },
): Promise<WebhookOutcome> {
  let answered = 0
  let statuses = 0
  let ignored = 0
  for (const change of payload.entry.flatMap((e) => e.changes)) {
    // Only what reached this tenant's own number counts (one app may serve several numbers).
    if (change.field !== 'messages' || change.value.metadata?.phone_number_id !== settings.whatsapp_phone_number_id) {
      ignored++
      continue
    }
    for (const m of change.value.messages ?? []) {
      if (await answer(db, tenant, settings, m, opts)) answered++
    }
    for (const s of change.value.statuses ?? []) {
      if (await applyStatus(db, tenant.id, s, opts.now)) statuses++
    }
  }
  return { answered, statuses, ignored }
}

async function answer(
  db: Executor, tenant: TenantRow, settings: NotificationSettingsRow, m: z.infer<typeof InboundSchema>, opts: { now: Date; portalUrl: string },
): Promise<boolean> {
  const phone = tryNormalizePhoneKE(m.from) ?? m.from
  const text = m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? ''
  const { command, language: spoken } = parseCommand(text)
  const user = await db.selectFrom('wifi_users').leftJoin('plans', (j) => j.onRef('plans.id', '=', 'wifi_users.current_plan_id').onRef('plans.tenant_id', '=', 'wifi_users.tenant_id'))
    .select(['wifi_users.id', 'wifi_users.expiry_time', 'plans.name as plan_name'])
    .where('wifi_users.tenant_id', '=', tenant.id).where('wifi_users.phone_number', '=', phone)
    .where('wifi_users.status', '=', 'ACTIVE').where('wifi_users.archived_at', 'is', null)
    .orderBy('wifi_users.expiry_time', (ob) => ob.desc().nullsLast()).limit(1).executeTakeFirst()
  const remembered = user ? (await findWifiUserNotificationPrefs(db, tenant.id, user.id))?.language : undefined
  const language: NotificationLanguage = spoken ?? remembered ?? settings.default_language
  if (user && spoken && spoken !== remembered) await upsertWifiUserNotificationPrefs(db, tenant.id, user.id, { language: spoken })
  const b = tenant.branding_config
  const running = user?.expiry_time && user.expiry_time > opts.now
  const body = botAnswer(command, language, {
    isp: b.name ?? tenant.name, portalUrl: opts.portalUrl, contact: [b.supportPhone, b.supportEmail].filter(Boolean).join(' / ') || null,
    ...(user ? { customer: { plan: running ? user.plan_name : null, expires: running ? formatDateTime(user.expiry_time!, tenant.timezone) : null } } : {}),
  })
  const row = await enqueueNotification(db, {
    tenant_id: tenant.id, channel: 'WHATSAPP', recipient: phone, event: WHATSAPP_REPLY_EVENT, template: WHATSAPP_REPLY_EVENT,
    user_id: user?.id ?? null, language, dedupe_key: `wa-reply:${m.id}`, body,
    payload: JSON.stringify({ replyTo: m.id, inbound: text.slice(0, 500), command }),
  })
  return row !== undefined
}

async function applyStatus(db: Executor, tenantId: string, s: z.infer<typeof StatusSchema>, now: Date): Promise<boolean> {
  const row = await findNotificationByProviderMessageId(db, tenantId, WHATSAPP, s.id)
  if (!row) return false
  // Statuses arrive out of order and more than once: a final state stays final.
  if (row.status === 'DELIVERED' || row.status === 'FAILED') return false
  if (s.status === 'delivered' || s.status === 'read') {
    await updateNotification(db, tenantId, row.id, { status: 'DELIVERED', delivered_at: now, provider_status: s.status })
  } else if (s.status === 'failed') {
    const e = s.errors?.[0]
    await updateNotification(db, tenantId, row.id, {
      status: 'FAILED', failed_at: now, provider_status: 'failed', ...(e ? { provider_status_code: e.code } : {}),
      last_error: e ? `${e.code} ${e.title ?? e.message ?? ''}`.trim() : 'failed',
    })
  } else {
    await updateNotification(db, tenantId, row.id, { provider_status: s.status })
  }
  return true
}
