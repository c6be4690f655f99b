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
import { sql, type Kysely } from 'kysely'

const BEFORE = 'acctinterval = r.event_epoch - extract(epoch FROM coalesce(acctupdatetime, acctstarttime))::bigint,'
const AFTER = 'acctinterval = CASE WHEN ev <= acctupdatetime THEN acctinterval ELSE r.event_epoch - extract(epoch FROM coalesce(acctupdatetime, acctstarttime))::bigint END,'

async function swap(db: Kysely<any>, from: string, to: string): Promise<void> {
  await sql`
    DO $$
    DECLARE def text := pg_get_functiondef('radiusd_accounting(jsonb)'::regprocedure);
    BEGIN
      IF array_length(string_to_array(def, ${sql.lit(from)}), 1) <> 2 THEN
        RAISE EXCEPTION 'radiusd_accounting(): the interim acctinterval expression is not there exactly once';
      END IF;
      EXECUTE replace(def, ${sql.lit(from)}, ${sql.lit(to)});
    END $$`.execute(db)
}

export async function up(db: Kysely<any>): Promise<void> {
  await swap(db, BEFORE, AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await swap(db, AFTER, BEFORE)
}
