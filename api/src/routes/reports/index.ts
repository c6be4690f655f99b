/**
 * Reports (JSON, or CSV with ?format=csv): performance from the daily roll-ups, revenue per day/plan/
 * hotspot, voucher usage (owner), and users whose plan expires soon (staff too: it drives outreach).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { sql } from 'kysely'
import { stringify } from 'csv-stringify/sync'
import {
  findTenantById, foldUsageDeltasAcrossPlatform, listHotspots, listWifiUsersExpiringBetween, revenueBy, usageByDay,
  usageByHotspotAndService, voucherUsage, type UsageTotals,
} from '@mnetifi/db'
import { AppError, secondsUntil } from '@mnetifi/db/domain'
import { OWNER_ROLES, requireRole, STAFF_ROLES } from '../../plugins/auth.js'
import { ERROR_RESPONSES } from '../common.schemas.js'
import {
  ExpiringQuerySchema, ExpiringReportSchema, PerformanceQuerySchema, PerformanceReportSchema, RangeQuerySchema, RevenueQuerySchema,
  RevenueReportSchema, VoucherReportSchema,
} from './reports.schemas.js'
import { dashboardRoutes } from './dashboard.js'

function usage(t: UsageTotals) {
  return { sessions: t.sessions, uniqueUsers: t.unique_users, uploadBytes: t.input_octets, downloadBytes: t.output_octets, sessionTimeSeconds: t.session_time }
}

function csv(reply: FastifyReply, name: string, rows: readonly object[]) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(Buffer.from(stringify(rows as Record<string, unknown>[], { header: true })))
}

/** /api/reports */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reports']
  const owner = requireRole(OWNER_ROLES)
  await app.register(dashboardRoutes)
  const withCsv = <T extends z.ZodType>(json: T) => ({ 200: json.or(z.string().describe('text/csv (with ?format=csv)')), ...ERROR_RESPONSES })

  app.get('/performance', {
    schema: { tags, summary: 'Sessions, unique users, bytes and session time per day, hotspot and service (PPPoE vs hotspot)', querystring: PerformanceQuerySchema, response: withCsv(PerformanceReportSchema) },
    preHandler: owner,
  }, async (request, reply) => {
    const q = request.query
    // Bring the roll-ups up to date first; cheap because the API folds every minute anyway.
    await foldUsageDeltasAcrossPlatform(app.db)
    const report = await request.withTenant(async (trx, tenantId) => {
      // Room for the DISTINCT hash tables over a quarter's user-days (transaction-local).
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx)
      const tenant = (await findTenantById(trx, tenantId))!
      const hotspots = await listHotspots(trx, tenantId)
      const byIp = new Map(hotspots.map((h) => [h.nas_ip, h]))
      let nasIp: string | undefined
      if (q.hotspotId) {
        nasIp = hotspots.find((h) => h.id === q.hotspotId)?.nas_ip
        if (!nasIp) throw new AppError('NOT_FOUND', 'Hotspot not found', { details: [{ path: 'querystring.hotspotId', message: 'no such hotspot' }] })
      }
      const filter = { from: q.from, to: q.to, ...(nasIp ? { nasIp } : {}), ...(q.service ? { service: q.service } : {}) }
      // One connection (the scoped transaction): run sequentially.
      const days = await usageByDay(trx, tenantId, filter)
      const split = await usageByHotspotAndService(trx, tenantId, filter)
      return {
        period: { from: q.from, to: q.to, timezone: tenant.timezone },
        totals: usage(split.total),
        byDay: days.map((d) => ({ day: d.day, ...usage(d) })),
        byHotspot: split.hotspots.map((h) => ({ nasIp: h.nas_ip, hotspotId: byIp.get(h.nas_ip)?.id ?? null, hotspotName: byIp.get(h.nas_ip)?.location_name ?? null, ...usage(h) })),
        byService: split.services.map((s) => ({ service: s.service, ...usage(s) })),
      }
    })
    if (q.format === 'csv') {
      const rows = q.groupBy === 'hotspot' ? report.byHotspot : q.groupBy === 'service' ? report.byService : report.byDay
      return csv(reply, `performance-${q.groupBy}-${q.from}-${q.to}`, rows)
    }
    return report
  })

  app.get('/revenue', {
    schema: { tags, summary: 'Completed M-Pesa revenue per day, plan or hotspot', querystring: RevenueQuerySchema, response: withCsv(RevenueReportSchema) },
    preHandler: owner,
  }, async (request, reply) => {
    const q = request.query
    const report = await request.withTenant(async (trx, tenantId) => {
      const tenant = (await findTenantById(trx, tenantId))!
      const rows = await revenueBy(trx, tenantId, q.groupBy, { from: q.from, to: q.to, timezone: tenant.timezone })
      return {
        period: { from: q.from, to: q.to, timezone: tenant.timezone }, groupBy: q.groupBy, currency: tenant.currency,
        totals: { payments: rows.reduce((s, r) => s + r.payments, 0), amount: rows.reduce((s, r) => s + r.amount, 0) }, rows,
      }
    })
    return q.format === 'csv' ? csv(reply, `revenue-${q.groupBy}-${q.from}-${q.to}`, report.rows) : report
  })

  app.get('/vouchers', {
    schema: { tags, summary: 'Vouchers generated and redeemed, per day and plan', querystring: RangeQuerySchema, response: withCsv(VoucherReportSchema) },
    preHandler: owner,
  }, async (request, reply) => {
    const q = request.query
    const report = await request.withTenant(async (trx, tenantId) => {
      const tenant = (await findTenantById(trx, tenantId))!
      const u = await voucherUsage(trx, tenantId, { from: q.from, to: q.to, timezone: tenant.timezone })
      return {
        period: { from: q.from, to: q.to, timezone: tenant.timezone }, generated: u.generated, redeemed: u.redeemed, byDay: u.byDay,
        byPlan: u.byPlan.map((p) => ({ planId: p.plan_id, planName: p.plan_name, redeemed: p.redeemed })),
      }
    })
    return q.format === 'csv' ? csv(reply, `vouchers-${q.from}-${q.to}`, report.byDay) : report
  })

  app.get('/expiring-soon', {
    schema: { tags, summary: 'Active users whose plan ends within the next N days (default 5), soonest first', querystring: ExpiringQuerySchema, response: withCsv(ExpiringReportSchema) },
    preHandler: requireRole(STAFF_ROLES),
  }, async (request, reply) => {
    const q = request.query
    const now = new Date()
    const { rows, total } = await request.withTenant((trx, tenantId) =>
      listWifiUsersExpiringBetween(trx, tenantId, now, new Date(now.getTime() + q.days * 86_400_000), q))
    const items = rows.map((u) => ({
      userId: u.id, username: u.username, fullName: u.full_name, phoneNumber: u.phone_number, accountType: u.account_type,
      planId: u.current_plan_id, planName: u.plan_name, planPrice: u.plan_price, expiryTime: u.expiry_time!.toISOString(), secondsLeft: secondsUntil(u.expiry_time!, now),
    }))
    return q.format === 'csv' ? csv(reply, `expiring-${q.days}d`, items) : { windowDays: q.days, total, limit: q.limit, offset: q.offset, items }
  })
}
