/**
 * Database-level administration: make sure the database exists, and check that Postgres answers.
 */
import pg from 'pg'

/** The same URL pointing at the server's `postgres` maintenance database, and the target database name. */
function splitUrl(url: string): { adminUrl: string; database: string } {
  const parsed = new URL(url)
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  if (!database) throw new Error(`DATABASE_URL ${redactUrl(url)} names no database`)
  parsed.pathname = '/postgres'
  return { adminUrl: parsed.toString(), database }
}

/** A connection URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparseable URL)'
  }
}

/** Thrown when Postgres cannot be reached; the message says how to start it on these machines. */
export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Postgres is not reachable at ${redactUrl(url)} (${cause instanceof Error ? cause.message : String(cause)}).\n` +
        '  Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      { cause },
    )
    this.name = 'DatabaseUnreachableError'
  }
}

/** Creates the database named in `url` when it does not exist. Returns true when it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { adminUrl, database } = splitUrl(url)
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
  } catch (err) {
    throw new DatabaseUnreachableError(url, err)
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (found.rowCount) return false
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`)
    return true
  } catch (err) {
    // Two processes racing to create it: the loser sees duplicate_database.
    if ((err as { code?: string }).code === '42P04') return false
    throw err
  } finally {
    await client.end()
  }
}

/** Drops the database named in `url` (used by tests and `mnetifi db drop`). */
export async function dropDatabase(url: string): Promise<void> {
  const { adminUrl, database } = splitUrl(url)
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

/** Resolves when Postgres answers at `url`; throws DatabaseUnreachableError otherwise. */
export async function checkDatabaseReachable(url: string): Promise<void> {
  const { adminUrl } = splitUrl(url)
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (err) {
    throw new DatabaseUnreachableError(url, err)
  } finally {
    await client.end().catch(() => {})
  }
}
