/**
 * `mnetifi seed-demo`: a demo ISP that works end to end on one machine — a hotspot for 127.0.0.1 (so radclient
 * and radtest from this machine are a NAS), three plans with burst, one user of each account type, a static IP
 * pool, and an owner login printed once. M-Pesa goes through the embedded Daraja simulator.
 */
import { randomBytes } from 'node:crypto'
import { extendExpiry } from '@mnetifi/db/domain'
import {
  createAdminUser, createHotspot, createPlan, createTenant, createWifiUser, findTenantBySubdomain, hashPassword,
} from '@mnetifi/db'
import { parse, UsageError } from '../args.js'
import type { Command } from '../context.js'

const USAGE = 'mnetifi seed-demo [--subdomain demo] [--nas-ip 127.0.0.1] [--secret testing123]'

export const DEMO_ADMIN_EMAIL = 'owner@demo.mnetifi.local'

export const seedDemo: Command = async (argv, ctx) => {
  const { values, positionals } = parse(argv, { subdomain: { type: 'string' }, 'nas-ip': { type: 'string' }, secret: { type: 'string' } }, USAGE)
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, USAGE)
  const subdomain = values.subdomain ?? 'demo'
  const db = ctx.db()
  const existing = await findTenantBySubdomain(db, subdomain)
  if (existing) {
    ctx.out(`demo tenant "${subdomain}" already exists (${existing.id}); nothing to do`)
    return 0
  }
  const adminPassword = randomBytes(12).toString('base64url')
  const passwordHash = await hashPassword(adminPassword)
  const now = new Date()
  const secret = values.secret ?? 'testing123'
  const result = await db.transaction().execute(async (trx) => {
    const tenant = await createTenant(trx, {
      name: 'MnetiFi Demo ISP', subdomain, mpesa_environment: 'simulator', mpesa_shortcode: '174379',
      branding_config: { name: 'MnetiFi Demo ISP', primaryColor: '#06b6d4', accentColor: '#3b82f6', supportPhone: '0700000000' },
    })
    const hotspot = await createHotspot(trx, {
      tenant_id: tenant.id, location_name: 'Demo Hotspot (this machine)', nas_ip: values['nas-ip'] ?? '127.0.0.1',
      radius_secret: secret, acct_interim_interval: 300,
    })
    const hour = await createPlan(trx, {
      tenant_id: tenant.id, name: '1 Hour Quick', price: 1000, duration_seconds: 3600, upload_limit: 2_000_000,
      download_limit: 5_000_000, burst_rate_up: 4_000_000, burst_rate_down: 10_000_000, burst_threshold_up: 1_500_000,
      burst_threshold_down: 4_000_000, burst_time: 8, account_types: ['HOTSPOT'],
    })
    const day = await createPlan(trx, {
      tenant_id: tenant.id, name: '24 Hours', price: 5000, duration_seconds: 86400, upload_limit: 3_000_000,
      download_limit: 8_000_000, burst_rate_up: 6_000_000, burst_rate_down: 15_000_000, burst_threshold_up: 2_000_000,
      burst_threshold_down: 6_000_000, burst_time: 10, account_types: ['HOTSPOT'],
    })
    const month = await createPlan(trx, {
      tenant_id: tenant.id, name: 'Home 10 Mbps (30 days)', price: 250000, duration_seconds: 30 * 86400,
      upload_limit: 5_000_000, download_limit: 10_000_000, burst_rate_up: 8_000_000, burst_rate_down: 20_000_000,
      burst_threshold_up: 4_000_000, burst_threshold_down: 8_000_000, burst_time: 16, priority: 5,
      account_types: ['PPPOE', 'STATIC'], acct_interim_interval: 300,
    })
    await createWifiUser(trx, {
      tenant_id: tenant.id, account_type: 'HOTSPOT', username: '0712345678', password: 'demo1234',
      phone_number: '254712345678', full_name: 'Wanjiku Demo', current_plan_id: hour.id,
      expiry_time: extendExpiry(null, now, hour.duration_seconds), home_hotspot_id: hotspot.id,
    })
    await createWifiUser(trx, {
      tenant_id: tenant.id, account_type: 'PPPOE', username: 'pppoe-otieno', password: 'demo1234',
      phone_number: '254722000111', full_name: 'Otieno Demo', current_plan_id: month.id,
      expiry_time: extendExpiry(null, now, month.duration_seconds), home_hotspot_id: hotspot.id, framed_pool: 'pppoe-pool',
    })
    const staticUser = await createWifiUser(trx, {
      tenant_id: tenant.id, account_type: 'STATIC', username: 'static-akinyi', password: 'demo1234',
      phone_number: '254733000222', full_name: 'Akinyi Demo', current_plan_id: month.id,
      expiry_time: extendExpiry(null, now, month.duration_seconds), home_hotspot_id: hotspot.id,
    })
    const pool = await trx.insertInto('ip_pools').values({
      tenant_id: tenant.id, hotspot_id: hotspot.id, name: 'static-clients', cidr: '10.20.0.0/24', gateway: '10.20.0.1',
    }).returning('id').executeTakeFirstOrThrow()
    await trx.insertInto('ip_assignments').values({ tenant_id: tenant.id, pool_id: pool.id, user_id: staticUser.id, ip_address: '10.20.0.10' }).execute()
    await createAdminUser(trx, { tenant_id: tenant.id, email: DEMO_ADMIN_EMAIL, full_name: 'Demo Owner', password_hash: passwordHash, role: 'TENANT_OWNER' })
    return { tenant, hotspot, plans: [hour, day, month] }
  })
  ctx.out(`demo tenant:  ${result.tenant.name} (subdomain "${subdomain}", ${result.tenant.id})`)
  ctx.out(`hotspot/NAS:  ${result.hotspot.nas_ip}, RADIUS secret "${secret}"`)
  ctx.out(`plans:        ${result.plans.map((p) => p.name).join(' · ')}`)
  ctx.out('users:        0712345678 (HOTSPOT), pppoe-otieno (PPPOE), static-akinyi (STATIC, 10.20.0.10); password demo1234')
  ctx.out(`admin login (shown once): ${DEMO_ADMIN_EMAIL} / ${adminPassword}`)
  ctx.out(`try it:       radtest 0712345678 demo1234 ${result.hotspot.nas_ip} 0 ${secret}`)
  return 0
}
