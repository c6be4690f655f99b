import { z } from 'zod'
import { IsoDateTime } from '../common.schemas.js'

const Day = z.iso.date().describe('YYYY-MM-DD in the tenant’s time zone')
const MAX_DAYS = 366

/** from/to (inclusive local days), at most a year apart. */
export const RangeQuerySchema = z.object({ from: Day, to: Day, format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, { message: `at most ${MAX_DAYS} days`, path: ['to'] })

export const PerformanceQuerySchema = z.object({
  from: Day, to: Day, format: z.enum(['json', 'csv']).default('json'),
  hotspotId: z.uuid().optional(), service: z.enum(['HOTSPOT', 'PPPOE']).optional(),
  groupBy: z.enum(['day', 'hotspot', 'service']).default('day').describe('Which table the CSV holds'),
}).refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, { message: `at most ${MAX_DAYS} days`, path: ['to'] })

export const RevenueQuerySchema = z.object({
  from: Day, to: Day, format: z.enum(['json', 'csv']).default('json'), groupBy: z.enum(['day', 'plan', 'hotspot']).default('day'),
}).refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, { message: `at most ${MAX_DAYS} days`, path: ['to'] })

export const ExpiringQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(60).default(5),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json'),
})

const Usage = {
  sessions: z.number().int(), uniqueUsers: z.number().int(), uploadBytes: z.number().int(), downloadBytes: z.number().int(), sessionTimeSeconds: z.number().int(),
}
const Period = z.object({ from: z.string(), to: z.string(), timezone: z.string() })
export const PerformanceReportSchema = z.object({
  period: Period,
  totals: z.object(Usage),
  byDay: z.array(z.object({ day: z.string(), ...Usage })),
  byHotspot: z.array(z.object({ nasIp: z.string(), hotspotId: z.uuid().nullable(), hotspotName: z.string().nullable(), ...Usage })),
  byService: z.array(z.object({ service: z.string(), ...Usage })),
})
export const RevenueReportSchema = z.object({
  period: Period, groupBy: z.string(), currency: z.string(),
  totals: z.object({ payments: z.number().int(), amount: z.number().int().describe('minor units') }),
  rows: z.array(z.object({ key: z.string().nullable(), label: z.string().nullable(), payments: z.number().int(), amount: z.number().int() })),
})
export const VoucherReportSchema = z.object({
  period: Period, generated: z.number().int(), redeemed: z.number().int(),
  byDay: z.array(z.object({ day: z.string(), redeemed: z.number().int() })),
  byPlan: z.array(z.object({ planId: z.uuid(), planName: z.string(), redeemed: z.number().int() })),
})
export const ExpiringReportSchema = z.object({
  windowDays: z.number().int(), total: z.number().int(), limit: z.number().int(), offset: z.number().int(),
  items: z.array(z.object({
    userId: z.uuid(), username: z.string(), fullName: z.string(), phoneNumber: z.string().nullable(), accountType: z.string(),
    planId: z.uuid().nullable(), planName: z.string().nullable(), planPrice: z.number().int().nullable(), expiryTime: IsoDateTime,
    secondsLeft: z.number().int(),
  })),
})
