/**
 * Builds the API against a real per-file Postgres database and real Redis (unique key prefix per file),
 * plus factories for admins and signed-in sessions.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import {
  createAdminUser, createLogger, createSecretBox, generateSecretKey, hashPassword, type AdminUserRow,
} from '@mnetifi/db'
import { createTestDatabase, insertTestTenant, type TestDatabase } from '@mnetifi/db/testing'
import type { AdminRole } from '@mnetifi/db/domain'
import { buildApp, type App } from '../src/app.js'
import type { Config } from '../src/config.js'
import { PaymentsConfigSchema } from '../src/payments/config.js'
import { RouterConfigSchema } from '../src/routeros/config.js'
import { NOTIFICATIONS_DEFAULTS } from '../src/notifications/config.js'
import { WorkerConfigSchema } from '../src/jobs/config.js'
import type { SessionControl } from '../src/lib/session-control.js'
import { SESSION_COOKIE } from '../src/plugins/auth.js'

/** A test Config literal (style §6: tests build the config, they do not read the environment). */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
    REDIS_URL: 'redis://127.0.0.1:6379',
    MNETIFI_SECRET_KEY: generateSecretKey('t1'),
    LOG_LEVEL: 'silent',
    API_HOST: '127.0.0.1',
    API_PORT: 0,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    SESSION_TTL_SECONDS: 3600,
    SESSION_IDLE_TIMEOUT_SECONDS: 1800,
    SESSION_COOKIE_SECURE: undefined,
    LOGIN_RATE_LIMIT_MAX: 5,
    LOGIN_RATE_LIMIT_WINDOW_SECONDS: 900,
    // Every test file signs its admins in from 127.0.0.1; auth.test.ts checks the per-address cap on its own app.
    LOGIN_IP_RATE_LIMIT_MAX: 1000,
    PORTAL_VOUCHER_RATE_LIMIT_PER_MINUTE: 20,
    PORTAL_VOUCHER_MAX_FAILURES: 20,
    PORTAL_VOUCHER_FAILURE_WINDOW_SECONDS: 900,
    API_TRUST_PROXY: false,
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    COA_RETRY_MS: 50,
    COA_MAX_ATTEMPTS: 2,
    USAGE_FOLD_INTERVAL_SECONDS: 0,
    RADACCT_HOT_DAYS: 35,
    RADACCT_RETENTION_MONTHS: 0,
    RADACCT_ARCHIVE_INTERVAL_SECONDS: 0,
    WEB_PORTAL_DIR: new URL('../../portal/dist', import.meta.url).pathname,
    WEB_ADMIN_DIR: new URL('../../admin/dist', import.meta.url).pathname,
    ...PaymentsConfigSchema.parse({}),
    ...RouterConfigSchema.parse({}),
    ...NOTIFICATIONS_DEFAULTS,
    ...WorkerConfigSchema.parse({}),
    ...overrides,
  } satisfies Config)
}

/** Everything one test file needs. */
export interface TestContext {
  readonly app: App
  readonly tdb: TestDatabase
  readonly redis: Redis
  readonly config: Config
  /** Closes the app, Redis (after deleting this file's keys) and drops the database. */
  close(): Promise<void>
}

/** Builds the app for a test file. */
export async function buildTestApp(name: string, options: { coa?: SessionControl; config?: Partial<Config> } = {}): Promise<TestContext> {
  const tdb = await createTestDatabase(name)
  const config = testConfig(options.config)
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 })
  const app = await buildApp(config, {
    db: tdb.db, redis, log: createLogger({ level: 'silent' }), secretBox: createSecretBox(config.MNETIFI_SECRET_KEY),
    coa: options.coa ?? null,
  })
  await app.ready()
  return {
    app, tdb, redis, config,
    async close() {
      await app.close()
      const keys = await redis.keys(`${config.REDIS_KEY_PREFIX}*`)
      if (keys.length) await redis.del(...keys)
      redis.disconnect()
      await tdb.destroy()
    },
  }
}

export const TEST_PASSWORD = 'correct horse battery staple'
let cachedHash: string | undefined

/** Inserts an admin with TEST_PASSWORD (hash computed once per file: argon2 is slow on purpose). */
export async function insertTestAdmin(
  ctx: TestContext, role: AdminRole, tenantId: string | null, overrides: { email?: string } = {},
): Promise<AdminUserRow> {
  cachedHash ??= await hashPassword(TEST_PASSWORD)
  return createAdminUser(ctx.tdb.db, {
    tenant_id: role === 'PLATFORM_OPERATOR' ? null : tenantId, role, password_hash: cachedHash,
    email: overrides.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`, full_name: `Test ${role}`,
  })
}

/** Signs in and returns the Cookie header value. */
export async function signIn(ctx: TestContext, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)
  if (!cookie) throw new Error('no session cookie')
  return `${SESSION_COOKIE}=${cookie.value}`
}

/** A tenant with a signed-in owner and staff member. */
export interface TestTenant {
  readonly id: string
  readonly owner: string
  readonly staff: string
  readonly ownerId: string
  readonly staffId: string
}

/** Creates a tenant with an owner and a staff admin, both signed in. */
export async function createSignedInTenant(ctx: TestContext, overrides: { name?: string } = {}): Promise<TestTenant> {
  const tenant = await insertTestTenant(ctx.tdb.db, { name: overrides.name ?? 'Test ISP' })
  const owner = await insertTestAdmin(ctx, 'TENANT_OWNER', tenant.id)
  const staff = await insertTestAdmin(ctx, 'TENANT_STAFF', tenant.id)
  return { id: tenant.id, owner: await signIn(ctx, owner.email), staff: await signIn(ctx, staff.email), ownerId: owner.id, staffId: staff.id }
}
