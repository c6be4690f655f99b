/**
 * Sending one outbox row, at most once: the row is locked (FOR UPDATE SKIP LOCKED) for the provider call and
 * must still be QUEUED, so two workers or a retried job never send it twice; the outcome is written in the same
 * transaction. A transient failure leaves it QUEUED (the job retries with backoff, and a lost job is enqueued
 * again by the dispatcher), so nothing is lost while a provider is down — until NOTIFY_GIVE_UP_AFTER_MS, when it
 * fails for good with the last reason. The one window for a duplicate is a worker killed after the provider
 * accepted and before the commit: the provider has no idempotency key to prevent that.
 */
import {
  SecretBoxError, findNotificationSettings, findTenantById, findWifiUserById, lockQueuedNotificationAcrossTenants, updateNotification,
  type Executor, type NotificationOutboxRow, type NotificationUpdate,
} from '@mnetifi/db'
import { nowOf, type NotificationsContext } from './context.js'
import type { SendOutcome } from './transports/transport.js'

/** What one delivery attempt did. */
export type DeliveryResult =
  | { readonly kind: 'skipped'; readonly why: string }
  /** The row is QUEUED but locked by another transaction. */
  | { readonly kind: 'busy' }
  | { readonly kind: 'cancelled'; readonly why: string }
  | { readonly kind: 'sent' | 'failed'; readonly row: NotificationOutboxRow }
  | { readonly kind: 'retry'; readonly row: NotificationOutboxRow; readonly reason: string }

/** Thrown after a transient failure so that BullMQ retries the job. */
export class TransientDeliveryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TransientDeliveryError'
  }
}

/** Tries to send outbox row `id` now. */
export async function deliverNotification(ctx: NotificationsContext, id: string): Promise<DeliveryResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockQueuedNotificationAcrossTenants(trx, id)
    if (!row) {
      // Locked by someone else while still QUEUED (another worker sending it, or a brief UPDATE): try again
      // shortly, since that holder may yet fail. Not QUEUED any more: done, nothing to send.
      const current = await trx.selectFrom('notification_outbox').select('status').where('id', '=', id).executeTakeFirst()
      return current?.status === 'QUEUED' ? { kind: 'busy' } : { kind: 'skipped', why: current ? `already ${current.status}` : 'no such message' }
    }
    const now = nowOf(ctx)
    if (row.send_after > now) {
      // Too early (quiet hours moved it after the job was made): the dispatcher hands it over again when due.
      await updateNotification(trx, row.tenant_id, row.id, { enqueued_at: null })
      return { kind: 'skipped', why: 'not due yet' }
    }
    const stale = await staleReminderReason(trx, row, now)
    if (stale) {
      await updateNotification(trx, row.tenant_id, row.id, { status: 'CANCELLED', last_error: stale })
      return { kind: 'cancelled', why: stale }
    }
    const tenant = await findTenantById(trx, row.tenant_id)
    if (!tenant) return { kind: 'skipped', why: 'tenant gone' }
    const settings = await findNotificationSettings(trx, row.tenant_id)
    let outcome: SendOutcome
    try {
      outcome = await ctx.transports[row.channel].send(row, { db: trx, tenant, settings, secretBox: ctx.secretBox })
    } catch (err) {
      // A stored key that does not open will not open on the next try either; anything else may be passing.
      const reason = err instanceof Error ? err.message : String(err)
      outcome = err instanceof SecretBoxError ? { kind: 'failed', provider: 'mnetifi', reason } : { kind: 'retry', provider: 'mnetifi', reason }
      ctx.log.warn({ err, notificationId: row.id, channel: row.channel }, 'notification sender threw')
    }
    const update = { ...applyOutcome(row, outcome, now, ctx.config.NOTIFY_GIVE_UP_AFTER_MS), ...scrubbedCode(row, outcome) }
    const after = (await updateNotification(trx, row.tenant_id, row.id, update))!
    ctx.log.info({ notificationId: row.id, tenantId: row.tenant_id, channel: row.channel, event: row.event, outcome: outcome.kind, status: after.status }, 'notification delivery attempt')
    if (outcome.kind === 'retry' && after.status === 'QUEUED') return { kind: 'retry', row: after, reason: outcome.reason }
    return { kind: after.status === 'FAILED' ? 'failed' : 'sent', row: after }
  })
}

/** The row change an outcome makes. */
export function applyOutcome(row: NotificationOutboxRow, outcome: SendOutcome, now: Date, giveUpAfterMs: number): NotificationUpdate {
  const base: NotificationUpdate = {
    attempts: row.attempts + 1, enqueued_at: now, provider: outcome.provider,
    provider_status_code: outcome.statusCode ?? null, provider_status: outcome.status ?? null,
  }
  switch (outcome.kind) {
    case 'sent':
      return {
        ...base, status: 'SENT', sent_at: now, last_error: null, provider_message_id: outcome.providerMessageId,
        cost_e4: outcome.costE4 ?? null, cost_currency: outcome.costCurrency ?? null,
      }
    case 'failed':
      return { ...base, status: 'FAILED', failed_at: now, last_error: outcome.reason }
    case 'retry':
      if (now.getTime() - row.send_after.getTime() >= giveUpAfterMs) {
        return { ...base, status: 'FAILED', failed_at: now, last_error: `gave up after ${row.attempts + 1} attempts: ${outcome.reason}` }
      }
      return { ...base, last_error: outcome.reason }
  }
}

/**
 * Why a reminder no longer applies, or undefined: its plan was extended (the user's expiry moved) or cancelled
 * (no expiry, suspended, archived) after it was written. Other events always go.
 */
async function staleReminderReason(db: Executor, row: NotificationOutboxRow, now: Date): Promise<string | undefined> {
  if (row.event !== 'plan.expiring' && row.event !== 'plan.expired') return undefined
  const expiresAt = (row.payload as { expiresAt?: string }).expiresAt
  const user = row.user_id ? await findWifiUserById(db, row.tenant_id, row.user_id) : undefined
  if (!user || !user.expiry_time || user.status !== 'ACTIVE' || user.archived_at) return 'the plan was cancelled'
  if (user.expiry_time.toISOString() !== expiresAt) return 'the plan was extended'
  if (row.event === 'plan.expiring' && user.expiry_time <= now) return 'the plan ended before the reminder could go out'
  return undefined
}

/**
 * A login code is kept in clear only until it has gone out (or cannot): then the body and payload keep no trace
 * of it, so the outbox never becomes a list of valid codes.
 */
function scrubbedCode(row: NotificationOutboxRow, outcome: SendOutcome): NotificationUpdate {
  const code = (row.payload as { code?: string }).code
  if (row.event !== 'otp.code' || !code || outcome.kind === 'retry') return {}
  return { body: row.body.split(code).join('******'), payload: JSON.stringify({ ...(row.payload as object), code: '******' }) }
}
