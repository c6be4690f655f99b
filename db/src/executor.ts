import type { Kysely, Transaction } from 'kysely'
import type { Database } from './database.js'

/** Anything queries can run on: the pool or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
