/**
 * Replaces one piece of text in the live definition of a PL/pgSQL function (pg_get_functiondef + replace +
 * CREATE OR REPLACE), failing loudly unless `from` occurs exactly once. Later migrations use it to change one
 * expression or insert one block without repeating the whole function; their `down` swaps the texts back.
 *
 * Migrations must behave the same forever: never change what this does; add a new helper instead.
 */
import { sql, type Kysely } from 'kysely'

/** `signature` as regprocedure accepts it, e.g. `radiusd_accounting(jsonb)`. */
export async function replaceInFunction(db: Kysely<any>, signature: string, from: string, to: string): Promise<void> {
  await sql`
    DO $$
    DECLARE def text := pg_get_functiondef(${sql.lit(signature)}::regprocedure);
    BEGIN
      IF array_length(string_to_array(def, ${sql.lit(from)}), 1) <> 2 THEN
        RAISE EXCEPTION '%: the text to replace is not there exactly once', ${sql.lit(signature)};
      END IF;
      EXECUTE replace(def, ${sql.lit(from)}, ${sql.lit(to)});
    END $$`.execute(db)
}
