/**
 * GET /api/reports/dashboard — everything the admin dashboard's first screen shows, in one request so the
 * page draws at once: revenue today / this week / this month with 30 days of daily revenue (owners only: staff
 * do not see money totals), sessions online now and per day, payments waiting or failed today, items awaiting
 * review, and who expires in the next 5 days. Days are the tenant's local days.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  countLiveSessions, findTenantById, listWifiUsersExpiringBetween, paymentAttentionCounts, revenueBy, usageByDay,
} from '@mnetifi/db'
import { addDays, daysBetween, localDay, secondsUntil, startOfMonth, startOfWeek } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { ERROR_RESPONSES, IsoDateTime } from '../common.schemas.js'

const CHART_DAYS = 30
const EXPIRING_DAYS = 5
const EXPIRING_SHOWN = 8

const DaySeries = z.array(z.object({ day: z.string(), amount: z.number().int(), payments: z.number().int() }))
export const DashboardSchema = z.object({
  timezone: z.string(), currency: z.string(), today: z.string().describe('the tenant’s local day'),
  revenue: z.object({
    today: z.number().int(), week: z.number().int(), month: z.number().int(), byDay: DaySeries,
  }).nullable().describe('minor units; null for staff'),
  sessions: z.object({
    activeNow: z.number().int(),
    byDay: z.array(z.object({ day: z.string(), sessions: z.number().int(), uniqueUsers: z.number().int() })),
  }),
  payments: z.object({ pendingToday: z.number().int(), failedToday: z.number().int(), awaitingReview: z.number().int() }),
  expiringSoon: z.object({
    windowDays: z.number().int(), total: z.number().int(),
    items: z.array(z.object({
      userId: z.uuid(), fullName: z.string(), username: z.string(), phoneNumber: z.string().nullable(),
      planName: z.string().nullable(), expiryTime: IsoDateTime, secondsLeft: z.number().int(),
    })),
  }),
})

/** Registered under /api/reports. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/dashboard', {
    schema: { tags: ['reports'], summary: 'The dashboard’s figures in one answer', response: { 200: DashboardSchema, ...ERROR_RESPONSES } },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request) => {
    const seesMoney = (OWNER_ROLES as readonly string[]).includes(request.admin!.role)
    const now = new Date()
    return request.withTenant(async (trx, tenantId) => {
      const tenant = (await findTenantById(trx, tenantId))!
      const timezone = tenant.timezone
      const today = localDay(now, timezone)
      const chartFrom = addDays(today, -(CHART_DAYS - 1))
      const weekFrom = startOfWeek(today)
      const monthFrom = startOfMonth(today)
      const todayStart = new Date(now.getTime() - secondsSinceLocalMidnight(now, timezone) * 1000)
      // One connection (the scoped transaction): sequential queries, each served by an index.
      const attention = await paymentAttentionCounts(trx, tenantId, todayStart)
      const activeNow = await countLiveSessions(trx, tenantId)
      const usage = await usageByDay(trx, tenantId, { from: addDays(today, -13), to: today })
      const expiring = await listWifiUsersExpiringBetween(trx, tenantId, now, new Date(now.getTime() + EXPIRING_DAYS * 86_400_000), { limit: EXPIRING_SHOWN, offset: 0 })
      let revenue = null
      if (seesMoney) {
        const from = monthFrom < chartFrom ? monthFrom : chartFrom
        const rows = await revenueBy(trx, tenantId, 'day', { from, to: today, timezone })
        const byKey = new Map(rows.map((r) => [r.key!, r]))
        const sumFrom = (start: string) => rows.filter((r) => r.key! >= start).reduce((s, r) => s + Number(r.amount), 0)
        revenue = {
          today: sumFrom(today), week: sumFrom(weekFrom), month: sumFrom(monthFrom),
          byDay: daysBetween(chartFrom, today).map((day) => ({ day, amount: Number(byKey.get(day)?.amount ?? 0), payments: Number(byKey.get(day)?.payments ?? 0) })),
        }
      }
      const usageByKey = new Map(usage.map((u) => [u.day, u]))
      return {
        timezone, currency: tenant.currency, today, revenue,
        sessions: {
          activeNow,
          byDay: daysBetween(addDays(today, -13), today).map((day) => ({
            day, sessions: Number(usageByKey.get(day)?.sessions ?? 0), uniqueUsers: Number(usageByKey.get(day)?.unique_users ?? 0),
          })),
        },
        payments: attention,
        expiringSoon: {
          windowDays: EXPIRING_DAYS, total: Number(expiring.total),
          items: expiring.rows.map((u) => ({
            userId: u.id, fullName: u.full_name, username: u.username, phoneNumber: u.phone_number, planName: u.plan_name,
            expiryTime: u.expiry_time!.toISOString(), secondsLeft: secondsUntil(u.expiry_time!, now),
          })),
        },
      }
    })
  })
}

/** Seconds since local midnight of `instant` in `timeZone` (the start of the tenant's "today"). */
function secondsSinceLocalMidnight(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return get('hour') * 3600 + get('minute') * 60 + get('second') + instant.getUTCMilliseconds() / 1000
}
