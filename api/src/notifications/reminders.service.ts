/**
 * Expiry reminders, derived from each user's current expiry instead of stored as future jobs: every minute the
 * worker writes the reminders that fell due since the last run (expiry − offset ≤ now, per the tenant's offsets,
 * 3 d / 1 d / 1 h by default) and the "expired" message once expiry passes. The idempotency key holds the expiry
 * instant and the offset, so each is written once; when the plan is extended the expiry changes, the old
 * reminder times stop matching and new ones apply ("moved"); a suspended, archived or expiry-less user matches
 * nothing ("dropped"), and a reminder still held by quiet hours is cancelled when it would be sent
 * (deliver.service.ts).
 *
 * An offset as long as the user's plan or longer is skipped, so buying a one-hour plan does not at once announce
 * "one hour left" (nor a one-day plan "one day left"). Due times older than NOTIFY_REMINDER_LOOKBACK_MS are not
 * written any more (the worker was down longer than that).
 */
import { sql } from 'kysely'
import { formatDateTime, formatDuration } from './format.js'
import { nowOf, type NotificationsContext } from './context.js'
import { DEFAULT_NOTIFICATION_SETTINGS, notify } from './notify.js'

interface DueRow {
  user_id: string
  tenant_id: string
  phone_number: string | null
  email: string | null
  expiry_time: Date
  offset_s: number | null
  plan_name: string | null
  timezone: string
  subdomain: string
}

/** What one run wrote. */
export interface ReminderRun {
  readonly expiring: number
  readonly expired: number
}

/** Writes every reminder and expiry notice due at the context's `now`. */
export async function writeDueReminders(ctx: NotificationsContext): Promise<ReminderRun> {
  const now = nowOf(ctx)
  const since = new Date(now.getTime() - ctx.config.NOTIFY_REMINDER_LOOKBACK_MS)
  const defaults = sql.raw(`'{${DEFAULT_NOTIFICATION_SETTINGS.reminder_offsets_seconds.join(',')}}'::integer[]`)
  // Across tenants on purpose: the worker serves them all; each row carries its tenant.
  const expiring = await sql<DueRow>`
    SELECT u.id AS user_id, u.tenant_id, u.phone_number, u.email, u.expiry_time, o.offset_s, p.name AS plan_name, t.timezone, t.subdomain
    FROM wifi_users u
    JOIN tenants t ON t.id = u.tenant_id
    LEFT JOIN notification_settings s ON s.tenant_id = u.tenant_id
    CROSS JOIN LATERAL unnest(coalesce(s.reminder_offsets_seconds, ${defaults})) AS o(offset_s)
    LEFT JOIN plans p ON p.tenant_id = u.tenant_id AND p.id = u.current_plan_id
    WHERE u.status = 'ACTIVE' AND u.archived_at IS NULL AND u.expiry_time > ${now}
      AND u.expiry_time - make_interval(secs => o.offset_s) <= ${now}
      AND u.expiry_time - make_interval(secs => o.offset_s) > ${since}
      AND (p.duration_seconds IS NULL OR o.offset_s < p.duration_seconds)
    ORDER BY u.expiry_time, o.offset_s DESC
    LIMIT 5000`.execute(ctx.db)
  const expired = await sql<DueRow>`
    SELECT u.id AS user_id, u.tenant_id, u.phone_number, u.email, u.expiry_time, NULL::integer AS offset_s, p.name AS plan_name, t.timezone, t.subdomain
    FROM wifi_users u
    JOIN tenants t ON t.id = u.tenant_id
    LEFT JOIN plans p ON p.tenant_id = u.tenant_id AND p.id = u.current_plan_id
    WHERE u.status = 'ACTIVE' AND u.archived_at IS NULL
      AND u.expiry_time <= ${now} AND u.expiry_time > ${since}
    ORDER BY u.expiry_time
    LIMIT 5000`.execute(ctx.db)
  let written = { expiring: 0, expired: 0 }
  for (const r of expiring.rows) {
    const rows = await notify(ctx.db, {
      tenantId: r.tenant_id, type: 'plan.expiring', key: `plan-expiring:${r.user_id}:${r.expiry_time.getTime()}:${r.offset_s}`,
      userId: r.user_id, to: { phone: r.phone_number },
      vars: (language) => ({
        plan: r.plan_name ?? '', timeLeft: formatDuration(r.offset_s!, language), expires: formatDateTime(r.expiry_time, r.timezone),
        portalUrl: portalUrl(ctx.config.PUBLIC_BASE_URL, r.subdomain),
      }),
      data: { expiresAt: r.expiry_time.toISOString(), offsetSeconds: r.offset_s },
    }, { now })
    if (rows.length) written = { ...written, expiring: written.expiring + 1 }
  }
  for (const r of expired.rows) {
    const rows = await notify(ctx.db, {
      tenantId: r.tenant_id, type: 'plan.expired', key: `plan-expired:${r.user_id}:${r.expiry_time.getTime()}`,
      userId: r.user_id, to: { phone: r.phone_number },
      vars: { plan: r.plan_name ?? '', portalUrl: portalUrl(ctx.config.PUBLIC_BASE_URL, r.subdomain) },
      data: { expiresAt: r.expiry_time.toISOString() },
    }, { now })
    if (rows.length) written = { ...written, expired: written.expired + 1 }
  }
  return written
}

/** The tenant's captive portal (served by the API at /portal/<subdomain>/). */
export function portalUrl(publicBaseUrl: string, subdomain: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/portal/${subdomain}/`
}
