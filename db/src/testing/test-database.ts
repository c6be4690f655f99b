/**
 * Per-test-file databases: each suite gets `mnetifi_test_<name>_<random>`, migrated with the real migrator,
 * and dropped afterwards, so suites run in parallel and never touch a developer's data.
 */
import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { migrateToLatest } from '@mnetifi/migrations'
import { createDb } from '../pool.js'
import { dropDatabase, ensureDatabase } from '../admin.js'
import type { Database } from '../database.js'

/** Where test databases live; TEST_DATABASE_URL overrides (its database name is replaced). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  readonly url: string
  readonly db: Kysely<Database>
  /** Empties every domain and rad* table (keeps the schema). */
  truncate(): Promise<void>
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(name: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)
  const url = new URL(TEST_SERVER_URL)
  url.pathname = `/mnetifi_test_${safe}_${randomBytes(4).toString('hex')}`
  const dbUrl = url.toString()
  await ensureDatabase(dbUrl)
  const db = createDb({ connectionString: dbUrl, max: 5, applicationName: `test:${safe}` })
  if (options.migrate !== false) await migrateToLatest(db)
  return {
    url: dbUrl,
    db,
    async truncate() {
      const tables = await sql<{ tablename: string }>`
        SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(db)
      if (tables.rows.length === 0) return
      const list = tables.rows.map((r) => `"${r.tablename}"`).join(', ')
      await sql.raw(`TRUNCATE ${list} RESTART IDENTITY CASCADE`).execute(db)
    },
    async destroy() {
      await db.destroy()
      await dropDatabase(dbUrl)
    },
  }
}
