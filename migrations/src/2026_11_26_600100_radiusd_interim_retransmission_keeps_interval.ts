/**
 * An Interim-Update retransmitted with a bumped Acct-Delay-Time is a new packet (new authenticator, so the
 * duplicate cache does not catch it) with the same Event-Timestamp. queries.conf's interim UPDATE then sets
 * acctinterval = event − acctupdatetime = 0, so the retransmission changed the row. From here on the interval
 * is recomputed only when the event is later than the last update; every other column it writes is the same
 * value again. FreeRADIUS does the same as before (a deliberate difference, radiusd/README.md).
 *
 * The change is one expression in radiusd_accounting(), so this edits the live definition
 * (pg_get_functiondef + replace) instead of repeating the whole function; it fails loudly if the expression
 * is not there exactly once. Frozen in time: never import from db/ here.
 */
import type { Kysely } from 'kysely'
import { replaceInFunction } from './lib/replace-in-function.js'

const BEFORE = 'acctinterval = r.event_epoch - extract(epoch FROM coalesce(acctupdatetime, acctstarttime))::bigint,'
const AFTER = 'acctinterval = CASE WHEN ev <= acctupdatetime THEN acctinterval ELSE r.event_epoch - extract(epoch FROM coalesce(acctupdatetime, acctstarttime))::bigint END,'

const swap = (db: Kysely<any>, from: string, to: string): Promise<void> =>
  replaceInFunction(db, 'radiusd_accounting(jsonb)', from, to)

export async function up(db: Kysely<any>): Promise<void> {
  await swap(db, BEFORE, AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await swap(db, AFTER, BEFORE)
}
