/**
 * The one place that creates Postgres connections and Kysely instances, and sets pg's type parsers.
 */
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import type { Database } from './database.js'

const INT8_OID = 20
const NUMERIC_OID = 1700

/** int8 (bigint, count(*)) as a JS number: radacct octets and sums fit in 2^53; beyond that we refuse. */
function parseInt8(value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`)
  return n
}

pg.types.setTypeParser(INT8_OID, parseInt8)
// numeric appears only as the result of sum()/avg() over integer columns (money in minor units, octets).
pg.types.setTypeParser(NUMERIC_OID, (value: string) => Number(value))

/** Options for {@link createDb}. */
export interface CreateDbOptions {
  /** Postgres connection string. */
  readonly connectionString: string
  /** Pool size. @defaultValue 10 */
  readonly max?: number
  /** Name shown in pg_stat_activity. */
  readonly applicationName?: string
}

/** A Kysely instance over a fresh pg Pool. Destroy it with `db.destroy()`. */
export function createDb(options: CreateDbOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mnetifi',
  })
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

export { pg }
